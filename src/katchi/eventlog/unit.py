"""Transactions for commands run outside the server's writer (CLI, seeding, tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from katchi.db import Database
from katchi.eventlog.record import PENDING, flush_log, head_snapshot, restore_head, take_write_lock


def before_commit(session: Session) -> None:
    """Persist the chain head and, on PostgreSQL, tell every server's feeder that the log grew
    (NOTIFY is delivered at COMMIT, in commit order)."""
    flush_log(session)
    pending = session.info.get(PENDING)
    if pending and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify('katchi_log', :seq)"), {"seq": str(pending[-1]["seq"])})


@contextmanager
def transaction(db: Database) -> Iterator[Session]:
    """One write transaction: commands inside it commit together or not at all."""
    session = db.write_session()
    try:
        with session.begin():
            take_write_lock(session)
            yield session
            before_commit(session)
    finally:
        session.close()


@contextmanager
def in_savepoint(session: Session) -> Iterator[None]:
    """Run one command in a SAVEPOINT of a larger transaction: if it raises, its rows and its log
    entries are undone alone (the chain head too), and the exception goes on to the caller."""
    pending = session.info.setdefault(PENDING, [])
    mark = len(pending)
    head = head_snapshot(session)
    savepoint = session.begin_nested()
    try:
        yield
    except BaseException:
        savepoint.rollback()
        del pending[mark:]
        restore_head(session, head)
        raise
    savepoint.commit()
