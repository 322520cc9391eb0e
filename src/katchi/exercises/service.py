"""Commands of the exercises domain: the exercise clock, recorded so every console can show it."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from katchi.core import Forbidden, Invalid
from katchi.core.access import Role
from katchi.core.clock import utcnow
from katchi.core.context import Context
from katchi.db import forget
from katchi.eventlog import Subject, record
from katchi.exercises.events import CLOCK_CHANGED, ClockChanged
from katchi.exercises.queries import CLOCK_CACHE
from katchi.operations import COORDINATING, writable_operation

ClockState = Literal["running", "paused", "ended"]


def record_clock(
    session: Session,
    ctx: Context,
    op_id: str,
    *,
    state: ClockState,
    sim_time: datetime,
    speed: float,
    scenario: str,
) -> None:
    """Record the exercise clock of an exercise operation (coordinators and exercise controllers)."""
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    if view.op.mode != "exercise":
        raise Invalid("only exercise operations have an exercise clock")
    if principal.role not in COORDINATING and principal.role != Role.exercise_controller:
        raise Forbidden("only coordinators and exercise controllers run the exercise clock")
    if speed <= 0:
        raise Invalid("speed must be positive")
    forget(session, CLOCK_CACHE)
    record(
        session,
        ctx,
        kind=CLOCK_CHANGED.name,
        subject=Subject("operation", view.id),
        label=view.op.label,
        operation_id=view.id,
        payload=ClockChanged(state=state, sim_time=sim_time, wall_time=utcnow(), speed=speed, scenario=scenario),
    )
