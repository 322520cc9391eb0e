"""What the console's form pages share: who posts a form, running a command from it through the
writer, and an error in words for the page."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError

from katchi.core.access import Principal
from katchi.core.context import Context
from katchi.core.errors import DomainError
from katchi.web.auth import check_csrf
from katchi.web.deps import runtime
from katchi.web.pages import _signed_in, _to_login


async def poster(request: Request, csrf_token: str) -> tuple[Principal, str] | Response:
    """Who posts a form: signed in and with the session's CSRF token, else to sign-in (or 403)."""
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    check_csrf(request, signed_in[1], csrf_token)
    return signed_in


async def run(request: Request, user: Principal, job: Any) -> Any:
    """Run ``job(session, context)`` as ``user`` through the group-commit writer."""
    return await asyncio.wrap_future(runtime(request).writer.submit(lambda s: job(s, Context(user, source="web"))))


def problem_text(exc: Exception) -> str:
    """A refused command or invalid form in words (the first few field errors)."""
    if isinstance(exc, DomainError):
        return exc.detail
    assert isinstance(exc, ValidationError)
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:5])
