"""The exercise's master scenario events list (MSEL): scheduled and ad-hoc injects that
controllers hold, release and edit while the exercise plays, and that the running exercise
delivers to the players when the exercise clock reaches them.

The MSEL is the control cell's: only exercise controllers of participating organisations read it
(a coordinator may be a player). Controllers' changes are logged under their own organisation's
label and carry no inject content, so the stream never tells players what is coming; a delivered
inject is logged under the inject's own label.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, assignable_label, stand_in
from katchi.core import Conflict, Forbidden, Invalid, NotFound, new_id
from katchi.core.access import Principal, Role, can_read, label_filter
from katchi.core.context import Context
from katchi.core.geo import validate_geometry
from katchi.core.labels import parse_label, stricter
from katchi.eventlog import LogEntry, Subject, record
from katchi.exercises.events import (
    INJECT_ADDED,
    INJECT_CHANGED,
    INJECT_DELIVERED,
    MSEL_LOADED,
    InjectAdded,
    InjectChanged,
    InjectDelivered,
    MselLoaded,
)
from katchi.exercises.models import ExerciseInject
from katchi.exercises.queries import exercise_start
from katchi.exercises.scenario import Inject, Objective, parse_duration
from katchi.exercises.schemas import InjectCreate, InjectRead, InjectUpdate
from katchi.exercises.service import MAX_JUMP, require_clock_keeper
from katchi.operations import OperationView, visible_operation, writable_operation

#: The source of commands the simulator runs (``Context.source``).
SIMULATOR = "sim"
#: Statuses of an inject the controllers may still change.
OPEN = frozenset({"pending", "held"})


def _exercise(session: Session, principal: Principal, op_id: str, *, write: bool) -> OperationView:
    view = writable_operation(session, principal, op_id) if write else visible_operation(session, principal, op_id)
    if view.op.mode != "exercise":
        raise Invalid("only exercise operations have an MSEL")
    return view


def _require_controller(principal: Principal, view: OperationView | None = None) -> None:
    """Controllers change the MSEL; the role is checked before any inject is looked up, so others
    cannot tell which inject ids exist."""
    if principal.role != Role.exercise_controller or (view is not None and not view.participant):
        raise Forbidden("only the exercise's controllers change its MSEL")


#: Who reads the MSEL: its controllers, and its evaluators (who judge players against the
#: injects' expected actions).
MSEL_READERS = frozenset({Role.exercise_controller, Role.evaluator})


def when(
    session: Session, view: OperationView, text: str | None, now: datetime, *, within: timedelta | None = MAX_JUMP
) -> datetime:
    """A time in an operation from ``T+6h``/``6h`` (from its start: an exercise's T+0) or an ISO
    time with its zone; none is ``now`` (an exercise's clock). It never precedes the start and,
    for what an exercise schedules, stays within its first 30 days (``within``)."""
    start = exercise_start(session, view.op)
    if text is None or not text.strip():
        at = now
    else:
        t = text.strip()
        try:
            if t[:2].upper() == "T+" or not t[:1].isdigit() or t[-1:] in "smhd":
                at = start + parse_duration(t[2:] if t[:2].upper() == "T+" else t)
            else:
                at = datetime.fromisoformat(t)
        except (ValueError, OverflowError):
            raise Invalid(
                f"at {text!r}: give T+duration (e.g. T+6h, 90m) or an ISO time with its zone",
                errors=[{"loc": ["at"], "msg": "not a time", "input": text}],
            ) from None
        if at.tzinfo is None:
            raise Invalid("at: an ISO time needs its zone, e.g. 2026-03-01T09:00:00+09:00")
    at = at.astimezone(UTC)
    if at < start:
        raise Invalid(f"at must not precede the start ({start.isoformat()})")
    if within is not None and at > start + within:
        raise Invalid(f"at must fall within the exercise's first {within.days} days")
    return at


def takes_part(session: Session, org: Principal, view: OperationView) -> bool:
    """Whether an organisation (a stand-in principal) sees the exercise and takes part in it."""
    try:
        return visible_operation(session, org, view.id).participant
    except NotFound:
        return False


def _addressee(session: Session, view: OperationView, slug: str | None, label: str) -> Organisation | None:
    """The participant organisation an inject goes to; it must be able to read the inject's label."""
    if slug is None:
        return None
    org = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise Invalid(f"to: no organisation {slug!r}", errors=[{"loc": ["to"], "msg": "unknown", "input": slug}])
    addressee = stand_in(org)
    if not takes_part(session, addressee, view):
        raise Invalid(f"to: {slug} does not take part in this exercise")
    if not can_read(addressee, label, participant=True):
        raise Invalid(f"to: {slug} could not read an inject labelled {label}")
    return org


def _location(value: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if value is None else dict(validate_geometry(value))


def _read(session: Session, row: ExerciseInject) -> InjectRead:
    to = session.get(Organisation, row.to_org_id) if row.to_org_id else None
    return InjectRead(
        id=row.id,
        operation_id=row.operation_id,
        number=row.number,
        at=row.at,
        kind=row.kind,
        title=row.title,
        location=row.location,
        to=to.slug if to else None,
        expected_action=row.expected_action,
        objective=row.objective,
        label=row.label,
        status=row.status,
        source=row.source,
        delivered_at=row.delivered_at,
        created_at=row.created_at,
    )


def load_msel(
    session: Session, ctx: Context, op_id: str, injects: Sequence[Inject], objectives: Sequence[Objective]
) -> list[str]:
    """Make a scenario's injects the exercise's MSEL and record its objectives (the run that plays
    it: a coordinator of the exercise or a controller); returns the injects' ids in order."""
    principal = ctx.require()
    view = _exercise(session, principal, op_id, write=True)
    require_clock_keeper(session, principal, view)
    start = exercise_start(session, view.op)
    slugs = {i.to for i in injects if i.to}
    orgs = {o.slug: o for o in session.scalars(select(Organisation).where(Organisation.slug.in_(slugs)))}
    ids: list[str] = []
    for number, inj in enumerate(injects, start=1):
        position = inj.payload.get("position")
        row = ExerciseInject(
            id=new_id(),
            operation_id=view.id,
            number=number,
            at=start + inj.at,
            kind=inj.kind,
            title=inj.title,
            location={"type": "Point", "coordinates": [float(position[0]), float(position[1])]} if position else None,
            to_org_id=orgs[inj.to].id if inj.to else None,
            expected_action=inj.expected_action,
            objective=inj.objective,
            effects={k: v for k, v in inj.payload.items() if k != "position"},
            label=str(parse_label(inj.label)),
            status="pending",
            source="scenario",
            created_by=principal.user_id,
            created_at=ctx.now,
            updated_at=ctx.now,
            delivered_at=None,
        )
        session.add(row)
        ids.append(row.id)
    record(
        session,
        ctx,
        kind=MSEL_LOADED.name,
        subject=Subject("operation", view.id),
        label=view.op.label,
        operation_id=view.id,
        payload=MselLoaded(count=len(ids), objectives=[o.model_dump() for o in objectives]),
    )
    return ids


def add_inject(session: Session, ctx: Context, op_id: str, data: InjectCreate) -> InjectRead:
    """A controller's ad-hoc inject: delivered by the running exercise when its time comes."""
    principal = ctx.require()
    view = _exercise(session, principal, op_id, write=True)
    _require_controller(principal, view)
    label = assignable_label(session, principal, data.label)
    to = _addressee(session, view, data.to, label)
    last = session.scalar(select(func.max(ExerciseInject.number)).where(ExerciseInject.operation_id == view.id))
    number = (last or 0) + 1
    row = ExerciseInject(
        id=new_id(),
        operation_id=view.id,
        number=number,
        at=when(session, view, data.at, ctx.occurred(session, view.id)),
        kind=data.kind,
        title=data.title,
        location=_location(data.location),
        to_org_id=to.id if to else None,
        expected_action=data.expected_action,
        objective=data.objective,
        effects={},
        label=label,
        status="pending",
        source="adhoc",
        created_by=principal.user_id,
        created_at=ctx.occurred(session, view.id),
        updated_at=ctx.occurred(session, view.id),
        delivered_at=None,
    )
    session.add(row)
    _control_record(session, ctx, view.id, INJECT_ADDED.name, row, InjectAdded(number=number, at=row.at))
    return _read(session, row)


def _controlled(
    session: Session, principal: Principal, inject_id: str, op_id: str | None = None
) -> tuple[ExerciseInject, OperationView]:
    row = session.get(ExerciseInject, inject_id)
    if row is None or (op_id is not None and row.operation_id != op_id):
        raise NotFound(f"no inject {inject_id}")
    try:
        view = _exercise(session, principal, row.operation_id, write=False)
    except NotFound:
        raise NotFound(f"no inject {inject_id}") from None
    if not can_read(principal, row.label, participant=view.participant):
        raise NotFound(f"no inject {inject_id}")
    return row, _exercise(session, principal, row.operation_id, write=True)


def _control_record(
    session: Session, ctx: Context, op_id: str, kind: str, row: ExerciseInject, payload: BaseModel
) -> None:
    """Log a controller's change to the MSEL outside the operation's timeline (no operation, under
    the controller's organisation's label): it stays in the audit chain, but no participant's
    timeline or stream shows it, so players — who may share the controller's organisation —
    never learn what is coming. Controllers read the MSEL itself."""
    principal = ctx.require()
    record(
        session,
        ctx,
        kind=kind,
        subject=Subject("inject", row.id),
        label=f"org:{principal.org_slug}",
        payload=payload,
        occurred_at=ctx.occurred(session, op_id),
    )


def _changed(session: Session, ctx: Context, row: ExerciseInject, action: str, fields: list[str]) -> InjectRead:
    row.updated_at = ctx.occurred(session, row.operation_id)
    payload = InjectChanged(action=action, number=row.number, status=row.status, fields=fields)
    _control_record(session, ctx, row.operation_id, INJECT_CHANGED.name, row, payload)
    return _read(session, row)


def set_held(session: Session, ctx: Context, inject_id: str, *, held: bool, op_id: str | None = None) -> InjectRead:
    """Hold a pending inject (it is not delivered until released) or release a held one."""
    principal = ctx.require()
    _require_controller(principal)
    row, view = _controlled(session, principal, inject_id, op_id)
    _require_controller(principal, view)
    source, target = ("pending", "held") if held else ("held", "pending")
    if row.status != source:
        verb = "held" if held else "released"
        raise Conflict(f"inject {row.number} is {row.status}: only a {source} inject can be {verb}")
    row.status = target
    return _changed(session, ctx, row, "hold" if held else "release", [])


def update_inject(
    session: Session, ctx: Context, inject_id: str, data: InjectUpdate, *, op_id: str | None = None
) -> InjectRead:
    """Edit an inject that has not been delivered."""
    principal = ctx.require()
    _require_controller(principal)
    row, view = _controlled(session, principal, inject_id, op_id)
    _require_controller(principal, view)
    if row.status not in OPEN:
        raise Conflict(f"inject {row.number} was delivered: it can no longer change")
    given = data.model_dump(exclude_unset=True)
    label = assignable_label(session, principal, data.label) if data.label is not None else row.label
    current = session.get(Organisation, row.to_org_id) if row.to_org_id else None
    to_slug = given.get("to", current.slug if current else None)
    to = _addressee(session, view, to_slug, label)
    if "at" in given:
        row.at = when(session, view, data.at, ctx.occurred(session, view.id))
    for name in ("kind", "title", "expected_action"):
        if given.get(name) is not None:
            setattr(row, name, given[name])
    if "objective" in given:
        row.objective = data.objective
    if "location" in given:
        row.location = _location(data.location)
    row.label, row.to_org_id = label, to.id if to else None
    return _changed(session, ctx, row, "edit", sorted(given))


def delivery_label(label: str, to: str | None) -> str:
    """An inject addressed to an organisation reaches that organisation only (the stricter of its
    label and the organisation's); controllers follow it in the MSEL."""
    return stricter(label, f"org:{to}") if to else label


def deliver_inject(session: Session, ctx: Context, inject_id: str) -> InjectRead | None:
    """Deliver a pending inject whose time has come: the simulator, acting for a participating
    organisation that may read it, or a coordinator or controller of the exercise; None when it is
    held, delivered or moved later meanwhile."""
    principal = ctx.require()
    row, view = _controlled(session, principal, inject_id)
    if ctx.source != SIMULATOR:
        require_clock_keeper(session, principal, view)
    now = ctx.occurred(session, view.id)
    if row.status != "pending" or row.at > now + timedelta(seconds=1):
        return None
    row.status, row.delivered_at, row.updated_at = "delivered", now, now
    to = session.get(Organisation, row.to_org_id) if row.to_org_id else None
    record(
        session,
        ctx,
        kind=INJECT_DELIVERED.name,
        subject=Subject("inject", row.id),
        label=delivery_label(row.label, to.slug if to else None),
        operation_id=row.operation_id,
        payload=InjectDelivered(
            number=row.number,
            kind=row.kind,
            title=row.title,
            to=to.slug if to else None,
            location=row.location,
            due=row.at,
        ),
    )
    return _read(session, row)


def list_injects(session: Session, principal: Principal, op_id: str) -> list[InjectRead]:
    """The MSEL in time order, for its controllers and evaluators, as far as they may read its
    labels."""
    view = _exercise(session, principal, op_id, write=False)
    if principal.role not in MSEL_READERS or not view.participant:
        raise Forbidden("only the exercise's controllers and evaluators read its MSEL")
    rows = session.scalars(
        select(ExerciseInject)
        .where(
            ExerciseInject.operation_id == view.id,
            label_filter(ExerciseInject.label, principal, participant=view.participant),
        )
        .order_by(ExerciseInject.at, ExerciseInject.number)
    )
    return [_read(session, r) for r in rows]


def due_injects(session: Session, op_id: str, until: datetime) -> list[ExerciseInject]:
    """Pending injects due by ``until``, for the run that delivers them (each delivery is a command
    that checks who delivers it)."""
    return list(
        session.scalars(
            select(ExerciseInject)
            .where(ExerciseInject.operation_id == op_id, ExerciseInject.status == "pending", ExerciseInject.at <= until)
            .order_by(ExerciseInject.at, ExerciseInject.number)
        )
    )


def exercise_objectives(session: Session, principal: Principal | None, op_id: str) -> list[dict[str, Any]]:
    """The objectives of an exercise the reader sees (every participant), from its MSEL's loading."""
    view = visible_operation(session, principal, op_id)
    row = session.execute(
        select(LogEntry.payload, LogEntry.label)
        .where(LogEntry.operation_id == view.id, LogEntry.kind == MSEL_LOADED.name)
        .order_by(LogEntry.seq.desc())
        .limit(1)
    ).first()
    if row is None or not can_read(principal, row.label, participant=view.participant):
        return []
    return list(row.payload.get("objectives", []))
