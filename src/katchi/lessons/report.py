"""The lessons report's content: the lessons one reader may read for a hazard, or drawn from an
exercise, each as ``lesson_read`` shows it to that reader, with counts by state and capability area.
The web layer renders it (HTML and PDF, English or Korean); nothing here formats text.

An exercise's lessons are those citing a record of it *that the reader may read*, or proposed from
its results (``origin``): membership decided from a source the reader may not read would tell them
that source belongs to the exercise."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, cast, or_, select
from sqlalchemy.orm import Session

from katchi.assets import catalogue
from katchi.core import Invalid
from katchi.core.access import Principal, label_filter, on_platform
from katchi.core.clock import utcnow
from katchi.lessons.models import Lesson
from katchi.lessons.queries import lesson_read
from katchi.lessons.schemas import LessonRead
from katchi.lessons.states import LessonState
from katchi.lessons.surfacing import SURFACING
from katchi.operations import visible_operation

#: Lessons shown in full (the counts cover every one): a longer PDF takes too long to print.
REPORT_LIMIT = 300


@dataclass
class LessonsReport:
    """What one reader's report holds. ``exercise_id``/``exercise_name`` or ``hazard`` is the filter."""

    reader: str
    generated: datetime
    #: The states reported (validated and later unless one was asked for).
    states: list[str]
    lessons: list[LessonRead]
    #: Every matching lesson, also those past ``REPORT_LIMIT``.
    total: int
    by_state: dict[str, int]
    #: ``(capability code or None, count)``, most first.
    by_capability: list[tuple[str | None, int]]
    #: ``{code: {en, ko}}`` from the catalogue, for each code in the report.
    capability_names: dict[str, dict[str, str]] = field(default_factory=dict)
    hazard: str | None = None
    exercise_id: str | None = None
    exercise_name: str | None = None


def lessons_report(
    session: Session,
    principal: Principal,
    *,
    hazard: str | None = None,
    exercise: str | None = None,
    state: str | None = None,
    limit: int = REPORT_LIMIT,
) -> LessonsReport:
    """The report of ``hazard`` or of the exercise operation ``exercise`` (exactly one) as
    ``principal`` may read it; ``state`` reports that state only (observed or rejected too)."""
    if (hazard is None) == (exercise is None):
        raise Invalid(
            "give exactly one of hazard or exercise",
            errors=[{"loc": ["query", "hazard"], "msg": "give hazard or exercise", "input": None}],
        )
    states = [state] if state else [s.value for s in SURFACING]
    stmt = select(Lesson).where(
        label_filter(Lesson.label, principal, participant=on_platform(principal)), Lesson.state.in_(states)
    )
    exercise_name = None
    if hazard is not None:
        stmt = stmt.where(Lesson.hazard == hazard)
    else:
        assert exercise is not None
        view = visible_operation(session, principal, exercise)
        if view.op.mode != "exercise":
            raise Invalid(f"operation {exercise} is not an exercise")
        exercise, exercise_name = view.id, view.op.name
        # A coarse pre-selection in SQL; _drawn_from decides.
        stmt = stmt.where(
            or_(
                Lesson.origin.startswith(f"{exercise}/", autoescape=True),
                cast(Lesson.sources, String).contains(exercise, autoescape=True),
            )
        )
    reads = []
    for lesson in session.scalars(stmt.order_by(Lesson.updated_at.desc(), Lesson.id.desc())):
        read = lesson_read(session, lesson, principal)
        if exercise is None or _drawn_from(lesson, read, exercise):
            reads.append(read)
    caps = Counter(r.capability_area for r in reads)
    names = catalogue()
    return LessonsReport(
        reader=principal.label,
        generated=utcnow(),
        states=states,
        lessons=reads[:limit],
        total=len(reads),
        by_state={s.value: sum(r.state == s for r in reads) for s in LessonState if s.value in states},
        by_capability=sorted(caps.items(), key=lambda kv: (-kv[1], kv[0] or "")),
        capability_names={code: dict(names[code].names) for code in caps if code and code in names},
        hazard=hazard,
        exercise_id=exercise,
        exercise_name=exercise_name,
    )


def _drawn_from(lesson: Lesson, read: LessonRead, op_id: str) -> bool:
    """Whether the reader can tell ``lesson`` came from ``op_id``: its origin (the lesson is theirs
    to read), or a source in that operation among the sources ``lesson_read`` showed them."""
    if lesson.origin and lesson.origin.startswith(f"{op_id}/"):
        return True
    shown = {(s["type"], s["id"]) for s in read.sources}
    return any(s.get("operation_id") == op_id and (s["type"], s["id"]) in shown for s in lesson.sources)
