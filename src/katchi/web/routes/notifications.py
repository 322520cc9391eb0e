"""The caller's notifications: list, mark read, and a live count of the unread ones (SSE)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response, StreamingResponse

from katchi import notifications
from katchi.core.access import readable_labels
from katchi.eventlog import CLOSED, LiveEvent
from katchi.web import i18n
from katchi.web.commands import execute
from katchi.web.deps import Caller, PageParams, Rt, credentials_recheck
from katchi.web.responses import json_response

router = APIRouter(tags=["notifications"])
log = logging.getLogger(__name__)
Lang = Annotated[Literal["en", "ko"] | None, Query(description="the texts' language (default: the request's)")]
HELLO = b"retry: 1000\n: ping\n\n"
_TICK = object()
_GONE = object()


def _lang(request: Request, lang: str | None) -> str:
    return lang or i18n.choose_lang(request)[0]


@router.get("/notifications", response_model=notifications.NotificationPage)
def list_notifications(
    request: Request,
    rt: Rt,
    caller: Caller,
    page: PageParams,
    unread: Annotated[bool, Query(description="only the unread ones")] = False,
    lang: Lang = None,
) -> Response:
    """The caller's own notifications, newest first, each only while the caller may still read
    what caused it; ``unread`` counts all of them."""
    with rt.db.read() as s:
        result = notifications.list_notifications(
            s, caller, lang=_lang(request, lang), unread_only=unread, cursor=page.cursor, limit=page.limit
        )
    return json_response(result)


@router.post("/notifications/read", response_model=notifications.MarkedRead)
async def mark_all_read(request: Request, caller: Caller) -> Response:
    """Mark all of the caller's notifications read."""
    return await execute(request, caller, notifications.mark_all_read, status=200)


@router.post("/notifications/{notification_id}/read", response_model=notifications.NotificationRead)
async def mark_read(notification_id: str, request: Request, caller: Caller, lang: Lang = None) -> Response:
    """Mark one of the caller's notifications read; anyone else's answers 404."""
    chosen = _lang(request, lang)
    return await execute(
        request, caller, lambda s, ctx: notifications.mark_read(s, ctx, notification_id, lang=chosen), status=200
    )


@router.get("/notifications/stream", response_class=StreamingResponse)
async def unread_stream(request: Request, rt: Rt, caller: Caller) -> StreamingResponse:
    """SSE ``unread`` events carrying ``{"unread": n}``: at once, then whenever an event that may
    notify the caller is committed and the count changed (and at each keep-alive, so marking read
    elsewhere shows too)."""
    ping_every = rt.settings.stream_ping_seconds
    recheck_every = rt.settings.credential_recheck_seconds
    still_caller = credentials_recheck(request)
    # Any event the caller could be notified of: a kind with rules, under a label the caller could
    # read in some operation. The count itself is the access-checked query.
    widest = readable_labels(caller, participant=True)

    def count() -> int:
        with rt.db.read() as s:
            return notifications.unread_count(s, caller)

    def frame(n: int) -> bytes:
        return b"event: unread\ndata: %s\n\n" % orjson.dumps({"unread": n})

    async def frames() -> AsyncIterator[bytes]:
        sub = rt.bus.subscribe(lambda ev: ev.kind in notifications.RULES and ev.label in widest)
        loop = asyncio.get_running_loop()
        gone = [False]

        def tick() -> None:
            if sub.queue.empty():
                sub.queue.put_nowait(_TICK)
            handle[0] = loop.call_later(ping_every, tick)

        async def watch() -> None:
            while not gone[0]:
                await asyncio.sleep(recheck_every)
                try:
                    gone[0] = await run_in_threadpool(still_caller) != caller
                except Exception:
                    log.warning("could not recheck a notification stream's credentials", exc_info=True)
                    continue
                if gone[0]:
                    with contextlib.suppress(asyncio.QueueFull):
                        sub.queue.put_nowait(_GONE)

        handle = [loop.call_later(ping_every, tick)]
        watcher = asyncio.create_task(watch())
        try:
            yield HELLO
            last = await run_in_threadpool(count)
            yield frame(last)
            while True:
                item = await sub.queue.get()
                while not sub.queue.empty():  # a burst of events: one count
                    nxt = sub.queue.get_nowait()
                    item = nxt if nxt in (CLOSED, _GONE) else item
                if item is CLOSED or item is _GONE or gone[0]:
                    return
                now = await run_in_threadpool(count)
                if now != last:
                    last = now
                    yield frame(now)
                elif item is _TICK or not isinstance(item, LiveEvent):
                    yield b": ping\n\n"
        finally:
            handle[0].cancel()
            watcher.cancel()
            rt.bus.unsubscribe(sub)

    return StreamingResponse(
        frames(), media_type="text/event-stream", headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    )
