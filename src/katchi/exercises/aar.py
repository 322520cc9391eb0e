"""The after-action report of a played exercise as one reader may read it: the figures its run
measured, each objective's result, evaluators' observations by objective and the improvement plan.
Every part comes through the access rule, so a nation's observation never reaches the other's report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.core import Invalid
from katchi.core.access import Principal, can_read, label_filter
from katchi.core.clock import utcnow
from katchi.eventlog import LogEntry
from katchi.exercises.evaluation import list_improvements, list_observations
from katchi.exercises.events import RUN_FINISHED
from katchi.exercises.metrics import from_log, summarise
from katchi.exercises.msel import exercise_objectives
from katchi.exercises.queries import exercise_start, exercise_time
from katchi.exercises.schemas import ImprovementRead, ObservationRead
from katchi.operations import Operation, visible_operation

ENV = Environment(loader=PackageLoader("katchi.exercises", "templates"), autoescape=select_autoescape())


@dataclass
class Evaluation:
    """What the report's evaluation part shows: objectives (with their measured results once the
    run has finished), observations by objective id, and the improvement plan."""

    objectives: list[dict[str, Any]]
    observations: dict[str, list[ObservationRead]]
    improvements: list[ImprovementRead]
    metrics: dict[str, Any] | None = None
    reached: datetime | None = None
    operation: Operation | None = field(default=None, repr=False)
    #: T+0 of the exercise.
    start: datetime | None = None


def evaluation_of(session: Session, principal: Principal | None, op_id: str) -> Evaluation:
    """The evaluation of an exercise as ``principal`` may read it."""
    view = visible_operation(session, principal, op_id)
    if view.op.mode != "exercise":
        raise Invalid("only exercise operations have an after-action report")
    finished = session.execute(
        select(LogEntry.payload, LogEntry.label)
        .where(LogEntry.operation_id == view.id, LogEntry.kind == RUN_FINISHED.name)
        .order_by(LogEntry.seq.desc())
        .limit(1)
    ).first()
    results = (
        finished.payload if finished and can_read(principal, finished.label, participant=view.participant) else None
    )
    start = exercise_start(session, view.op)
    reached = datetime.fromisoformat(results["reached"]) if results else (exercise_time(session, view.id) or utcnow())
    # Figures about records count only what this reader may read (a count would tell of the rest);
    # the model's figures (impact, survivors) are the run's.
    own = label_filter(LogEntry.label, principal, participant=view.participant)
    times, incidents = from_log(session, view.id, start, where=(own,))
    mine = {**summarise(times, max(0.0, (reached - start).total_seconds() / 60)), "incidents": incidents}
    metrics = {**results["metrics"], **mine} if results else None
    objectives = [
        {**o, "value": mine[o["metric"]], "met": objective_met(mine[o["metric"]], o["target"], o["direction"])}
        if results and o["metric"] in mine
        else o
        for o in (results["objectives"] if results else exercise_objectives(session, principal, view.id))
    ]
    by_objective: dict[str, list[ObservationRead]] = defaultdict(list)
    for o in list_observations(session, principal, view.id):
        by_objective[o.objective].append(o)
    return Evaluation(
        objectives=objectives,
        observations=dict(by_objective),
        improvements=list_improvements(session, principal, view.id),
        metrics=metrics,
        reached=reached if results else None,
        operation=view.op,
        start=start,
    )


def objective_met(value: Any, target: float, direction: str) -> bool:
    """Whether a measured value meets its objective's target (``max``: at most; ``min``: at least)."""
    if value is None:
        return False
    return bool(value <= target if direction == "max" else value >= target)


def metric_namer(lang: str | None) -> Any:
    """A metric's name as the report's table calls it (both languages in the bilingual report)."""
    from katchi.exercises.report import METRIC_ROWS

    names = {key: (en, ko) for key, en, ko, _unit in METRIC_ROWS}
    tr = tr_for(lang)
    return lambda key: tr(*names[key]) if key in names else key


def tr_for(lang: str | None) -> Any:
    """Headings in one language, or both (``None``: the bilingual report)."""
    if lang is None:
        return lambda en, ko: f"{en} / {ko}"
    return lambda en, ko: ko if lang == "ko" else en


def t_plus_from(start: datetime) -> Any:
    def t_plus(at: datetime | str) -> str:
        moment = datetime.fromisoformat(at) if isinstance(at, str) else at
        hours = (moment - start).total_seconds() / 3600
        return f"T+{hours:.1f}h"

    return t_plus


def report_css() -> str:
    """The report's stylesheet: linked from the page a browser opens (whose policy allows no inline
    style), inlined in the page WeasyPrint prints."""
    return (resources.files("katchi.exercises") / "templates" / "report.css").read_text("utf-8")


def render_report(evaluation: Evaluation, lang: str, *, inline_css: bool = False) -> str:
    """The report as HTML in ``lang`` (en or ko); ``inline_css`` for the PDF."""
    from katchi.exercises.report import METRIC_ROWS, fmt

    op = evaluation.operation
    assert op is not None
    m = evaluation.metrics or {}
    return ENV.get_template("exercise_report.html").render(
        lang=lang,
        tr=tr_for(lang),
        t_plus=t_plus_from(evaluation.start or op.created_at),
        operation=op,
        evaluation=evaluation,
        reached=evaluation.reached,
        metric_rows=[(en, ko, fmt(m.get(key), unit)) for key, en, ko, unit in METRIC_ROWS] if m else [],
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        inline_css=report_css() if inline_css else None,
        metric_name=metric_namer(lang),
    )


def report_pdf(html: str) -> bytes:
    """The same page as PDF (WeasyPrint; Korean in NanumGothic)."""
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())
