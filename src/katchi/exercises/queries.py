"""Reads of the exercises domain: the latest exercise clock of operations a reader already sees."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from katchi.core import NotFound
from katchi.core.access import Principal
from katchi.core.clock import utcnow
from katchi.db import cached
from katchi.eventlog import LogEntry
from katchi.exercises.events import CLOCK_CHANGED, CLOCK_REQUESTED
from katchi.exercises.schemas import ExerciseClockRead
from katchi.operations import visible_operation

#: Cache name (``katchi.db.cached``) of an operation's latest clock within a transaction.
CLOCK_CACHE = "exercise-clock"

#: Clock states of an exercise that is being played now.
LIVE_STATES = frozenset({"running", "paused"})


def latest_clocks(session: Session, operation_ids: Collection[str]) -> dict[str, dict[str, Any]]:
    """The last ``exercises.clock.changed`` payload of each operation that has one.

    Pass only operations the reader may see (from ``list_operations`` or ``visible_operation``):
    a clock event carries its operation's label, so seeing the operation is seeing its clock."""
    if not operation_ids:
        return {}
    last = (
        select(func.max(LogEntry.seq))
        .where(LogEntry.operation_id.in_(list(operation_ids)), LogEntry.kind == CLOCK_CHANGED.name)
        .group_by(LogEntry.operation_id)
    )
    rows = session.execute(select(LogEntry.operation_id, LogEntry.payload).where(LogEntry.seq.in_(last)))
    return {op_id: payload for op_id, payload in rows}


def exercise_start(session: Session, op: Any) -> datetime:
    """T+0 of an exercise operation: when it was opened (a played scenario opens it at its start),
    or where its clock first started if that is earlier (an exercise opened today to play a
    scenario dated in the past)."""
    first = session.scalar(
        select(LogEntry.payload)
        .where(LogEntry.operation_id == op.id, LogEntry.kind == CLOCK_CHANGED.name)
        .order_by(LogEntry.seq)
        .limit(1)
    )
    started: datetime = op.created_at
    return min(started, datetime.fromisoformat(first["sim_time"])) if first else started


def clock_now(payload: dict[str, Any], now: datetime) -> datetime:
    """The simulated time at wall time ``now`` of a clock (an ``exercises.clock.changed`` payload)."""
    sim = datetime.fromisoformat(payload["sim_time"])
    if payload["state"] != "running":
        return sim
    wall = datetime.fromisoformat(payload["wall_time"])
    return sim + (now - wall) * float(payload["speed"])


def exercise_time(session: Session, operation_id: str) -> datetime | None:
    """The simulated time now of an exercise operation with a clock (None for any other): the
    ``Timekeeper`` of contexts built for people, so their actions carry the exercise's time.
    The clock is read once per transaction."""
    clock = cached(session, CLOCK_CACHE, operation_id, lambda: latest_clocks(session, [operation_id]).get(operation_id))
    return clock_now(clock, utcnow()) if clock else None


def exercise_clock(session: Session, principal: Principal | None, op_id: str) -> ExerciseClockRead:
    """The clock of an exercise the reader sees (every participant does); 404 otherwise."""
    view = visible_operation(session, principal, op_id)
    clock = latest_clocks(session, [view.id]).get(view.id) if view.op.mode == "exercise" else None
    if clock is None:
        raise NotFound(f"operation {op_id} has no exercise clock")
    now = utcnow()
    return ExerciseClockRead(
        state=clock["state"],
        sim_time=clock_now(clock, now),
        wall_time=now,
        speed=clock["speed"],
        scenario=clock["scenario"],
    )


def clock_requests(session: Session, operation_id: str, after_seq: int) -> list[tuple[int, str]]:
    """Clock requests of an operation after log seq ``after_seq``, oldest first, as the live run's
    commands (``pause``, ``speed 120``, ``jump 6h`` …) with their seq."""
    rows = session.execute(
        select(LogEntry.seq, LogEntry.payload)
        .where(LogEntry.operation_id == operation_id, LogEntry.kind == CLOCK_REQUESTED.name, LogEntry.seq > after_seq)
        .order_by(LogEntry.seq)
    )
    return [(seq, " ".join(p for p in (payload["action"], payload.get("value")) if p)) for seq, payload in rows]


def latest_seq(session: Session) -> int:
    return session.scalar(select(func.coalesce(func.max(LogEntry.seq), 0))) or 0
