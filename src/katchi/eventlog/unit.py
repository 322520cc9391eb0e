"""Transactions for commands run outside the server's writer (CLI, seeding, tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from katchi.db import Database
from katchi.eventlog.record import PENDING, flush_log


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
            yield session
            before_commit(session)
    finally:
        session.close()
