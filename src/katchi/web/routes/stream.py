"""The operation's live stream (SSE): replay from the log after ``Last-Event-ID``, then follow live.

Frames are encoded once per event by the feeder and written as bytes (an event some readers see
only in part is shaped for each reader, ``eventlog.frame_for``); whatever has queued up for
a reader goes out in one write, so a busy stream costs one send per burst, not per event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Annotated

import orjson
from fastapi import APIRouter, Header, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from katchi.core.access import readable_labels, reader
from katchi.core.errors import Invalid
from katchi.eventlog import CLOSED, LiveEvent, frame_for, sse_frame
from katchi.operations import timeline, visible_operation
from katchi.web.deps import Caller, Rt, credentials_recheck

router = APIRouter(tags=["stream"])
log = logging.getLogger(__name__)
REPLAY_PAGE = 1000
PING = b": ping\n\n"
#: The first bytes: connected, and reconnect after 1 s when the stream ends (a client whose
#: credentials were taken back then meets its 401 promptly).
HELLO = b"retry: 1000\n: ping\n\n"
_TICK = object()
_GONE = object()  # the caller's credentials no longer hold


def _after(last_event_id: str | None, after: int | None) -> int:
    if last_event_id is None:
        return after or 0
    try:
        value = int(last_event_id)
    except ValueError:
        raise Invalid("Last-Event-ID must be a log seq (integer)") from None
    if value < 0:
        raise Invalid("Last-Event-ID must not be negative")
    return value


@router.get("/operations/{op_id}/stream", response_class=StreamingResponse)
async def stream(
    op_id: str,
    request: Request,
    rt: Rt,
    caller: Caller,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
    after: Annotated[int | None, Query(ge=0)] = None,
    assets: Annotated[bool, Query(description="also follow platform-wide asset changes (live only)")] = False,
) -> StreamingResponse:
    """SSE of the operation's events the caller may read; ``id:`` is the log seq.

    With ``assets=true`` the live part also carries asset registrations and updates (assets are
    platform-wide, so they are not replayed: load ``/assets`` on (re)connecting)."""
    start = _after(last_event_id, after)

    def load_view():
        with rt.db.read() as s:
            return visible_operation(s, caller, op_id)

    view = await run_in_threadpool(load_view)
    labels = readable_labels(caller, participant=view.participant)
    real_assets = assets and view.op.mode == "real"
    readable = reader(caller, participant=view.participant)
    ping_every = rt.settings.stream_ping_seconds
    recheck_every = rt.settings.credential_recheck_seconds
    still_caller = credentials_recheck(request)

    def replay(after_seq: int) -> list[tuple[int, bytes]]:
        with rt.db.read() as s:
            rows, _ = timeline(s, caller, view, after_seq=after_seq, limit=REPLAY_PAGE)
        return [(r["seq"], sse_frame(r["seq"], r["kind"], orjson.dumps(r))) for r in rows]

    async def frames() -> AsyncIterator[bytes]:
        # Subscribe here, not before the response: a client gone before the body starts must not
        # leave a subscription behind. Subscribing before the replay query loses nothing: what
        # committed earlier is replayed, what commits later is queued (duplicates skipped by seq).
        platform = readable_labels(caller, participant=True)

        def accepts(ev: LiveEvent) -> bool:
            if ev.operation_id == op_id:
                return ev.label in labels
            # Real assets only on a real operation's map: an exercise has its own (operation events).
            return real_assets and ev.operation_id is None and ev.kind.startswith("assets.") and ev.label in platform

        sub = rt.bus.subscribe(accepts)
        loop = asyncio.get_running_loop()

        def tick() -> None:  # keep-alive: a comment when nothing was sent for a while
            if sub.queue.empty():
                sub.queue.put_nowait(_TICK)
            handle[0] = loop.call_later(ping_every, tick)

        gone = [False]

        async def watch() -> None:  # a revoked token, disabled user or ended session closes the stream
            while not gone[0]:
                await asyncio.sleep(recheck_every)
                try:
                    gone[0] = await run_in_threadpool(still_caller) != caller
                except Exception:  # the database is busy or away: ask again next time
                    log.warning("could not recheck a stream's credentials", exc_info=True)
                    continue
                if gone[0]:
                    with contextlib.suppress(asyncio.QueueFull):  # a full queue wakes the loop anyway
                        sub.queue.put_nowait(_GONE)

        handle = [loop.call_later(ping_every, tick)]
        watcher = asyncio.create_task(watch())
        last = start
        try:
            yield HELLO  # headers and a first byte at once, so clients know they are connected
            while True:
                rows = await run_in_threadpool(replay, last)
                if rows:
                    yield b"".join(frame for _, frame in rows)
                    last = rows[-1][0]
                if len(rows) < REPLAY_PAGE:
                    break
            while True:
                item = await sub.queue.get()
                burst: list[bytes] = []
                while True:
                    if item is CLOSED or item is _GONE or gone[0]:
                        if burst:
                            yield b"".join(burst)
                        # CLOSED: fell behind; the client resumes with Last-Event-ID and loses nothing.
                        # _GONE: its reconnection meets a 401.
                        return
                    if item is _TICK:
                        if not burst:
                            burst.append(PING)
                    elif isinstance(item, LiveEvent) and item.seq > last:
                        burst.append(frame_for(item, readable))
                        last = item.seq
                    if sub.queue.empty():
                        break
                    item = sub.queue.get_nowait()
                yield b"".join(burst)
        finally:
            handle[0].cancel()
            watcher.cancel()
            rt.bus.unsubscribe(sub)

    return StreamingResponse(
        frames(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
