"""Commands of the lessons domain: record an observation, and take a lesson through its life
cycle (validate, reject, assign remedial actions, implement them, verify). Each checks the
caller's role itself and logs one event."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, assignable_label, stand_in
from katchi.assets import require_capability
from katchi.core import Conflict, Forbidden, Invalid, bbox_of, new_id, validate_geometry
from katchi.core.access import Principal, Role, can_read
from katchi.core.context import Context
from katchi.eventlog import Subject, record
from katchi.lessons.events import LESSON_EDITED, LESSON_OBSERVED, STEP_KIND, LessonEdited, LessonObserved, LessonStep
from katchi.lessons.models import Lesson, RemedialAction
from katchi.lessons.queries import lesson_read, visible_lesson
from katchi.lessons.schemas import LessonActionBody, LessonRead, LessonUpdate, ObservationCreate
from katchi.lessons.sources import exercise_objective, fits, operation_record, resolve
from katchi.lessons.states import TRANSITIONS, LessonAction, LessonActor, LessonState, allowed_actions


def record_observation(session: Session, ctx: Context, data: ObservationCreate) -> LessonRead:
    """Any contributing user records an observation (a lesson in state ``observed``), drawn from
    records they may read or written directly."""
    principal = ctx.require()
    if not (principal.can_contribute() or principal.role in (Role.evaluator, Role.lessons_manager)):
        raise Forbidden("viewers do not record observations")
    label = assignable_label(session, principal, data.label)
    if data.capability_area:
        require_capability(data.capability_area, field="capability_area")
    sources = []
    for i, ref in enumerate(dict.fromkeys((s.type, s.id) for s in data.sources)):
        source = resolve(session, principal, ref[0], ref[1], f"sources.{i}")
        if not fits(session, label, source):
            raise Invalid(
                f"label {label} would let organisations read this lesson that may not read source {ref[1]} "
                f"({source['label']} in its operation): label it org:{principal.org_slug}, or with a label "
                "only that operation's participants read",
                errors=[{"loc": ["label"], "msg": "wider than a source", "input": label}],
            )
        sources.append(source)
    area = validate_geometry(data.area, field="area") if data.area is not None else _extent(sources)
    lesson = Lesson(
        id=new_id(),
        title=data.title.model_dump(),
        observation=data.observation.model_dump(),
        discussion=data.discussion.model_dump(),
        recommendation=data.recommendation.model_dump(),
        root_cause={"en": "", "ko": ""},
        sources=[{k: v for k, v in src.items() if k != "location"} for src in sources],
        area=area,
        hazard=data.hazard,
        capability_area=data.capability_area,
        state=LessonState.observed.value,
        label=label,
        org_id=principal.org_id,
        author_id=principal.user_id,
        author_label=principal.label,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    session.add(lesson)
    record(
        session,
        ctx,
        kind=LESSON_OBSERVED.name,
        subject=Subject("lesson", lesson.id),
        label=label,
        payload=LessonObserved(
            title=lesson.title,
            hazard=lesson.hazard,
            capability_area=lesson.capability_area,
            sources=[{"type": src["type"], "id": src["id"], "label": src["label"]} for src in sources],
        ),
    )
    session.flush()
    return lesson_read(session, lesson, principal)


def _extent(sources: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The bounding box of the located sources, 100 m wider all round (so a single point is an
    area), as a GeoJSON polygon (None without any)."""
    boxes = [bbox_of(src["location"]) for src in sources if src.get("location")]
    if not boxes:
        return None
    pad = 0.001
    x0, y0 = min(b[0] for b in boxes) - pad, min(b[1] for b in boxes) - pad
    x1, y1 = max(b[2] for b in boxes) + pad, max(b[3] for b in boxes) + pad
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def _actors(session: Session, principal: Principal, lesson: Lesson, body: LessonActionBody) -> set[LessonActor]:
    actors = set()
    if principal.role == Role.lessons_manager:
        actors.add(LessonActor.lessons_manager)
    if principal.can_contribute() and _open_action(session, lesson, body, owner=principal.org_id) is not None:
        actors.add(LessonActor.action_owner)
    return actors


def _open_action(
    session: Session, lesson: Lesson, body: LessonActionBody, *, owner: str | None = None
) -> RemedialAction | None:
    """The open remedial action ``body`` names (or the only open one), if ``owner`` owns it."""
    stmt = select(RemedialAction).where(RemedialAction.lesson_id == lesson.id, RemedialAction.status == "open")
    if body.remedial_action_id:
        stmt = stmt.where(RemedialAction.id == body.remedial_action_id)
    actions = list(session.scalars(stmt))
    if len(actions) != 1 or (owner is not None and actions[0].owner_org_id != owner):
        return None
    return actions[0]


def act_on_lesson(
    session: Session, ctx: Context, lesson_id: str, action: LessonAction, body: LessonActionBody
) -> LessonRead:
    """404 if the lesson is invisible, 409 if its state forbids the action, 403 if the caller may not."""
    principal = ctx.require()
    lesson = visible_lesson(session, principal, lesson_id)
    state = LessonState(lesson.state)
    transition = TRANSITIONS[action]
    if state not in transition.sources:
        raise Conflict(
            f"cannot {action.value} a lesson that is {state.value}",
            current_state=state.value,
            allowed_actions=[a.value for a in allowed_actions(state)],
        )
    if not transition.actors & _actors(session, principal, lesson, body):
        who = (
            "a lessons manager"
            if transition.actors == {LessonActor.lessons_manager}
            else ("the organisation that owns the remedial action, or a lessons manager")
        )
        raise Forbidden(f"only {who} may {action.value} this lesson", current_state=state.value)
    target = transition.target
    step = LessonStep(action=action.value, from_state=state.value, to_state=target.value, reason=body.reason)
    if action is LessonAction.validate:
        if body.root_cause is not None:
            lesson.root_cause = body.root_cause.model_dump()
        if body.capability_area:
            lesson.capability_area = require_capability(body.capability_area, field="capability_area").code
        if body.hazard:
            lesson.hazard = body.hazard
    elif action is LessonAction.assign:
        step.remedial_action = _assign(session, ctx, lesson, body)
    elif action is LessonAction.implement:
        done = _open_action(session, lesson, body)
        if done is None:
            raise Invalid(
                "implement: name the open remedial action (remedial_action_id)",
                errors=[{"loc": ["remedial_action_id"], "msg": "which open action"}],
            )
        done.status, done.implemented_at = "implemented", ctx.now
        session.flush()
        still_open = session.scalar(
            select(RemedialAction.id).where(RemedialAction.lesson_id == lesson.id, RemedialAction.status == "open")
        )
        target = LessonState.action_assigned if still_open else LessonState.implemented
        step = LessonStep(action=action.value, from_state=state.value, to_state=target.value,
                          remedial_action={"id": done.id})  # fmt: skip
    elif action is LessonAction.verify:
        if body.evidence is None:
            raise Invalid("verify needs evidence", errors=[{"loc": ["evidence"], "msg": "required"}])
        if body.evidence.type == "exercise_objective":
            found = exercise_objective(session, principal, body.evidence.id)
        else:
            found = operation_record(session, principal, body.evidence.id)
        lesson.evidence = {"type": body.evidence.type, "id": found["id"], "kind": found["type"]}
        step.evidence = {"type": body.evidence.type}  # its id is shown per reader (``lesson_read``)
    lesson.state, lesson.updated_at = target.value, ctx.now
    record(
        session,
        ctx,
        kind=STEP_KIND[action.value],
        subject=Subject("lesson", lesson.id),
        label=lesson.label,
        payload=step,
    )
    session.flush()
    return lesson_read(session, lesson, principal)


def _assign(session: Session, ctx: Context, lesson: Lesson, body: LessonActionBody) -> dict[str, str]:
    """A remedial action for an organisation that can read the lesson."""
    if not body.owner_org or body.due is None or body.text is None:
        raise Invalid(
            "assign needs owner_org, due and text",
            errors=[{"loc": [f], "msg": "required"} for f in ("owner_org", "due", "text") if getattr(body, f) is None],
        )
    org = session.scalar(select(Organisation).where(Organisation.slug == body.owner_org))
    if org is None or not can_read(stand_in(org), lesson.label, participant=True):
        raise Invalid(
            f"owner_org: {body.owner_org} is not an organisation that can read this lesson ({lesson.label})",
            errors=[{"loc": ["owner_org"], "msg": "cannot read the lesson", "input": body.owner_org}],
        )
    action = RemedialAction(
        id=new_id(),
        lesson_id=lesson.id,
        owner_org_id=org.id,
        due=body.due,
        text=body.text.model_dump(),
        status="open",
        created_at=ctx.now,
    )
    session.add(action)
    return {"id": action.id, "owner_org": org.slug, "due": body.due.isoformat()}


#: States in which a lesson's texts may still change.
EDITABLE = (LessonState.observed, LessonState.validated, LessonState.action_assigned, LessonState.implemented)


def edit_lesson(session: Session, ctx: Context, lesson_id: str, data: LessonUpdate) -> LessonRead:
    """A lessons manager, or a contributing user of the observing organisation, edits a lesson's
    texts (fills in the other language) until it is verified or rejected."""
    principal = ctx.require()
    lesson = visible_lesson(session, principal, lesson_id)
    author_side = principal.org_id == lesson.org_id and principal.can_contribute()
    if principal.role != Role.lessons_manager and not author_side:
        raise Forbidden("only a lessons manager or the observing organisation edits a lesson")
    if LessonState(lesson.state) not in EDITABLE:
        raise Conflict(f"a lesson that is {lesson.state} is no longer edited", current_state=lesson.state)
    fields = []
    for name in ("title", "observation", "discussion", "recommendation", "root_cause"):
        value = getattr(data, name)
        if value is not None and value.model_dump() != getattr(lesson, name):
            setattr(lesson, name, value.model_dump())
            fields.append(name)
    if fields:
        lesson.updated_at = ctx.now
        record(
            session,
            ctx,
            kind=LESSON_EDITED.name,
            subject=Subject("lesson", lesson.id),
            label=lesson.label,
            payload=LessonEdited(fields=fields),
        )
        session.flush()
    return lesson_read(session, lesson, principal)
