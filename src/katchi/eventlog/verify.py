"""Recompute the whole chain from the database (``katchi audit verify``)."""

from __future__ import annotations

from sqlalchemy import select

from katchi.db import Database
from katchi.eventlog.chain import VerifyResult, verify_entries
from katchi.eventlog.models import LogEntry, LogHead


def verify_log(db: Database) -> VerifyResult:
    with db.read() as s:
        head_row = s.execute(select(LogHead.seq, LogHead.hash).where(LogHead.id == 1)).first()
        head = (head_row.seq, head_row.hash) if head_row else None
        entries = s.scalars(select(LogEntry).order_by(LogEntry.seq).execution_options(yield_per=2000))
        return verify_entries(entries, head)
