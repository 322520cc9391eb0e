"""Every error leaves as ``application/problem+json`` (RFC 9457); oversized bodies never reach parsing."""

from __future__ import annotations

import re
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from katchi.core.errors import DomainError

PROBLEM = "application/problem+json"


def problem_response(status: int, title: str, detail: str, **extra: Any) -> Response:
    body = {"type": f"https://katchi.dev/problems/{status}", "title": title, "status": status, "detail": detail}
    body.update(extra)
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM)


def _clean(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for e in errors:
        item = {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        out.append(item)
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> Response:
        body = exc.problem()
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return Response(orjson.dumps(body, default=str), status_code=exc.status, media_type=PROBLEM, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> Response:
        errors = _clean(list(exc.errors()))
        if any(e["type"] == "json_invalid" for e in errors):
            return problem_response(400, "Malformed JSON", "the request body is not valid JSON", errors=errors)
        first = errors[0] if errors else {"loc": [], "msg": "invalid"}
        where = ".".join(str(p) for p in first["loc"] if p != "body")
        return problem_response(422, "Unprocessable input", f"{where}: {first['msg']}", errors=errors)

    @app.exception_handler(DataError)
    async def _data(_request: Request, exc: DataError) -> Response:
        # A value the database refuses that validation let through (a backstop: inputs are
        # checked before they reach it).
        return problem_response(422, "Unprocessable input", "the database refused a value in the request")

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> Response:
        return problem_response(exc.status_code, str(exc.detail), str(exc.detail))


class BodyTooLarge(StarletteHTTPException):
    """Raised from ``receive``; an HTTPException so frameworks re-raise it unchanged."""

    def __init__(self) -> None:
        super().__init__(413, "Request body too large")


class NulInJson(StarletteHTTPException):
    """A NUL character in a JSON string, a form field, the query or the path: PostgreSQL cannot
    store it in text, so it is refused on every database alike."""

    def __init__(self) -> None:
        super().__init__(422, "text must not contain NUL characters (\\u0000, %00)")


#: ``\u0000`` not itself escaped (preceded by an even number of backslashes).
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000")


class BodyLimitMiddleware:
    """Answer 413 for bodies over ``limit`` bytes, by header or by counting a chunked stream, and
    422 for a JSON body carrying a NUL character."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    await self._reject(scope, receive, send)
                    return
        if b"%00" in scope.get("query_string", b"") or "\x00" in scope.get("path", ""):
            await problem_response(422, "Unprocessable input", str(NulInJson().detail))(scope, receive, send)
            return
        seen = 0
        started = False
        kind = next((v.lower() for n, v in scope.get("headers", []) if n == b"content-type"), b"")
        json_body, form_body = b"json" in kind, b"x-www-form-urlencoded" in kind
        chunks: list[bytes] = []

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                seen += len(chunk)
                if seen > self.limit:
                    raise BodyTooLarge
                if json_body or form_body:
                    chunks.append(chunk)
                    if not message.get("more_body"):
                        body = b"".join(chunks)
                        if (json_body and _JSON_NUL.search(body)) or (form_body and b"%00" in body):
                            raise NulInJson
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._reject(scope, receive, send)
        except NulInJson as exc:
            if not started:
                await problem_response(422, "Unprocessable input", str(exc.detail))(scope, receive, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        resp = problem_response(413, "Request body too large", f"the body exceeds {self.limit} bytes", limit=self.limit)
        await resp(scope, receive, send)
