"""Group commit: one writer thread folds concurrent commands into one durable transaction.

Each command runs inside its own SAVEPOINT, so a failing command is rolled back alone and its
caller gets its error; the others commit together with one fsync. A caller is answered only
after COMMIT returns, so every acknowledged event is durable.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from katchi.db import Database
from katchi.eventlog.record import PENDING, forget_head
from katchi.eventlog.unit import notify_committed

T = TypeVar("T")
Job = Callable[[Session], Any]

_STOP = object()


class Writer:
    """Runs write jobs ``fn(session) -> result`` on one thread, many per commit."""

    def __init__(self, db: Database, *, batch_max: int = 256, on_commit: Callable[[], None] | None = None) -> None:
        self._db = db
        self._batch_max = batch_max
        self._on_commit = on_commit
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="katchi-writer", daemon=True)
        self.commits = 0
        self.jobs = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=10)

    def submit(self, job: Callable[[Session], T]) -> Future[T]:
        """Queue a job; the future resolves after its transaction commits (or with its error)."""
        fut: Future[T] = Future()
        self._queue.put((job, fut))
        return fut

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is _STOP:
                return
            batch = [first]
            while len(batch) < self._batch_max:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self._queue.put(_STOP)
                    break
                batch.append(item)
            self._run_batch(batch)

    def _run_batch(self, batch: list[tuple[Job, Future[Any]]]) -> None:
        outcomes: list[tuple[Future[Any], bool, Any]] = []
        session = self._db.write_session()
        try:
            with session.begin():
                for job, fut in batch:
                    if not fut.set_running_or_notify_cancel():
                        continue
                    pending = session.info.setdefault(PENDING, [])
                    mark = len(pending)
                    savepoint = session.begin_nested()
                    try:
                        result = job(session)
                        savepoint.commit()
                        outcomes.append((fut, True, result))
                    except BaseException as exc:
                        savepoint.rollback()
                        del pending[mark:]
                        forget_head(session)
                        outcomes.append((fut, False, exc))
                notify_committed(session)
            self.commits += 1
            self.jobs += len(batch)
        except BaseException as exc:  # the commit itself failed: nobody's work is durable
            for fut, _ok, _res in outcomes:
                fut.set_exception(exc)
            return
        finally:
            session.close()
        for fut, ok, res in outcomes:
            if ok:
                fut.set_result(res)
            else:
                fut.set_exception(res)
        if self._on_commit is not None:
            self._on_commit()
