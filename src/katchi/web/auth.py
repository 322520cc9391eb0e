"""Console sign-in: a server-side session behind an HttpOnly cookie, and CSRF tokens.

The API also accepts the cookie (so the console's pages can use it and its live stream), but a
request that changes state with cookie credentials must carry the session's CSRF token in
``X-CSRF-Token`` (or the ``csrf_token`` form field): another site can make the browser send the
cookie, not read the token.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from datetime import timedelta

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from katchi.accounts import SignedIn, principal_for_web_session, touch_web_session
from katchi.core.access import Principal
from katchi.core.clock import utcnow
from katchi.core.errors import Forbidden

SESSION_COOKIE = "katchi_session"
LOGIN_CSRF_COOKIE = "katchi_login_csrf"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger(__name__)


def secure_cookies(request: Request) -> bool:
    """Mark cookies Secure when the console is reached over HTTPS (directly or via a proxy)."""
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"


def set_cookie(response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, httponly=True, samesite="lax", secure=secure_cookies(request), path="/"
    )


def session_idle(request: Request) -> timedelta:
    return timedelta(minutes=request.app.state.runtime.settings.session_idle_minutes)


def lookup_session(request: Request, token: str) -> SignedIn | None:
    """The cookie's session as the database has it now (blocking: call in a worker thread)."""
    db = request.app.state.runtime.db
    with db.read() as session:
        return principal_for_web_session(session, token, utcnow(), session_idle(request))


async def session_principal(request: Request) -> tuple[Principal, str] | None:
    """The cookie's signed-in user and CSRF token, looked up on every request (no cache: signing
    out takes effect at once on every server); restarts the session's idle clock."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 100:
        return None
    cached = getattr(request.state, "katchi_session", None)
    if cached is not None:
        return cached
    found = await run_in_threadpool(lookup_session, request, token)
    if found is None:
        return None
    if found.stale:
        now = utcnow()
        done = request.app.state.runtime.writer.submit(lambda s: touch_web_session(s, token, now))
        done.add_done_callback(_log_failure)
    request.state.katchi_session = (found.principal, found.csrf_token)
    return request.state.katchi_session


def _log_failure(future: object) -> None:
    exc = future.exception()  # type: ignore[attr-defined]
    if exc is not None:
        log.warning("could not restart a session's idle clock: %s", exc)


def check_csrf(request: Request, expected: str, supplied: str | None) -> None:
    """Refuse a state change whose CSRF token is missing or wrong (constant-time compare)."""
    if request.method in SAFE_METHODS:
        return
    if not supplied or not hmac.compare_digest(supplied, expected):
        raise Forbidden("missing or wrong CSRF token; reload the page")


def new_login_csrf() -> str:
    return secrets.token_urlsafe(24)
