"""Read an SSE stream in the test thread with a deadline (no hanging tests)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from httpx_sse import EventSource


@dataclass
class Event:
    id: int
    kind: str
    data: dict[str, Any]


class Stream:
    def __init__(self, source: EventSource) -> None:
        # Per the SSE spec a block with no data dispatches nothing (our keep-alive comments);
        # httpx-sse yields such blocks once an id has been seen. They come through as None, so a
        # reader's deadline is checked at every keep-alive even when no event arrives.
        self._iter = (sse if sse.data else None for sse in source.iter_sse())

    def take(self, n: int, timeout: float = 10.0) -> list[Event]:
        """The next ``n`` events."""
        out: list[Event] = []
        deadline = time.monotonic() + timeout
        while len(out) < n:
            if time.monotonic() > deadline:
                raise TimeoutError(f"got {len(out)} of {n} events")
            sse = next(self._iter)
            if sse is None:
                continue
            out.append(Event(int(sse.id), sse.event, json.loads(sse.data)))
        return out

    def until(self, stop: Callable[[Event], bool], timeout: float = 10.0) -> list[Event]:
        """Events up to and including the first for which ``stop`` is true."""
        out: list[Event] = []
        deadline = time.monotonic() + timeout
        while True:
            if time.monotonic() > deadline:
                raise TimeoutError(f"stop event not seen after {len(out)} events")
            sse = next(self._iter)
            if sse is None:
                continue
            ev = Event(int(sse.id), sse.event, json.loads(sse.data))
            out.append(ev)
            if stop(ev):
                return out


@contextmanager
def open_stream(
    base_url: str,
    token: str,
    op_id: str,
    last_event_id: int | None = None,
    read_timeout: float = 10.0,
    assets: bool = False,
) -> Iterator[Stream]:
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    if last_event_id is not None:
        headers["Last-Event-ID"] = str(last_event_id)
    timeout = httpx.Timeout(5.0, read=read_timeout)
    with (
        httpx.Client(base_url=base_url, timeout=timeout) as client,
        client.stream(
            "GET", f"/api/v1/operations/{op_id}/stream", headers=headers, params={"assets": "true"} if assets else None
        ) as resp,
    ):
        assert resp.status_code == 200, resp.read().decode()
        yield Stream(EventSource(resp))
