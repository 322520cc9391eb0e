"""A person's notifications: what happened that needs them, in the words they may read."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base


class Notification(Base):
    """One notice to one user, written in the transaction of the event that caused it."""

    __tablename__ = "notifications"

    #: Time-ordered (UUIDv7): newest first is id order, and the list's cursor.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    #: What it is about for its reader: asset_tasked, approval_awaited, rfa_changed, rfa_overdue,
    #: message, sitrep_issued (``notifications.rules``).
    kind: Mapped[str] = mapped_column(String(32))
    #: The log entry that caused it (its seq and kind).
    entry_seq: Mapped[int] = mapped_column(BigInteger)
    event_kind: Mapped[str] = mapped_column(String(64))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(64))
    operation_id: Mapped[str | None] = mapped_column(String(32))
    #: The causing event's label: the reader must still read it for the notice to be shown.
    label: Mapped[str] = mapped_column(String(80))
    #: The label of any further record the text names (a tasking's asset), else NULL: shown only
    #: while the reader may read that too.
    detail_label: Mapped[str | None] = mapped_column(String(80))
    text_en: Mapped[str] = mapped_column(Text)
    text_ko: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]

    __table_args__ = (
        Index("ix_notifications_user_id_id", "user_id", "id"),
        Index("ix_notifications_user_unread", "user_id", "read_at"),
    )
