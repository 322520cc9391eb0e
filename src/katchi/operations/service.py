"""Commands of the operations domain: open an operation, post to its log, decide, message."""

from __future__ import annotations

from sqlalchemy.orm import Session

from katchi.accounts import assignable_label, org_by_slug, orgs_by_slugs
from katchi.core import Forbidden, Invalid, new_id
from katchi.core.access import Principal, Role
from katchi.core.context import Context
from katchi.eventlog import Subject, record
from katchi.operations.events import (
    DECISION_RECORDED,
    LOG_POSTED,
    MESSAGE_POSTED,
    OPERATION_CREATED,
    DecisionRecorded,
    LogPosted,
    MessagePosted,
    OperationCreated,
)
from katchi.operations.models import Decision, Message, Operation, OperationParticipant, OpsLogEntry
from katchi.operations.queries import (
    OperationView,
    decision_read,
    log_read,
    message_read,
    operation_read,
    scoped_get,
    visible_operation,
)
from katchi.operations.schemas import (
    DecisionCreate,
    DecisionRead,
    LogCreate,
    LogRead,
    MessageCreate,
    MessageRead,
    OperationCreate,
    OperationRead,
)

COORDINATING = frozenset({Role.coordinator, Role.admin})


def writable_operation(session: Session, principal: Principal, op_id: str) -> OperationView:
    """An operation the principal may add records to: visible, a participant, a contributing role."""
    view = visible_operation(session, principal, op_id)
    if not view.participant:
        raise Forbidden("your organisation does not take part in this operation")
    if not principal.can_contribute():
        raise Forbidden(f"role {principal.role} may not add records")
    if view.op.status != "active":
        raise Forbidden("the operation is closed")
    return view


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
    label = assignable_label(session, principal, data.label)
    op = Operation(
        id=new_id(),
        name=data.name,
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
    session.add_all([OperationParticipant(operation_id=op.id, org_id=orgs[s].id) for s in slugs])
    record(
        session,
        ctx,
        kind=OPERATION_CREATED.name,
        subject=Subject("operation", op.id),
        label=label,
        operation_id=op.id,
        payload=OperationCreated(name=op.name, mode=op.mode, hazard=op.hazard, lead=lead.slug, participants=slugs),
    )
    return operation_read(session, op)


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
        created_at=ctx.now,
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
    links = [link.model_dump() for link in data.links]
    d = Decision(
        id=new_id(),
        operation_id=view.id,
        title=data.title,
        rationale=data.rationale,
        links={"items": links},
        label=label,
        decided_by=principal.user_id,
        author_label=principal.label,
        created_at=ctx.now,
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
    return decision_read(d)


def post_message(session: Session, ctx: Context, op_id: str, data: MessageCreate) -> MessageRead:
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    label = assignable_label(session, principal, data.label)
    if data.parent_id is not None:
        parent, _ = scoped_get(session, Message, principal, data.parent_id, "message")
        if parent.operation_id != view.id:
            raise Invalid("a reply must stay in its thread's operation")
    m = Message(
        id=new_id(),
        operation_id=view.id,
        parent_id=data.parent_id,
        text=data.text,
        label=label,
        author_id=principal.user_id,
        author_label=principal.label,
        created_at=ctx.now,
    )
    session.add(m)
    record(
        session,
        ctx,
        kind=MESSAGE_POSTED.name,
        subject=Subject("message", m.id),
        label=label,
        operation_id=view.id,
        payload=MessagePosted(text=m.text, parent_id=m.parent_id),
    )
    return message_read(m)
