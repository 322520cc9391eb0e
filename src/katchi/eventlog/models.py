"""Tables of the event log: entries, the chain head, and idempotency records."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base


class LogEntry(Base):
    """One event; append-only. Together the rows form a SHA-256 hash chain ordered by ``seq``."""

    __tablename__ = "log_entries"

    #: Position in the log and the live-stream cursor (SSE ``id:``); gapless, commit-ordered.
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(32), unique=True)
    #: When it happened in the world (simulated time for exercises).
    occurred_at: Mapped[datetime]
    #: When the platform wrote it.
    recorded_at: Mapped[datetime]
    operation_id: Mapped[str | None] = mapped_column(String(32), index=True)
    #: Registered event kind, e.g. ``tasking.rfa.submitted``.
    kind: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    #: Acting user id, or NULL for system actions.
    actor_id: Mapped[str | None] = mapped_column(String(32))
    #: ``username@org`` at the time: kept even if the user is later renamed or removed.
    actor_label: Mapped[str] = mapped_column(String(200))
    #: Channel: web, cli, sim, interop:cot …
    source: Mapped[str] = mapped_column(String(32))
    #: Releasability of this event (the subject record's label after the change).
    label: Mapped[str] = mapped_column(String(80))
    payload: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_log_entries_op_seq", "operation_id", "seq"),
        # The latest event of a kind in an operation (e.g. its exercise clock), by index.
        Index("ix_log_entries_op_kind_seq", "operation_id", "kind", "seq"),
    )


class LogHead(Base):
    """Single row holding the chain head; locking it serialises writers on every database."""

    __tablename__ = "log_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))


class IdempotencyRecord(Base):
    """The stored answer to a POST sent with ``Idempotency-Key``; written with the command."""

    __tablename__ = "idempotency_records"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    #: ``METHOD path`` and a hash of the body: a reused key with another request is refused.
    request_fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
