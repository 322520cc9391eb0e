"""Request dependencies: the runtime, the caller (bearer token), paging parameters."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request
from starlette.concurrency import run_in_threadpool

from katchi.accounts import principal_for_token
from katchi.core.access import Principal
from katchi.core.errors import Unauthenticated
from katchi.web.auth import SESSION_COOKIE, check_csrf, lookup_session, session_principal
from katchi.web.runtime import Runtime


def runtime(request: Request) -> Runtime:
    return request.app.state.runtime


async def runtime_dep(request: Request) -> Runtime:
    """``async`` so FastAPI does not hop to the thread pool just to read app state."""
    return runtime(request)


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return None


async def require_principal(request: Request) -> Principal:
    """The signed-in caller: a bearer token (cached, no thread hop) or the console's session cookie
    (with its CSRF token on state changes); 401 without valid credentials."""
    token = bearer_token(request)
    if token is None:
        signed_in = await session_principal(request)
        if signed_in is None:
            raise Unauthenticated("send Authorization: Bearer <token>, or sign in at /login")
        by_cookie, csrf = signed_in
        check_csrf(request, csrf, request.headers.get("x-csrf-token"))
        return by_cookie
    rt = runtime(request)
    principal = rt.principals.get(token)
    if principal is None:

        def lookup() -> Principal | None:
            with rt.db.read() as session:
                return principal_for_token(session, token)

        principal = await run_in_threadpool(lookup)
        if principal is None:
            raise Unauthenticated("unknown, expired or revoked token")
        rt.principals.put(token, principal)
    return principal


def credentials_recheck(request: Request) -> Callable[[], Principal | None]:
    """A blocking check of the request's credentials as the database has them now (no cache),
    for connections that outlive their request: a live stream closes when the answer is no
    longer its caller (token revoked or expired, user disabled or changed, signed out, idle)."""
    token = bearer_token(request)
    cookie = request.cookies.get(SESSION_COOKIE, "")
    rt = runtime(request)

    def check() -> Principal | None:
        if token is not None:
            with rt.db.read() as session:
                return principal_for_token(session, token)
        signed_in = lookup_session(request, cookie)
        return signed_in.principal if signed_in else None

    return check


Caller = Annotated[Principal, Depends(require_principal)]
Rt = Annotated[Runtime, Depends(runtime_dep)]


@dataclass(frozen=True, slots=True)
class Paging:
    cursor: str | None
    limit: int


async def paging(
    request: Request,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int | None, Query(ge=1, le=1000)] = None,
) -> Paging:
    """``async`` so FastAPI does not hop to the thread pool for it."""
    settings = runtime(request).settings
    return Paging(cursor, min(limit or settings.page_size_default, settings.page_size_max))


PageParams = Annotated[Paging, Depends(paging)]
