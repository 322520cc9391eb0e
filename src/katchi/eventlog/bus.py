"""The live bus: committed log entries fanned out to in-process subscribers (SSE streams).

Only the feeder publishes, always in ``seq`` order. Each subscriber filters with the access
rule it was given (``accepts``) and owns a bounded queue; a subscriber that falls behind is
closed rather than allowed to grow memory, and resumes from the log with ``Last-Event-ID``.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class LiveEvent:
    """A committed entry ready to send: its SSE frame is encoded once for all readers, except
    entries some readers see only in part (``view`` kept to shape a frame per reader)."""

    seq: int
    operation_id: str | None
    kind: str
    label: str
    frame: bytes
    view: dict[str, Any] | None = None


def sse_frame(seq: int, kind: str, data: bytes) -> bytes:
    """One Server-Sent Events frame; ``id:`` is the log seq (the resume cursor)."""
    return b"id: %d\nevent: %s\ndata: %s\n\n" % (seq, kind.encode(), data)


CLOSED = object()


class Subscription:
    """One reader's queue on one event loop."""

    def __init__(self, loop: asyncio.AbstractEventLoop, accepts: Callable[[LiveEvent], bool], maxsize: int) -> None:
        self.loop = loop
        self.accepts = accepts
        self.queue: asyncio.Queue[Any] = asyncio.Queue(maxsize=maxsize)
        self.closed = False
        self.dropped = False

    def _deliver(self, events: list[LiveEvent]) -> None:
        if self.closed:
            return
        for ev in events:
            if not self.accepts(ev):
                continue
            try:
                self.queue.put_nowait(ev)
            except asyncio.QueueFull:
                self.dropped = True
                self.closed = True
                self._force_close()
                return

    def _force_close(self) -> None:
        """Put the close marker after the events already queued, dropping the *newest* of them if
        there is no room: the reader resumes after the last event it got, so what it gets must be
        a gap-free prefix (dropping the oldest would lose it for good)."""
        kept: list[object] = []
        while not self.queue.empty():
            kept.append(self.queue.get_nowait())
        for item in kept[: max(0, self.queue.maxsize - 1)]:
            self.queue.put_nowait(item)
        self.queue.put_nowait(CLOSED)


class LiveBus:
    """Thread-safe fan-out from the feeder thread to asyncio subscribers."""

    def __init__(self, queue_max: int = 10_000) -> None:
        self._subs: set[Subscription] = set()
        self._lock = threading.Lock()
        self._queue_max = queue_max
        self.last_seq = 0
        self.published = 0

    def subscribe(self, accepts: Callable[[LiveEvent], bool]) -> Subscription:
        sub = Subscription(asyncio.get_running_loop(), accepts, self._queue_max)
        with self._lock:
            self._subs.add(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        sub.closed = True
        with self._lock:
            self._subs.discard(sub)

    @property
    def subscribers(self) -> int:
        return len(self._subs)

    def publish(self, events: list[LiveEvent]) -> None:
        """Hand ``events`` to every subscriber: one wake-up per event loop, not one per subscriber."""
        if not events:
            return
        self.last_seq = events[-1].seq
        self.published += len(events)
        with self._lock:
            by_loop: dict[asyncio.AbstractEventLoop, list[Subscription]] = {}
            for sub in self._subs:
                by_loop.setdefault(sub.loop, []).append(sub)
        for loop, subs in by_loop.items():
            try:
                loop.call_soon_threadsafe(_deliver_all, subs, events)
            except RuntimeError:  # that loop has closed
                for sub in subs:
                    self.unsubscribe(sub)


def _deliver_all(subs: list[Subscription], events: list[LiveEvent]) -> None:
    for sub in subs:
        sub._deliver(events)
