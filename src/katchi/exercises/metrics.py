"""Exercise metrics, from the event log (or, for engine-only runs, from the engine's own records).

Both paths reduce a run to one ``RfaTimes`` per request and go through ``summarise``, so the
figures mean the same thing whichever way they were obtained (a test checks they agree).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.eventlog import LogEntry
from katchi.exercises.needs import URGENT, Need


@dataclass(slots=True)
class RfaTimes:
    """Minutes since the scenario start at which a request reached each state."""

    created: float
    priority: str
    validated: float | None = None
    tasked: float | None = None
    completed: float | None = None
    military: bool | None = None


def from_needs(needs: Iterable[Need], until_min: float) -> list[RfaTimes]:
    return [
        RfaTimes(n.at, n.priority, n.validated_at, n.tasked_at, n.completed_at, n.military)
        for n in needs
        if n.at < until_min
    ]


def _minutes(at: datetime, start: datetime) -> float:
    return (at - start).total_seconds() / 60.0


def from_log(
    session: Session, operation_id: str, start: datetime, *, where: Sequence[Any] = ()
) -> tuple[list[RfaTimes], int]:
    """The operation's requests and the number of incidents reported, read from the event log;
    ``where``: a reader's access rule, so the figures count only what that reader may read."""
    rows = session.execute(
        select(LogEntry.kind, LogEntry.subject_id, LogEntry.occurred_at, LogEntry.payload)
        .where(LogEntry.operation_id == operation_id, *where)
        .order_by(LogEntry.seq)
    )
    rfas: dict[str, RfaTimes] = {}
    incidents = 0
    for kind, subject, at, payload in rows:
        t = _minutes(at, start)
        if kind == "cop.incident.reported":
            incidents += 1
        elif kind == "tasking.rfa.created":
            rfas[subject] = RfaTimes(t, payload["priority"])
        elif subject not in rfas:  # a step of a request the reader never saw created
            continue
        elif kind == "tasking.rfa.validated":
            rfas[subject].validated = t
        elif kind == "tasking.rfa.tasked":
            r = rfas[subject]
            r.tasked, r.military = t, bool(payload["last_resort"].get("military"))
        elif kind == "tasking.rfa.completed":
            rfas[subject].completed = t
    return list(rfas.values()), incidents


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile; None when there are no values."""
    if not values:
        return None
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, math.ceil(q / 100 * len(ordered)) - 1))
    return round(ordered[k], 1)


def summarise(times: Sequence[RfaTimes], until_min: float) -> dict[str, Any]:
    """The timing and coverage figures of a run (``None`` where nothing happened to measure)."""
    validated = [r.validated - r.created for r in times if r.validated is not None]
    tasked = [r.tasked - r.created for r in times if r.tasked is not None]
    completed = [r.completed - r.created for r in times if r.completed is not None]
    urgent_hours = sum(
        ((r.completed if r.completed is not None else until_min) - r.created) / 60.0
        for r in times
        if r.priority in URGENT
    )
    taskings = [r for r in times if r.tasked is not None]
    military = sum(1 for r in taskings if r.military)
    return {
        "rfas": len(times),
        "needs_met_share": round(len(completed) / len(times), 4) if times else 0.0,
        "unmet_urgent_need_hours": round(urgent_hours, 1),
        "rfa_validated_p50_min": percentile(validated, 50),
        "rfa_validated_p90_min": percentile(validated, 90),
        "rfa_tasked_p50_min": percentile(tasked, 50),
        "rfa_tasked_p90_min": percentile(tasked, 90),
        "rfa_completed_p50_min": percentile(completed, 50),
        "rfa_completed_p90_min": percentile(completed, 90),
        "taskings": len(taskings),
        "military_share_of_taskings": round(military / len(taskings), 4) if taskings else None,
    }


def met_share_series(times: Sequence[RfaTimes], until_min: float, step_min: float = 60.0) -> list[tuple[float, float]]:
    """(hour, share of needs reported so far that are met) for the report's chart."""
    out = []
    t = step_min
    while t <= until_min + 1e-9:
        arisen = [r for r in times if r.created <= t]
        met = sum(1 for r in arisen if r.completed is not None and r.completed <= t)
        out.append((t / 60.0, met / len(arisen) if arisen else 0.0))
        t += step_min
    return out
