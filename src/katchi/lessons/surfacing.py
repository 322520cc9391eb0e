"""Lessons where the next decision is made: those relevant to a plan or an operation, ranked.

A lesson is relevant for its hazard (the same as the plan's or operation's), for its capability
area (one the plan's tasks or the operation's RFAs need) and for where it was observed (its area
overlaps the plan's area or the operation's extent). Only lessons a lessons manager validated, or
later, surface; the reader sees those their labels allow, like any read."""

from __future__ import annotations

from typing import Any

import shapely.geometry
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from katchi.cop import Incident
from katchi.core.access import Principal, label_filter, on_platform
from katchi.core.pagination import decode_cursor, encode_cursor
from katchi.lessons.models import Lesson
from katchi.lessons.queries import lesson_read
from katchi.lessons.schemas import SurfacedLesson
from katchi.lessons.states import LessonState
from katchi.operations import visible_operation
from katchi.planning import visible_plan
from katchi.tasking import Rfa

SURFACING = (LessonState.validated, LessonState.action_assigned, LessonState.implemented, LessonState.verified)
#: How much each kind of relevance counts.
WEIGHT = {"hazard": 3, "capability": 2, "area": 1}


def _why(lesson: Lesson, hazard: str | None, capabilities: set[str], area: Any) -> list[dict[str, str]]:
    why = []
    if hazard and lesson.hazard == hazard:
        why.append({"reason": "hazard", "value": hazard})
    if lesson.capability_area and lesson.capability_area in capabilities:
        why.append({"reason": "capability", "value": lesson.capability_area})
    if area is not None and lesson.area and shapely.geometry.shape(lesson.area).intersects(area):
        why.append({"reason": "area", "value": ""})
    return why


def _relevant(
    session: Session,
    principal: Principal,
    *,
    hazard: str | None,
    capabilities: set[str],
    area: Any,
    cursor: str | None,
    limit: int,
) -> tuple[list[SurfacedLesson], str | None]:
    rows = session.scalars(
        select(Lesson).where(
            Lesson.state.in_([s.value for s in SURFACING]),
            label_filter(Lesson.label, principal, participant=on_platform(principal)),
        )
    )
    scored = []
    for lesson in rows:
        why = _why(lesson, hazard, capabilities, area)
        if why:
            score = sum(WEIGHT[w["reason"]] for w in why)
            scored.append((-score, lesson.state != LessonState.verified, -lesson.updated_at.timestamp(), lesson, why))
    scored.sort(key=lambda x: x[:3])
    start = decode_cursor(cursor) or 0
    start = start if isinstance(start, int) else 0
    page = scored[start : start + limit]
    nxt = encode_cursor(start + limit) if start + limit < len(scored) else None
    return [SurfacedLesson(lesson=lesson_read(session, x[3], principal), why=x[4]) for x in page], nxt


def plan_lessons(
    session: Session, principal: Principal, plan_id: str, *, cursor: str | None, limit: int
) -> tuple[list[SurfacedLesson], str | None]:
    """Lessons relevant to a plan the reader may read: its hazard, its tasks' capabilities, its area."""
    plan = visible_plan(session, principal, plan_id)
    capabilities = {t["capability"] for t in plan.content.get("tasks", [])}
    area = shapely.geometry.shape(plan.content["area"])
    return _relevant(
        session, principal, hazard=plan.hazard, capabilities=capabilities, area=area, cursor=cursor, limit=limit
    )


def operation_lessons(
    session: Session, principal: Principal, op_id: str, *, cursor: str | None, limit: int
) -> tuple[list[SurfacedLesson], str | None]:
    """Lessons relevant to an operation the reader may read: its hazard, the capabilities its RFAs
    ask for and the extent of its incidents and RFAs, each as the reader may read them."""
    view = visible_operation(session, principal, op_id)
    rfa_readable = label_filter(Rfa.label, principal, participant=view.participant)
    capabilities = set(
        session.scalars(select(Rfa.capability).where(Rfa.operation_id == view.id, rfa_readable).distinct())
    )
    boxes = []
    for model in (Incident, Rfa):
        row = session.execute(
            select(
                func.min(model.min_lon), func.min(model.min_lat), func.max(model.max_lon), func.max(model.max_lat)
            ).where(model.operation_id == view.id, label_filter(model.label, principal, participant=view.participant))
        ).first()
        if row is not None and row[0] is not None:
            boxes.append(row)
    area = None
    if boxes:
        area = shapely.geometry.box(
            min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)
        )
    return _relevant(
        session, principal, hazard=view.op.hazard, capabilities=capabilities, area=area, cursor=cursor, limit=limit
    )
