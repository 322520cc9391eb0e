"""``record()``: append one event to the log inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from katchi.core.clock import utcnow
from katchi.core.context import Context
from katchi.core.ids import new_id
from katchi.eventlog.chain import GENESIS, entry_hash, fields_of
from katchi.eventlog.kinds import REGISTRY
from katchi.eventlog.models import LogEntry, LogHead

PENDING = "katchi_pending_events"
_HEAD = "katchi_log_head"


@dataclass(frozen=True, slots=True)
class Subject:
    """The record an event is about."""

    type: str
    id: str


def _head(session: Session) -> tuple[int, str]:
    cached = session.info.get(_HEAD)
    if cached is not None:
        return cached
    stmt = select(LogHead.seq, LogHead.hash).where(LogHead.id == 1)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()  # serialises writers across servers; SQLite has BEGIN IMMEDIATE
    row = session.execute(stmt).first()
    if row is None:
        session.add(LogHead(id=1, seq=0, hash=GENESIS))
        session.flush()
        return (0, GENESIS)
    return (row.seq, row.hash)


def forget_head(session: Session) -> None:
    """Drop the cached chain head (after a savepoint rollback)."""
    session.info.pop(_HEAD, None)


def record(
    session: Session,
    ctx: Context,
    *,
    kind: str,
    subject: Subject,
    label: str,
    payload: BaseModel,
    operation_id: str | None = None,
    occurred_at: datetime | None = None,
) -> LogEntry:
    """Append an event of a registered ``kind``; commit is the caller's (the command's) job."""
    registered = REGISTRY.get(kind)
    if registered is None:
        raise ValueError(f"unregistered event kind {kind}")
    if not isinstance(payload, registered.payload):
        raise TypeError(f"{kind} takes {registered.payload.__name__}, not {type(payload).__name__}")
    seq, prev = _head(session)
    data: dict[str, Any] = payload.model_dump(mode="json")
    entry = LogEntry(
        seq=seq + 1,
        id=new_id(),
        occurred_at=(occurred_at or ctx.now).astimezone(UTC),
        recorded_at=utcnow(),
        operation_id=operation_id,
        kind=kind,
        subject_type=subject.type,
        subject_id=subject.id,
        actor_id=ctx.actor_id,
        actor_label=ctx.actor_label,
        source=ctx.source,
        label=label,
        payload=data,
        prev_hash=prev,
        hash="",
    )
    entry.hash = entry_hash(fields_of(entry), prev)
    session.add(entry)
    session.execute(update(LogHead).where(LogHead.id == 1).values(seq=entry.seq, hash=entry.hash))
    session.info[_HEAD] = (entry.seq, entry.hash)
    session.info.setdefault(PENDING, []).append(entry)
    return entry
