"""The feeder tails the log by ``seq`` and publishes committed entries to the live bus.

Tailing the table (rather than publishing from the writer) is what makes delivery complete on
every deployment: it is woken at once by this process's commits, by PostgreSQL NOTIFY from other
servers, and otherwise polls, which also catches other processes writing to the same SQLite file.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import func, select

from katchi.db import Database
from katchi.eventlog.bus import LiveBus, LiveEvent, sse_frame
from katchi.eventlog.kinds import Readable
from katchi.eventlog.models import LogEntry
from katchi.eventlog.views import for_reader, is_personal, row_view

log = logging.getLogger(__name__)

CHANNEL = "katchi_log"


def to_live(row: Mapping[str, Any]) -> LiveEvent:
    view = row_view(row)
    frame = sse_frame(row["seq"], row["kind"], orjson.dumps(view))
    personal = view if is_personal(view) else None
    return LiveEvent(row["seq"], row["operation_id"], row["kind"], row["label"], frame, personal)


def frame_for(ev: LiveEvent, readable: Readable) -> bytes:
    """The SSE frame of ``ev`` as this reader may see it."""
    if ev.view is None:
        return ev.frame
    return sse_frame(ev.seq, ev.kind, orjson.dumps(for_reader(ev.view, readable)))


class Feeder:
    """Publishes every committed entry exactly once, in order, to ``bus``."""

    def __init__(self, db: Database, bus: LiveBus, *, poll_seconds: float = 0.5, batch: int = 2000) -> None:
        self._db = db
        self._bus = bus
        self._poll = poll_seconds
        self._batch = batch
        self._wake = threading.Event()
        self._notified = threading.Event()
        self._lock = threading.Lock()  # one publisher at a time keeps the bus in seq order
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        with self._db.read() as s:
            self._bus.last_seq = s.scalar(select(func.coalesce(func.max(LogEntry.seq), 0))) or 0
        self._spawn(self._run, "katchi-feeder")
        if self._db.is_postgres:
            self._spawn(self._listen, "katchi-pg-listen")

    def _spawn(self, target: object, name: str) -> None:
        t = threading.Thread(target=target, name=name, daemon=True)  # type: ignore[arg-type]
        t.start()
        self._threads.append(t)

    def wake(self) -> None:
        """Something was committed elsewhere (NOTIFY): read the log without waiting for the poll."""
        self._notified.set()
        self._wake.set()

    def offer(self, rows: list[dict[str, Any]]) -> None:
        """Called by this process's writer after COMMIT with the rows it wrote. When they follow on
        from what was published they go out at once, from the caller's thread, with no database
        read; after a gap (another process committed in between) the feeder reads the log."""
        with self._lock:
            fresh = [r for r in rows if r["seq"] > self._bus.last_seq]
            if fresh and fresh[0]["seq"] == self._bus.last_seq + 1:
                self._bus.publish([to_live(r) for r in fresh])
                return
        if fresh:
            self.wake()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        for t in self._threads:
            t.join(timeout=5)

    def drain(self) -> int:
        """Publish everything committed after the last published seq; returns how many."""
        total = 0
        columns = LogEntry.__table__.c
        while True:
            with self._lock, self._db.read() as s:
                rows = (
                    s.execute(
                        select(*columns)
                        .where(columns.seq > self._bus.last_seq)
                        .order_by(columns.seq)
                        .limit(self._batch)
                    )
                    .mappings()
                    .all()
                )
                events = [to_live(dict(r)) for r in rows]
                self._bus.publish(events)
            total += len(events)
            if len(events) < self._batch:
                return total

    def _run(self) -> None:
        while not self._stop.is_set():
            woken = self._wake.wait(self._poll)
            self._wake.clear()
            try:
                if not woken or self._notified.is_set():
                    self._notified.clear()
                    self.drain()
            except Exception:
                log.exception("feeder failed to read the log; retrying")
                self._stop.wait(1.0)

    def _listen(self) -> None:
        import psycopg

        url = self._db.read_engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        while not self._stop.is_set():
            try:
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.wake()  # catch anything committed while we were not listening
                    while not self._stop.is_set():
                        for _ in conn.notifies(timeout=1.0, stop_after=1):
                            self.wake()
            except Exception:
                log.exception("PostgreSQL LISTEN connection lost; reconnecting")
                self._stop.wait(1.0)
