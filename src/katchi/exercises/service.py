"""Commands of the exercises domain: the exercise clock, recorded so every console can show it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy.orm import Session

from katchi.core import Forbidden, Invalid
from katchi.core.access import Principal, Role
from katchi.core.clock import utcnow
from katchi.core.context import Context
from katchi.db import forget
from katchi.eventlog import Subject, record
from katchi.exercises.events import (
    CLOCK_CHANGED,
    CLOCK_REQUESTED,
    RUN_FINISHED,
    ClockChanged,
    ClockRequested,
    RunFinished,
)
from katchi.exercises.queries import CLOCK_CACHE, clock_now, exercise_start, latest_clocks
from katchi.exercises.scenario import parse_duration
from katchi.exercises.schemas import ClockRequest
from katchi.operations import OperationView, coordinates, writable_operation

ClockState = Literal["running", "paused", "ended"]
#: The farthest a jump may go from the scenario's start (no scenario plays longer).
MAX_JUMP = timedelta(days=30)


def require_clock_keeper(session: Session, principal: Principal, view: OperationView) -> None:
    """The exercise's own coordinators (its lead's and co-coordinators') and the exercise
    controllers of its participants run its clock; a trainee organisation's coordinator does not."""
    if principal.role == Role.exercise_controller and view.participant:
        return
    if not coordinates(session, principal, view):
        raise Forbidden("only the exercise's coordinators and exercise controllers run the exercise clock")


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
    require_clock_keeper(session, principal, view)
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


def request_clock(session: Session, ctx: Context, op_id: str, body: ClockRequest) -> ClockRequest:
    """Ask the running exercise's clock to pause, resume, change speed or jump ahead (exercise
    controllers and coordinators); the live run obeys within a second."""
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    if view.op.mode != "exercise":
        raise Invalid("only exercise operations have an exercise clock")
    require_clock_keeper(session, principal, view)
    clock = latest_clocks(session, [view.id]).get(view.id)
    if clock is None or clock["state"] == "ended":
        raise Invalid("this exercise is not being played: start it with katchi exercise start")
    value: str | None = None
    if body.action in ("pause", "resume") and body.value is not None:
        raise Invalid(f"{body.action} takes no value")
    if body.action == "speed":
        try:
            speed = float(body.value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise Invalid("speed takes a number, e.g. 120") from None
        if not 0 < speed <= 10_000:
            raise Invalid("speed must be above 0 and at most 10000")
        value = f"{speed:g}"
    elif body.action == "jump":
        if not isinstance(body.value, str):
            raise Invalid('jump takes T+duration with its unit, e.g. "6h" or "90m"')
        try:
            ahead = parse_duration(body.value)
        except (ValueError, OverflowError) as exc:
            raise Invalid(f"jump takes T+duration, e.g. 6h: {exc}") from None
        if ahead > MAX_JUMP:
            raise Invalid(f"jump at most {MAX_JUMP.days} days from the scenario's start")
        if exercise_start(session, view.op) + ahead <= clock_now(clock, utcnow()):
            raise Invalid("the exercise clock never goes backwards: jump to a later time")
        value = str(body.value)
    record(
        session,
        ctx,
        kind=CLOCK_REQUESTED.name,
        subject=Subject("operation", view.id),
        label=view.op.label,
        operation_id=view.id,
        payload=ClockRequested(action=body.action, value=value),
    )
    return ClockRequest(action=body.action, value=value)


#: What a run's results tell every participant: the run's identity and the model's figures. Counts
#: and times of records (requests, incidents, taskings, assets) are left out: they would tell a
#: reader of records under labels they may not read; each reader's report counts its own.
MODEL_FIGURES = frozenset(
    {
        "scenario",
        "policy",
        "seed",
        "sim_hours",
        "wall_s",
        "sim_speedup",
        "survivors_rescued",
        "asset_utilisation",
        "deaths",
        "injured",
        "trapped",
        "buildings_collapsed",
        "displaced",
        "clock_lag_p50_s",
        "clock_lag_p99_s",
        "clock_lag_max_s",
    }
)


def record_results(
    session: Session,
    ctx: Context,
    op_id: str,
    *,
    reached: datetime,
    metrics: dict[str, Any],
    objectives: list[dict[str, Any]],
) -> None:
    """Record what a played exercise measured (the run that played it), so its after-action report
    can be read later by every participant: only ``MODEL_FIGURES``, and an objective's result only
    when it measures one of them."""
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    if view.op.mode != "exercise":
        raise Invalid("only exercise operations have results")
    require_clock_keeper(session, principal, view)
    record(
        session,
        ctx,
        kind=RUN_FINISHED.name,
        subject=Subject("operation", view.id),
        label=view.op.label,
        operation_id=view.id,
        payload=RunFinished(
            reached=reached,
            metrics={k: v for k, v in metrics.items() if k in MODEL_FIGURES},
            objectives=[
                o if o.get("metric") in MODEL_FIGURES else {k: v for k, v in o.items() if k not in ("value", "met")}
                for o in objectives
            ],
        ),
    )
