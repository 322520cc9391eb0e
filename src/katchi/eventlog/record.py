"""``record()``: append one event to the log inside the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from pydantic import BaseModel
from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.orm import Session

from katchi.core.clock import utcnow
from katchi.core.context import Context
from katchi.core.ids import new_id
from katchi.eventlog.chain import GENESIS, entry_hash
from katchi.eventlog.kinds import REGISTRY
from katchi.eventlog.models import LogEntry, LogHead

PENDING = "katchi_pending_events"
_ENTRIES = cast(Table, LogEntry.__table__)
_HEADS = cast(Table, LogHead.__table__)
_INSERT_ENTRY = insert(_ENTRIES)
_UPDATE_HEAD = update(_HEADS).where(_HEADS.c.id == 1).values(seq=bindparam("seq"), hash=bindparam("hash"))
_WRITTEN = "_written"
HEAD = "katchi_log_head"


@dataclass(frozen=True, slots=True)
class Subject:
    """The record an event is about."""

    type: str
    id: str


def _head(session: Session) -> tuple[int, str]:
    cached = session.info.get(HEAD)
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


def take_write_lock(session: Session) -> None:
    """Take the log's write lock at the start of a write transaction, before any record is read.

    Every command appends to the log, and appending locks the chain head (``FOR UPDATE`` on
    PostgreSQL; on SQLite, BEGIN IMMEDIATE has locked the file as this first statement runs). Taken
    first by every writer (the server's writer, the CLI, a live exercise), it orders them all the
    same way: none holds a record's row while it waits for the head, so two cannot deadlock, and
    each reads what the one before it committed, so none overwrites another's change."""
    _head(session)


def head_snapshot(session: Session) -> tuple[int, str] | None:
    """The chain head as this transaction sees it now (to restore after a savepoint rollback)."""
    return session.info.get(HEAD)


def restore_head(session: Session, snapshot: tuple[int, str] | None) -> None:
    if snapshot is None:
        session.info.pop(HEAD, None)
    else:
        session.info[HEAD] = snapshot


def flush_log(session: Session) -> None:
    """Write the transaction's pending entries and the chain head, just before COMMIT.

    Entries are kept in memory by ``record()`` and inserted here in one executemany, and the head
    row (read with ``FOR UPDATE`` on PostgreSQL by the first ``record()``) is updated once: a
    group commit costs two statements for the log however many commands it holds.
    """
    pending: list[dict[str, Any]] = session.info.get(PENDING) or []
    rows = [row for row in pending if not row.get(_WRITTEN)]
    if not rows:
        return
    # Core statements on the session's connection: no ORM bookkeeping for append-only rows.
    conn = session.connection()
    conn.execute(_INSERT_ENTRY, [{k: v for k, v in row.items() if k != _WRITTEN} for row in rows])
    for row in rows:
        row[_WRITTEN] = True
    head = session.info[HEAD]
    conn.execute(_UPDATE_HEAD, {"seq": head[0], "hash": head[1]})


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
) -> dict[str, Any]:
    """Append an event of a registered ``kind`` to this transaction; returns the entry's row.

    The row is written by ``flush_log()`` just before the transaction commits.
    """
    registered = REGISTRY.get(kind)
    if registered is None:
        raise ValueError(f"unregistered event kind {kind}")
    if not isinstance(payload, registered.payload):
        raise TypeError(f"{kind} takes {registered.payload.__name__}, not {type(payload).__name__}")
    seq, prev = _head(session)
    row: dict[str, Any] = {
        "seq": seq + 1,
        "id": new_id(),
        "occurred_at": (occurred_at or ctx.occurred(session, operation_id)).astimezone(UTC),
        "recorded_at": utcnow(),
        "operation_id": operation_id,
        "kind": kind,
        "subject_type": subject.type,
        "subject_id": subject.id,
        "actor_id": ctx.actor_id,
        "actor_label": ctx.actor_label,
        "source": ctx.source,
        "label": label,
        "payload": payload.model_dump(mode="json"),
    }
    row["hash"] = entry_hash(row, prev)
    row["prev_hash"] = prev
    session.info[HEAD] = (row["seq"], row["hash"])
    session.info.setdefault(PENDING, []).append(row)
    return row
