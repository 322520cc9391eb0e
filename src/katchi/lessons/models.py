"""Tables of the lessons domain: lessons (each begins as an observation) and their remedial actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base


class Lesson(Base):
    """An observation, and the lesson it becomes. Text fields are ``{en, ko}``; ``sources`` are
    the records it was drawn from, each ``{type, id, label}`` (shown only to readers of its label)."""

    __tablename__ = "lessons"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[dict[str, Any]]
    observation: Mapped[dict[str, Any]]
    discussion: Mapped[dict[str, Any]]
    recommendation: Mapped[dict[str, Any]]
    #: Set when it is validated.
    root_cause: Mapped[dict[str, Any]]
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    hazard: Mapped[str | None] = mapped_column(String(64), index=True)
    #: Where it was observed (GeoJSON): given, or the extent of its located sources.
    area: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    #: A capability code from the catalogue.
    capability_area: Mapped[str | None] = mapped_column(String(64))
    #: observed | validated | action_assigned | implemented | verified | rejected (``states.py``)
    state: Mapped[str] = mapped_column(String(16), index=True)
    #: What drew it from an exercise's results (``<operation id>/objective:<id>`` or
    #: ``<operation id>/metric:<name>``), so the same finding is proposed once.
    origin: Mapped[str | None] = mapped_column(String(200), default=None, unique=True)
    #: What verified it: ``{type: exercise_objective | operation_record, id}``.
    evidence: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    label: Mapped[str] = mapped_column(String(80))
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RemedialAction(Base):
    """What an organisation will change, by when, because of a lesson (under the lesson's label)."""

    __tablename__ = "remedial_actions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    lesson_id: Mapped[str] = mapped_column(ForeignKey("lessons.id"), index=True)
    owner_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    due: Mapped[date]
    text: Mapped[dict[str, Any]]
    #: open | implemented
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    implemented_at: Mapped[datetime | None] = mapped_column(default=None)
