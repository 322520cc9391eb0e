"""The operation's live stream (SSE): replay from the log after ``Last-Event-ID``, then follow live."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import orjson
from fastapi import APIRouter, Header, Query, Request
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool

from katchi.core.access import readable_labels
from katchi.core.errors import Invalid
from katchi.eventlog import CLOSED, LiveEvent
from katchi.operations import timeline, visible_operation
from katchi.web.deps import Caller, Rt

router = APIRouter(tags=["stream"])
REPLAY_PAGE = 1000


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


@router.get("/operations/{op_id}/stream")
async def stream(
    op_id: str,
    request: Request,
    rt: Rt,
    caller: Caller,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
    after: Annotated[int | None, Query(ge=0)] = None,
) -> EventSourceResponse:
    """SSE of the operation's events the caller may read; ``id:`` is the log seq."""
    start = _after(last_event_id, after)

    def load_view():
        with rt.db.read() as s:
            return visible_operation(s, caller, op_id)

    view = await run_in_threadpool(load_view)
    labels = readable_labels(caller, participant=view.participant)
    sub = rt.bus.subscribe(lambda ev: ev.operation_id == op_id and ev.label in labels)

    def replay(after_seq: int) -> list[tuple[int, str, str]]:
        with rt.db.read() as s:
            rows, _ = timeline(s, caller, view, after_seq=after_seq, limit=REPLAY_PAGE)
        return [(r["seq"], r["kind"], orjson.dumps(r).decode()) for r in rows]

    async def events() -> AsyncIterator[ServerSentEvent]:
        last = start
        try:
            while True:
                rows = await run_in_threadpool(replay, last)
                for seq, kind, data in rows:
                    yield ServerSentEvent(data=data, event=kind, id=str(seq))
                    last = seq
                if len(rows) < REPLAY_PAGE:
                    break
            while True:
                ev = await sub.queue.get()
                if ev is CLOSED:
                    return  # fell behind: the client reconnects with Last-Event-ID and loses nothing
                assert isinstance(ev, LiveEvent)
                if ev.seq <= last:
                    continue
                yield ServerSentEvent(data=ev.data, event=ev.kind, id=str(ev.seq))
                last = ev.seq
        finally:
            rt.bus.unsubscribe(sub)

    return EventSourceResponse(
        events(),
        ping=int(rt.settings.stream_ping_seconds),
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
