"""Evaluators' observations against an exercise's objectives, and the improvement plan that
evaluators and controllers write from them (HSEEP: strengths, areas for improvement, corrective
actions with an owner and a due date). Both are read through the access rule like any record."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, assignable_label, stand_in
from katchi.core import Forbidden, Invalid, new_id
from katchi.core.access import Principal, Role, can_read, label_filter, reader
from katchi.core.context import Context
from katchi.eventlog import LogEntry, Readable, Subject, record
from katchi.exercises.events import (
    IMPROVEMENT_ADDED,
    OBSERVATION_RECORDED,
    ImprovementAdded,
    ObservationRecorded,
)
from katchi.exercises.models import ExerciseObservation, ImprovementItem
from katchi.exercises.msel import exercise_objectives, takes_part, when
from katchi.exercises.schemas import ImprovementCreate, ImprovementRead, ObservationCreate, ObservationRead
from katchi.operations import OperationView, visible_operation

#: Who writes the improvement plan.
PLANNERS = frozenset({Role.evaluator, Role.exercise_controller})


def _exercise(session: Session, principal: Principal, op_id: str) -> OperationView:
    view = visible_operation(session, principal, op_id)
    if view.op.mode != "exercise":
        raise Invalid("only exercise operations are evaluated")
    return view


def _objective(session: Session, principal: Principal, view: OperationView, objective: str | None) -> None:
    if objective is None:
        return
    known = [o["id"] for o in exercise_objectives(session, principal, view.id)]
    if objective not in known:
        raise Invalid(
            f"objective {objective!r} is not one of this exercise's ({', '.join(known) or 'none'})",
            errors=[{"loc": ["objective"], "msg": "unknown objective", "input": objective}],
        )


def _readable_entries(
    session: Session, principal: Principal, view: OperationView, ids: list[str]
) -> list[dict[str, str]]:
    """The log entries an observation cites, ``{id, label}``: of this exercise and readable by its
    author (an unknown and an unreadable entry get the same answer)."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    rows = session.execute(
        select(LogEntry.id, LogEntry.label).where(
            LogEntry.id.in_(ids),
            LogEntry.operation_id == view.id,
            label_filter(LogEntry.label, principal, participant=view.participant),
        )
    )
    found = {entry_id: label for entry_id, label in rows}
    missing = [i for i in ids if i not in found]
    if missing:
        raise Invalid(
            f"no log entry {missing[0]} in this exercise",
            errors=[{"loc": ["log_entry_ids"], "msg": "unknown log entry", "input": missing[0]}],
        )
    return [{"id": i, "label": found[i]} for i in ids]


def _observation_read(o: ExerciseObservation, org: str, readable: Readable) -> ObservationRead:
    """The observation with only the cited log entries this reader may read."""
    return ObservationRead(
        id=o.id,
        operation_id=o.operation_id,
        kind=o.kind,
        text=o.text,
        objective=o.objective,
        log_entry_ids=[e["id"] for e in o.cited_entries if readable(e["label"])],
        at=o.at,
        label=o.label,
        author=o.author_label,
        org=org,
        created_at=o.created_at,
    )


def record_observation(session: Session, ctx: Context, op_id: str, data: ObservationCreate) -> ObservationRead:
    """An evaluator of a participating organisation records what they saw."""
    principal = ctx.require()
    view = _exercise(session, principal, op_id)
    if principal.role != Role.evaluator or not view.participant:
        raise Forbidden("only the exercise's evaluators record observations")
    label = assignable_label(session, principal, data.label)
    _objective(session, principal, view, data.objective)
    entries = _readable_entries(session, principal, view, data.log_entry_ids)
    o = ExerciseObservation(
        id=new_id(),
        operation_id=view.id,
        kind=data.kind,
        text=data.text,
        objective=data.objective,
        cited_entries=entries,
        at=when(session, view, data.at, ctx.occurred(session, view.id)),
        label=label,
        org_id=principal.org_id,
        author_id=principal.user_id,
        author_label=principal.label,
        created_at=ctx.occurred(session, view.id),
    )
    session.add(o)
    record(
        session,
        ctx,
        kind=OBSERVATION_RECORDED.name,
        subject=Subject("observation", o.id),
        label=label,
        operation_id=view.id,
        payload=ObservationRecorded(kind=o.kind, objective=o.objective, text=o.text, cited_entries=entries),
    )
    return _observation_read(o, principal.org_slug, reader(principal, participant=view.participant))


def list_observations(session: Session, principal: Principal | None, op_id: str) -> list[ObservationRead]:
    """The observations of an exercise the reader may read, in simulated-time order."""
    view = visible_operation(session, principal, op_id)
    rows = session.execute(
        select(ExerciseObservation, Organisation.slug)
        .join(Organisation, Organisation.id == ExerciseObservation.org_id)
        .where(
            ExerciseObservation.operation_id == view.id,
            label_filter(ExerciseObservation.label, principal, participant=view.participant),
        )
        .order_by(ExerciseObservation.at, ExerciseObservation.id)
    )
    readable = reader(principal, participant=view.participant)
    return [_observation_read(o, slug, readable) for o, slug in rows]


def _improvement_read(i: ImprovementItem, org: str) -> ImprovementRead:
    return ImprovementRead(
        id=i.id,
        operation_id=i.operation_id,
        issue=i.issue,
        corrective_action=i.corrective_action,
        responsible_org=org,
        due=i.due,
        objective=i.objective,
        label=i.label,
        author=i.author_label,
        created_at=i.created_at,
    )


def add_improvement(session: Session, ctx: Context, op_id: str, data: ImprovementCreate) -> ImprovementRead:
    """Evaluators and controllers of the exercise add a row to its improvement plan; the
    responsible organisation must take part and be able to read the row."""
    principal = ctx.require()
    view = _exercise(session, principal, op_id)
    if principal.role not in PLANNERS or not view.participant:
        raise Forbidden("only the exercise's evaluators and controllers write its improvement plan")
    label = assignable_label(session, principal, data.label)
    _objective(session, principal, view, data.objective)
    org = session.scalar(select(Organisation).where(Organisation.slug == data.responsible_org))
    if org is None or not takes_part(session, owner := stand_in(org), view):
        raise Invalid(
            f"responsible_org: {data.responsible_org} does not take part in this exercise",
            errors=[{"loc": ["responsible_org"], "msg": "not a participant", "input": data.responsible_org}],
        )
    if not can_read(owner, label, participant=True):
        raise Invalid(f"responsible_org: {org.slug} could not read a row labelled {label}")
    item = ImprovementItem(
        id=new_id(),
        operation_id=view.id,
        objective=data.objective,
        issue=data.issue,
        corrective_action=data.corrective_action,
        responsible_org_id=org.id,
        due=data.due,
        label=label,
        author_id=principal.user_id,
        author_label=principal.label,
        created_at=ctx.occurred(session, view.id),
    )
    session.add(item)
    record(
        session,
        ctx,
        kind=IMPROVEMENT_ADDED.name,
        subject=Subject("improvement", item.id),
        label=label,
        operation_id=view.id,
        payload=ImprovementAdded(
            issue=item.issue,
            corrective_action=item.corrective_action,
            responsible_org=org.slug,
            due=item.due.isoformat(),
            objective=item.objective,
        ),
    )
    return _improvement_read(item, org.slug)


def list_improvements(session: Session, principal: Principal | None, op_id: str) -> list[ImprovementRead]:
    """The improvement plan of an exercise as the reader may read it, by due date."""
    view = visible_operation(session, principal, op_id)
    rows = session.execute(
        select(ImprovementItem, Organisation.slug)
        .join(Organisation, Organisation.id == ImprovementItem.responsible_org_id)
        .where(
            ImprovementItem.operation_id == view.id,
            label_filter(ImprovementItem.label, principal, participant=view.participant),
        )
        .order_by(ImprovementItem.due, ImprovementItem.id)
    )
    return [_improvement_read(i, slug) for i, slug in rows]
