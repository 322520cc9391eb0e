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

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from katchi.db import CACHE_PREFIX, Database
from katchi.eventlog.record import HEAD, PENDING, take_write_lock
from katchi.eventlog.unit import before_commit, in_savepoint

T = TypeVar("T")
Job = Callable[[Session], Any]

_STOP = object()


class Writer:
    """Runs write jobs ``fn(session) -> result`` on one thread, many per commit."""

    def __init__(
        self, db: Database, *, batch_max: int = 256, on_commit: Callable[[list[dict[str, Any]]], None] | None = None
    ) -> None:
        self._db = db
        self._batch_max = batch_max
        self._on_commit = on_commit
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="katchi-writer", daemon=True)
        self.commits = 0
        self.jobs = 0
        #: Read caches and the chain head, carried between transactions while nobody else writes.
        self._carry: dict[str, Any] = {}
        self._data_version: int | None = None
        self._conn: Connection | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(_STOP)
        self._thread.join(timeout=10)
        if self._conn is not None:
            self._conn.close()

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
        live = [(job, fut) for job, fut in batch if fut.set_running_or_notify_cancel()]
        if not live:
            return
        committed_rows: list[dict[str, Any]] = []
        try:
            outcomes = self._attempt(live, isolated=False, rows=committed_rows)
        except _JobFailed:
            # Some command refused: run the batch again with a SAVEPOINT per command so the
            # refusal is rolled back alone and the others still commit together.
            try:
                committed_rows.clear()
                outcomes = self._attempt(live, isolated=True, rows=committed_rows)
            except BaseException as exc:
                outcomes = [(fut, False, exc) for _job, fut in live]
        except BaseException as exc:  # the commit itself failed: nobody's work is durable
            outcomes = [(fut, False, exc) for _job, fut in live]
        else:
            pass
        committed = False
        for fut, ok, res in outcomes:
            if ok:
                committed = True
                fut.set_result(res)
            else:
                fut.set_exception(res)
        if committed and self._on_commit is not None:
            self._on_commit(committed_rows)

    def _attempt(
        self, batch: list[tuple[Job, Future[Any]]], *, isolated: bool, rows: list[dict[str, Any]]
    ) -> list[tuple[Future[Any], bool, Any]]:
        """One transaction over the batch. Without isolation the first failure aborts the attempt
        (raising ``_JobFailed``); with it each command runs in its own SAVEPOINT."""
        outcomes: list[tuple[Future[Any], bool, Any]] = []
        session = self._session()
        try:
            with session.begin():
                self._restore_carry(session)
                take_write_lock(session)
                for job, fut in batch:
                    if not isolated:
                        try:
                            outcomes.append((fut, True, job(session)))
                        except Exception as exc:
                            raise _JobFailed from exc
                        continue
                    try:
                        with in_savepoint(session):
                            result = job(session)
                        outcomes.append((fut, True, result))
                    except Exception as exc:
                        outcomes.append((fut, False, exc))
                before_commit(session)
                rows.extend(session.info.get(PENDING) or [])
            self.commits += 1
            self.jobs += len(batch)
            self._keep_carry(session)
        except BaseException:
            self._carry = {}
            raise
        finally:
            session.close()
        return outcomes

    def _session(self) -> Session:
        """On SQLite the writer keeps one connection for life, so ``data_version`` is comparable
        between its transactions; on PostgreSQL it takes one from the pool each time."""
        if not self._db.is_sqlite:
            return self._db.write_session()
        if self._conn is None or self._conn.closed:
            self._conn = self._db.write_engine.connect()
        return Session(bind=self._conn, expire_on_commit=False, join_transaction_mode="rollback_only")

    def _restore_carry(self, session: Session) -> None:
        """Reuse the last transaction's caches and chain head if no other connection has written
        since (SQLite's ``data_version`` says so exactly). PostgreSQL starts afresh: its head row
        must be re-read ``FOR UPDATE`` to serialise the servers."""
        if not self._db.is_sqlite:
            return
        version = session.connection().exec_driver_sql("PRAGMA data_version").scalar()
        if version != self._data_version:
            self._carry = {}
            self._data_version = version
        for key, value in self._carry.items():
            session.info[key] = dict(value) if isinstance(value, dict) else value

    def _keep_carry(self, session: Session) -> None:
        if not self._db.is_sqlite:
            return
        self._carry = {k: v for k, v in session.info.items() if k == HEAD or k.startswith(CACHE_PREFIX)}


class _JobFailed(Exception):
    """A command raised during an optimistic (non-isolated) batch."""
