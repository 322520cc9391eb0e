"""Security headers on every response (a pure ASGI middleware, so live streams pass untouched).

HTML pages get a Content-Security-Policy that allows no inline script and no outside origin (the
console and the API docs load every script from this server, as field CMOCs are offline anyway),
may not be framed, and send no referrer elsewhere; API answers are never cached (they carry what
one reader may see).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ALWAYS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp, api_prefix: str) -> None:
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith(self.api_prefix)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                original = list(message.get("headers", []))
                headers = [(k, v) for k, v in original if k.lower() not in _SET] + ALWAYS
                content_type = next((v for k, v in original if k.lower() == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    headers.append((b"content-security-policy", CSP.encode()))
                # API answers and console pages hold records a shared CMOC machine must not keep.
                html = content_type.startswith(b"text/html")
                if (api or html) and not any(k.lower() == b"cache-control" for k, _ in original):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


_SET = {k for k, _ in ALWAYS} | {b"content-security-policy"}
