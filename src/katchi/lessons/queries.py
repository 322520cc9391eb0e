"""Access-checked reads of lessons. Lessons are platform records (like plans): every signed-in
organisation reads them by their label; their sources only where the reader may read each."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation
from katchi.core import DomainError, NotFound
from katchi.core.access import Principal, can_read, label_filter, on_platform
from katchi.core.paging import paginate
from katchi.core.schemas import Bilingual, OptionalBilingual
from katchi.lessons.models import Lesson, RemedialAction
from katchi.lessons.schemas import LessonRead, RemedialActionRead
from katchi.lessons.sources import exercise_objective, readable
from katchi.lessons.states import LessonState, allowed_actions

TEXT_FIELDS = ("title", "observation", "discussion", "recommendation", "root_cause")


def visible_lesson(session: Session, principal: Principal | None, lesson_id: str) -> Lesson:
    lesson = session.get(Lesson, lesson_id)
    if lesson is None or not can_read(principal, lesson.label, participant=on_platform(principal)):
        raise NotFound(f"no lesson {lesson_id}")
    return lesson


def missing_translations(lesson: Lesson) -> list[str]:
    """``field.lang`` of each text written in one language only."""
    out = []
    for name in TEXT_FIELDS:
        text = getattr(lesson, name) or {}
        en, ko = text.get("en", ""), text.get("ko", "")
        if en and not ko:
            out.append(f"{name}.ko")
        elif ko and not en:
            out.append(f"{name}.en")
    return out


def remedial_actions(session: Session, lesson: Lesson) -> list[RemedialActionRead]:
    rows = session.execute(
        select(RemedialAction, Organisation.slug)
        .join(Organisation, Organisation.id == RemedialAction.owner_org_id)
        .where(RemedialAction.lesson_id == lesson.id)
        .order_by(RemedialAction.created_at, RemedialAction.id)
    )
    return [
        RemedialActionRead(
            id=a.id,
            lesson_id=a.lesson_id,
            owner_org=slug,
            due=a.due,
            text=Bilingual.model_validate(a.text),
            status=a.status,
            created_at=a.created_at,
            implemented_at=a.implemented_at,
        )
        for a, slug in rows
    ]


def lesson_read(session: Session, lesson: Lesson, principal: Principal | None) -> LessonRead:
    org = session.get(Organisation, lesson.org_id)
    return LessonRead(
        id=lesson.id,
        **{name: OptionalBilingual.model_validate(getattr(lesson, name) or {}) for name in TEXT_FIELDS},
        sources=[{"type": s["type"], "id": s["id"]} for s in lesson.sources if readable(session, principal, s)],
        hazard=lesson.hazard,
        capability_area=lesson.capability_area,
        area=lesson.area,
        state=lesson.state,
        allowed_actions=[a.value for a in allowed_actions(LessonState(lesson.state))],
        evidence=_evidence(session, principal, lesson.evidence),
        missing_translations=missing_translations(lesson),
        remedial_actions=remedial_actions(session, lesson),
        label=lesson.label,
        org=org.slug if org else "",
        author=lesson.author_label,
        created_at=lesson.created_at,
        updated_at=lesson.updated_at,
    )


def _evidence(session: Session, principal: Principal | None, evidence: dict[str, str] | None) -> dict[str, str] | None:
    """The evidence that verified a lesson, for a reader who may read it (else None)."""
    if not evidence:
        return None
    shown = {"type": evidence["type"], "id": evidence["id"]}
    if evidence["type"] == "operation_record":
        return shown if readable(session, principal, {"type": evidence.get("kind", ""), "id": evidence["id"]}) else None
    if principal is None:
        return None
    try:
        exercise_objective(session, principal, evidence["id"])
    except DomainError:
        return None
    return shown


def get_lesson(session: Session, principal: Principal | None, lesson_id: str) -> LessonRead:
    return lesson_read(session, visible_lesson(session, principal, lesson_id), principal)


def list_lessons(
    session: Session,
    principal: Principal | None,
    *,
    cursor: str | None,
    limit: int,
    state: str | None = None,
    hazard: str | None = None,
) -> tuple[list[LessonRead], str | None]:
    stmt = select(Lesson).where(label_filter(Lesson.label, principal, participant=on_platform(principal)))
    if state:
        stmt = stmt.where(Lesson.state == state)
    if hazard:
        stmt = stmt.where(Lesson.hazard == hazard)
    rows, nxt = paginate(session, stmt, Lesson.id, cursor=cursor, limit=limit, newest_first=True)
    return [lesson_read(session, lesson, principal) for lesson in rows], nxt
