"""The console's notifications page: the user's notifications, newest first, in the page's
language, each linked to what it is about; marking read is a form (with CSRF) that comes back here."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from katchi import notifications
from katchi.core.context import Context
from katchi.core.errors import DomainError
from katchi.web import i18n
from katchi.web.auth import check_csrf
from katchi.web.deps import runtime
from katchi.web.pages import _signed_in, _to_login, render

router = APIRouter(include_in_schema=False)
PAGE = 50


def link_of(n: notifications.NotificationRead) -> str:
    """Where to look: the operation's page (its RFA board, messages and timeline)."""
    return f"/operations/{n.operation_id}" if n.operation_id else "/"


@router.get("/notifications", response_model=None)
async def notifications_page(
    request: Request,
    state: Annotated[str, Query(max_length=16)] = "",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    lang = i18n.choose_lang(request)[0]
    rt = runtime(request)
    unread_only = state == "unread"

    def load() -> notifications.NotificationPage:
        with rt.db.read() as s:
            return notifications.list_notifications(
                s, user, lang=lang, unread_only=unread_only, cursor=cursor, limit=PAGE
            )

    page = await run_in_threadpool(load)
    rows = [(n, link_of(n)) for n in page.items]
    return render(
        request, "notifications.html", user=user, csrf=csrf, rows=rows, next=page.next, unread=page.unread,
        unread_only=unread_only,
    )  # fmt: skip


async def _mark(request: Request, csrf_token: str, job: Any) -> Response:
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    check_csrf(request, csrf, csrf_token)
    ctx = Context(user, source="web")
    with contextlib.suppress(DomainError):  # gone or never theirs: the list shows what there is
        await asyncio.wrap_future(runtime(request).writer.submit(lambda session: job(session, ctx)))
    return RedirectResponse("/notifications", status_code=303)


@router.post("/notifications/read", response_model=None)
async def mark_all(request: Request, csrf_token: Annotated[str, Form(max_length=100)] = "") -> Response:
    return await _mark(request, csrf_token, notifications.mark_all_read)


@router.post("/notifications/{notification_id}/read", response_model=None)
async def mark_one(
    request: Request, notification_id: str, csrf_token: Annotated[str, Form(max_length=100)] = ""
) -> Response:
    return await _mark(request, csrf_token, lambda s, ctx: notifications.mark_read(s, ctx, notification_id))
