"""Commands of the operations domain: open, close and reopen an operation, invite participants,
name co-coordinators, post to its log, decide, message."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, assignable_label, org_by_slug, orgs_by_slugs, stand_in
from katchi.core import Conflict, Forbidden, Invalid, NotFound, new_id
from katchi.core.access import Principal, Role, can_read, reader
from katchi.core.context import Context
from katchi.core.geo import validate_geometry
from katchi.eventlog import Subject, record
from katchi.operations.events import (
    DECISION_RECORDED,
    LOG_POSTED,
    MESSAGE_POSTED,
    OPERATION_CLOSED,
    OPERATION_COORDINATORS_SET,
    OPERATION_CREATED,
    OPERATION_PARTICIPANTS_ADDED,
    OPERATION_REOPENED,
    CoordinatorsChanged,
    DecisionRecorded,
    LogPosted,
    MessagePosted,
    OperationCreated,
    ParticipantsAdded,
    StatusChanged,
)
from katchi.operations.links import resolve_links
from katchi.operations.models import Decision, Message, Operation, OperationParticipant, OpsLogEntry
from katchi.operations.queries import (
    OperationView,
    coordinates,
    coordinating_slugs,
    decision_read,
    forget_operation_views,
    leads,
    log_read,
    message_read,
    operation_read,
    participant_slugs,
    scoped_get,
    visible_operation,
)
from katchi.operations.schemas import (
    CoordinatorsSet,
    DecisionCreate,
    DecisionRead,
    LogCreate,
    LogRead,
    MessageCreate,
    MessageRead,
    OperationCreate,
    OperationRead,
    ParticipantsAdd,
    StatusChange,
)

COORDINATING = frozenset({Role.coordinator, Role.admin})


def writable_operation(session: Session, principal: Principal, op_id: str) -> OperationView:
    """An operation the principal may add records to: visible, a participant, a contributing role."""
    view = visible_operation(session, principal, op_id)
    if not view.participant:
        raise Forbidden("your organisation does not take part in this operation")
    if not principal.can_contribute():
        raise Forbidden(f"role {principal.role} may not add records")
    require_open(view.op)
    return view


def require_open(op: Operation) -> None:
    """A closed operation stays readable and takes no step of any kind: no record, no RFA step,
    no approval, no release."""
    if op.status != "active":
        raise Forbidden("the operation is closed")


def _refuse_blind(orgs: dict[str, Organisation], slugs: list[str], label: str, field: str) -> None:
    """Every participant must be able to read the operation: taking part in one you cannot read
    (or leading it) would be blind."""
    blind = [s for s in slugs if not can_read(stand_in(orgs[s]), label, participant=True)]
    if blind:
        raise Invalid(
            f"the operation's label {label} keeps it from {', '.join(blind)}: they could not read it",
            errors=[{"loc": [field], "msg": "cannot read the operation", "input": blind}],
        )


def create_operation(session: Session, ctx: Context, data: OperationCreate) -> OperationRead:
    principal = ctx.require()
    if principal.role not in COORDINATING and principal.role != Role.exercise_controller:
        raise Forbidden("only coordinators open operations")
    slugs = list(dict.fromkeys([principal.org_slug, *data.participants]))
    orgs = orgs_by_slugs(session, slugs)
    missing = [s for s in slugs if s not in orgs]
    if missing:
        raise Invalid(
            f"unknown participant organisations: {', '.join(missing)}",
            errors=[{"loc": ["participants"], "msg": "unknown organisation", "input": missing}],
        )
    if data.lead:
        lead = org_by_slug(session, data.lead) if data.lead in orgs else None
        if lead is None:
            raise Invalid(
                "the lead must be one of the participants",
                errors=[{"loc": ["lead"], "msg": "not a participant", "input": data.lead}],
            )
    else:
        civil = [orgs[s] for s in slugs if orgs[s].kind == "civil"]
        lead = civil[0] if civil else orgs[principal.org_slug]
    co = _co_coordinators(slugs, [principal.org_slug] if data.coordinators is None else data.coordinators)
    label = assignable_label(session, principal, data.label)
    _refuse_blind(orgs, slugs, label, "participants")
    area = _area(data.area)
    op = Operation(
        id=new_id(),
        name=data.name,
        name_ko=data.name_ko or None,
        area=area,
        mode=data.mode,
        hazard=data.hazard,
        status="active",
        description=data.description,
        lead_org_id=lead.id,
        label=label,
        created_by=principal.user_id,
        created_at=ctx.now,
    )
    session.add(op)
    session.flush()
    coordinating = {lead.slug, *co}
    session.add_all(
        [OperationParticipant(operation_id=op.id, org_id=orgs[s].id, coordinating=s in coordinating) for s in slugs]
    )
    record(
        session,
        ctx,
        kind=OPERATION_CREATED.name,
        subject=Subject("operation", op.id),
        label=label,
        operation_id=op.id,
        payload=OperationCreated(
            name=op.name,
            name_ko=op.name_ko,
            area=area,
            mode=op.mode,
            hazard=op.hazard,
            lead=lead.slug,
            participants=slugs,
            coordinators=sorted(coordinating),
        ),
    )
    return operation_read(session, op)


def _area(area: dict[str, Any] | None) -> dict[str, Any] | None:
    """An operation's area is a region: a Polygon or MultiPolygon."""
    if area is None:
        return None
    geometry = validate_geometry(area, "area")
    if geometry["type"] not in ("Polygon", "MultiPolygon"):
        raise Invalid("area: must be a Polygon or MultiPolygon", errors=[{"loc": ["area"], "msg": "not a region"}])
    return geometry


def _co_coordinators(participants: list[str], named: list[str]) -> list[str]:
    """Co-coordinators must take part: coordinating an operation you cannot read would be blind."""
    outside = [s for s in named if s not in participants]
    if outside:
        raise Invalid(
            f"co-coordinators must be participants: {', '.join(outside)}",
            errors=[{"loc": ["coordinators"], "msg": "not a participant", "input": outside}],
        )
    return list(dict.fromkeys(named))


def set_coordinators(session: Session, ctx: Context, op_id: str, data: CoordinatorsSet) -> OperationRead:
    """The lead names its co-coordinators (replacing the previous ones); only a coordinator of the
    lead organisation may."""
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    if not leads(principal, view):
        raise Forbidden("only a coordinator of the lead organisation names co-coordinators")
    rows = {
        slug: row
        for row, slug in session.execute(
            select(OperationParticipant, Organisation.slug)
            .join(Organisation, Organisation.id == OperationParticipant.org_id)
            .where(OperationParticipant.operation_id == view.id)
        )
    }
    named = set(_co_coordinators(list(rows), data.coordinators))
    for slug, row in rows.items():
        row.coordinating = row.org_id == view.op.lead_org_id or slug in named
    session.flush()
    forget_operation_views(session)  # who coordinates is cached with participation
    coordinators = coordinating_slugs(session, view.id)
    record(
        session,
        ctx,
        kind=OPERATION_COORDINATORS_SET.name,
        subject=Subject("operation", view.id),
        label=view.op.label,
        operation_id=view.id,
        payload=CoordinatorsChanged(coordinators=coordinators),
    )
    return operation_read(session, view.op)


def post_log(session: Session, ctx: Context, op_id: str, data: LogCreate) -> LogRead:
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    label = assignable_label(session, principal, data.label)
    entry = OpsLogEntry(
        id=new_id(),
        operation_id=view.id,
        text=data.text,
        label=label,
        author_id=principal.user_id,
        author_label=principal.label,
        created_at=ctx.occurred(session, view.id),
    )
    session.add(entry)
    record(
        session,
        ctx,
        kind=LOG_POSTED.name,
        subject=Subject("ops_log", entry.id),
        label=label,
        operation_id=view.id,
        payload=LogPosted(text=data.text),
    )
    return log_read(entry)


def record_decision(session: Session, ctx: Context, op_id: str, data: DecisionCreate) -> DecisionRead:
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    if principal.role not in COORDINATING:
        raise Forbidden("only coordinators record decisions")
    label = assignable_label(session, principal, data.label)
    links = resolve_links(session, principal, view, [link.model_dump() for link in data.links])
    d = Decision(
        id=new_id(),
        operation_id=view.id,
        title=data.title,
        rationale=data.rationale,
        links={"items": links},
        label=label,
        decided_by=principal.user_id,
        author_label=principal.label,
        created_at=ctx.occurred(session, view.id),
    )
    session.add(d)
    record(
        session,
        ctx,
        kind=DECISION_RECORDED.name,
        subject=Subject("decision", d.id),
        label=label,
        operation_id=view.id,
        payload=DecisionRecorded(title=d.title, rationale=d.rationale, links=links),
    )
    return decision_read(d, reader(principal, participant=view.participant))


def post_message(session: Session, ctx: Context, op_id: str, data: MessageCreate) -> MessageRead:
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    label = assignable_label(session, principal, data.label)
    parent = None
    if data.parent_id is not None:
        parent, _ = scoped_get(session, Message, principal, data.parent_id, "message")
        if parent.operation_id != view.id:
            raise Invalid("a reply must stay in its thread's operation")
    to_orgs = sorted(set(data.to_orgs))
    outside = set(to_orgs) - set(participant_slugs(session, view.id))
    if outside:
        raise Invalid(
            "a message is addressed only to organisations taking part in the operation, not "
            + ", ".join(sorted(outside)),
            errors=[{"loc": ["to_orgs"], "msg": "not a participant"}],
        )
    addressed = orgs_by_slugs(session, to_orgs)
    unreadable = [o for o in to_orgs if not can_read(stand_in(addressed[o]), label, participant=True)]
    if unreadable:
        raise Invalid(
            f"a message under {label} cannot be read by {', '.join(unreadable)}: address it under a wider label",
            errors=[{"loc": ["to_orgs"], "msg": "cannot read the message"}],
        )
    m = Message(
        id=new_id(),
        operation_id=view.id,
        parent_id=data.parent_id,
        text=data.text,
        label=label,
        author_id=principal.user_id,
        author_label=principal.label,
        created_at=ctx.occurred(session, view.id),
        to_orgs=to_orgs,
    )
    session.add(m)
    record(
        session,
        ctx,
        kind=MESSAGE_POSTED.name,
        subject=Subject("message", m.id),
        label=label,
        operation_id=view.id,
        payload=MessagePosted(
            text=m.text, parent_id=m.parent_id, parent_label=parent.label if parent else None, to_orgs=to_orgs
        ),
    )
    return message_read(session, m, reader(principal, participant=view.participant))


def _led_by_caller(session: Session, ctx: Context, op_id: str, what: str) -> Operation:
    """The operation, if the caller may ``what`` it: a coordinator of its lead organisation, or
    the platform operator (the ``katchi`` command). Others who read it get 403, others 404."""
    if ctx.principal is None:
        op = session.get(Operation, op_id)
        if op is None:
            raise NotFound(f"no operation {op_id}")
        return op
    view = visible_operation(session, ctx.principal, op_id)
    if not leads(ctx.principal, view):
        raise Forbidden(f"only a coordinator of the lead organisation may {what} the operation")
    return view.op


def close_operation(session: Session, ctx: Context, op_id: str, data: StatusChange) -> OperationRead:
    """Close the operation: it stays readable, but no record is added to it any more."""
    op = _led_by_caller(session, ctx, op_id, "close")
    if op.status == "closed":
        raise Conflict("the operation is already closed")
    return _set_status(session, ctx, op, "closed", OPERATION_CLOSED.name, data.reason)


def reopen_operation(session: Session, ctx: Context, op_id: str, data: StatusChange) -> OperationRead:
    """Reopen a closed operation (closed by mistake, or the response resumes)."""
    op = _led_by_caller(session, ctx, op_id, "reopen")
    if op.status != "closed":
        raise Conflict("the operation is not closed")
    return _set_status(session, ctx, op, "active", OPERATION_REOPENED.name, data.reason)


def _set_status(session: Session, ctx: Context, op: Operation, status: str, kind: str, reason: str) -> OperationRead:
    op.status = status
    session.flush()
    forget_operation_views(session)
    record(
        session,
        ctx,
        kind=kind,
        subject=Subject("operation", op.id),
        label=op.label,
        operation_id=op.id,
        payload=StatusChanged(status=status, reason=reason),
    )
    return operation_read(session, op)


def add_participants(session: Session, ctx: Context, op_id: str, data: ParticipantsAdd) -> OperationRead:
    """Invite organisations to take part. Their users then read the operation's ``alliance``
    records, and its ``nation:`` records of their nation — those written before they joined too,
    as every participant does. Only a coordinator of the operation (of its lead or of a
    co-coordinating organisation) or the platform operator may; an organisation that could not
    read the operation itself (an ``org:`` or another nation's label) cannot be invited."""
    if ctx.principal is None:
        op = session.get(Operation, op_id)
        if op is None:
            raise NotFound(f"no operation {op_id}")
        if op.status != "active":
            raise Forbidden("the operation is closed")
    else:
        view = writable_operation(session, ctx.principal, op_id)
        if not coordinates(session, ctx.principal, view):
            raise Forbidden("only a coordinator of a coordinating organisation invites participants")
        op = view.op
    slugs = list(dict.fromkeys(data.organisations))
    orgs = orgs_by_slugs(session, slugs)
    missing = [s for s in slugs if s not in orgs]
    if missing:
        raise Invalid(
            f"unknown organisations: {', '.join(missing)}",
            errors=[{"loc": ["organisations"], "msg": "unknown organisation", "input": missing}],
        )
    already = set(participant_slugs(session, op.id))
    new = [s for s in slugs if s not in already]
    if not new:
        raise Conflict("these organisations already take part")
    _refuse_blind(orgs, new, op.label, "organisations")
    session.add_all([OperationParticipant(operation_id=op.id, org_id=orgs[s].id, coordinating=False) for s in new])
    session.flush()
    forget_operation_views(session)
    record(
        session,
        ctx,
        kind=OPERATION_PARTICIPANTS_ADDED.name,
        subject=Subject("operation", op.id),
        label=op.label,
        operation_id=op.id,
        payload=ParticipantsAdded(added=new, participants=participant_slugs(session, op.id)),
    )
    return operation_read(session, op)
