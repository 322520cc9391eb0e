"""Transactions for commands run outside the server's writer (CLI, seeding, tests)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from katchi.db import Database
from katchi.eventlog.record import PENDING


def notify_committed(session: Session) -> None:
    """On PostgreSQL, tell every server's feeder (delivered at COMMIT) that the log grew."""
    pending = session.info.get(PENDING)
    if pending and session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_notify('katchi_log', :seq)"), {"seq": str(pending[-1].seq)})


@contextmanager
def transaction(db: Database) -> Iterator[Session]:
    """One write transaction: commands inside it commit together or not at all."""
    session = db.write_session()
    try:
        with session.begin():
            yield session
            notify_committed(session)
    finally:
        session.close()
