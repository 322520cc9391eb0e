"""Tables of the reports domain: situation reports and the schedules that prepare them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base


class SitRep(Base):
    """A situation report of one operation for one period, under one label.

    ``texts`` are the sections a person writes (``{section: {en, ko}}``, drafted from the record
    and edited until issued); ``figures`` are the tables drawn from the record when it was
    drafted, as the label's audience reads it, kept as they were so an issued report never changes.
    """

    __tablename__ = "sitreps"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"))
    #: 1, 2, 3 … within the operation and label, in the order they were drafted.
    number: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[datetime]
    period_end: Mapped[datetime]
    #: draft | issued
    state: Mapped[str] = mapped_column(String(16))
    texts: Mapped[dict[str, Any]] = mapped_column(JSON)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Drafted by the operation's schedule rather than by a person.
    scheduled: Mapped[bool] = mapped_column(default=False)
    label: Mapped[str] = mapped_column(String(80))
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200))
    issued_at: Mapped[datetime | None] = mapped_column(default=None)
    issued_by_label: Mapped[str | None] = mapped_column(String(200), default=None)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_sitreps_op_label_number", "operation_id", "label", "number", unique=True),)


class SitRepSchedule(Base):
    """When an operation's drafts are prepared: local times of day in a time zone, under a label,
    on behalf of the coordinator who set it (whose rights are checked again at every draft)."""

    __tablename__ = "sitrep_schedules"

    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"), primary_key=True)
    #: ``["06:00", "18:00"]``
    times: Mapped[list[str]] = mapped_column(JSON)
    timezone: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(80))
    set_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    #: The end of the last period a draft was prepared for (none before it is prepared again).
    last_slot: Mapped[datetime | None] = mapped_column(default=None)
    updated_at: Mapped[datetime]
