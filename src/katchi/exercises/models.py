"""Tables of the exercises domain: each exercise's master scenario events list (MSEL), its
evaluators' observations and its improvement plan."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base


class ExerciseInject(Base):
    """One inject of an exercise's MSEL: scheduled by its scenario or written by a controller while
    it plays. Players learn of it only when it is delivered (``exercises.inject.delivered``)."""

    __tablename__ = "exercise_injects"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"))
    #: Its place in the MSEL (1, 2, …), as controllers call it ("inject 7").
    number: Mapped[int] = mapped_column(Integer)
    #: The simulated time it is due.
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    #: A GeoJSON point, or None for an inject with no place (a phone call, a rumour).
    location: Mapped[dict[str, Any] | None]
    #: The organisation it is addressed to (None: the whole exercise).
    to_org_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    #: What the players are expected to do: for controllers and evaluators, never delivered.
    expected_action: Mapped[str] = mapped_column(Text, default="")
    #: The id of the scenario objective it tests.
    objective: Mapped[str | None] = mapped_column(String(64))
    #: Effects on the simulation (``travel_time_factor``, ``facility``, ``capacity``, ``severity``).
    effects: Mapped[dict[str, Any]]
    label: Mapped[str] = mapped_column(String(80))
    #: pending | held | delivered
    status: Mapped[str] = mapped_column(String(16))
    #: scenario | adhoc
    source: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    #: The simulated time it was delivered.
    delivered_at: Mapped[datetime | None]

    __table_args__ = (Index("ix_exercise_injects_due", "operation_id", "status", "at"),)


class ExerciseObservation(Base):
    """What an evaluator saw, against one of the exercise's objectives (HSEEP: a strength or an area
    for improvement), with the log entries that show it."""

    __tablename__ = "exercise_observations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"), index=True)
    #: strength | area_for_improvement
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    #: The id of the scenario objective it is recorded against.
    objective: Mapped[str] = mapped_column(String(64))
    #: The log entries it cites, each ``{id, label}``: shown only to readers of that label.
    cited_entries: Mapped[list[dict[str, str]]] = mapped_column(JSON)
    #: The simulated time it was seen.
    at: Mapped[datetime]
    label: Mapped[str] = mapped_column(String(80))
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class ImprovementItem(Base):
    """A row of the after-action report's improvement plan: an issue, its corrective action, who
    owns it and by when."""

    __tablename__ = "exercise_improvements"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"), index=True)
    objective: Mapped[str | None] = mapped_column(String(64))
    issue: Mapped[str] = mapped_column(Text)
    corrective_action: Mapped[str] = mapped_column(Text)
    responsible_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    due: Mapped[date]
    label: Mapped[str] = mapped_column(String(80))
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
