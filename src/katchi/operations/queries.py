"""Access-checked reads of operations and their log, decisions, messages and timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation
from katchi.core import NotFound
from katchi.core.access import Principal, Role, can_read, label_filter, reader
from katchi.core.paging import paginate
from katchi.core.schemas import read_model
from katchi.db import cached, forget
from katchi.eventlog import LogEntry, Readable, entry_view, for_reader
from katchi.operations.events import visible_links
from katchi.operations.models import Decision, Message, Operation, OperationParticipant, OpsLogEntry
from katchi.operations.schemas import DecisionRead, LogRead, MessageRead, OperationRead


@dataclass(frozen=True, slots=True)
class OperationView:
    """An operation the principal may read, and whether its organisation takes part in it."""

    op: Operation
    participant: bool

    @property
    def id(self) -> str:
        return self.op.id


def participant_slugs(session: Session, op_id: str) -> list[str]:
    return list(
        session.scalars(
            select(Organisation.slug)
            .join(OperationParticipant, OperationParticipant.org_id == Organisation.id)
            .where(OperationParticipant.operation_id == op_id)
            .order_by(Organisation.slug)
        )
    )


def coordinating_slugs(session: Session, op_id: str) -> list[str]:
    return list(
        session.scalars(
            select(Organisation.slug)
            .join(OperationParticipant, OperationParticipant.org_id == Organisation.id)
            .where(OperationParticipant.operation_id == op_id, OperationParticipant.coordinating.is_(True))
            .order_by(Organisation.slug)
        )
    )


def coordinates(session: Session, principal: Principal, view: OperationView) -> bool:
    """Whether the principal is a coordinator of the operation: a coordinator (or admin) of its
    lead or of a co-coordinating organisation. Coordinators of other participants are not."""
    if principal.role not in (Role.coordinator, Role.admin) or not view.participant:
        return False
    return bool(
        cached(
            session,
            PARTICIPATION,
            ("coordinating", view.id, principal.org_id),
            lambda: session.scalar(
                select(
                    exists().where(
                        OperationParticipant.operation_id == view.id,
                        OperationParticipant.org_id == principal.org_id,
                        OperationParticipant.coordinating.is_(True),
                    )
                )
            ),
        )
    )


def leads(principal: Principal, view: OperationView) -> bool:
    """Whether the principal speaks for the operation's lead: a coordinator (or admin) of the lead
    organisation, who closes, reopens and names co-coordinators."""
    return (
        principal.role in (Role.coordinator, Role.admin)
        and view.participant
        and principal.org_id == view.op.lead_org_id
    )


PARTICIPATION = "participation"
VIEWS = "operation_views"


def is_participant(session: Session, op_id: str, principal: Principal | None) -> bool:
    """Whether the principal's organisation takes part; cached like other reads of the session
    (the group-commit writer runs many commands on the same operation)."""
    if principal is None:
        return False
    org_id = principal.org_id
    return cached(
        session,
        PARTICIPATION,
        (op_id, org_id),
        lambda: bool(
            session.scalar(
                select(
                    exists().where(OperationParticipant.operation_id == op_id, OperationParticipant.org_id == org_id)
                )
            )
        ),
    )


def visible_operation(session: Session, principal: Principal | None, op_id: str) -> OperationView:
    """The operation if ``principal`` may read it; otherwise NotFound (never Forbidden).

    Views are cached for the session (held strongly: the identity map alone would let the row be
    collected and re-read by every command of a group commit); refusals are not cached.
    """
    key = (op_id, principal.org_id if principal else None)
    return cached(session, VIEWS, key, lambda: _load_view(session, principal, op_id))


def forget_operation_views(session: Session) -> None:
    """Call after a command changes an operation's label, status or participants."""
    forget(session, VIEWS, PARTICIPATION)


def _load_view(session: Session, principal: Principal | None, op_id: str) -> OperationView:
    op = session.get(Operation, op_id)
    if op is None:
        raise NotFound(f"no operation {op_id}")
    participant = is_participant(session, op_id, principal)
    if not can_read(principal, op.label, participant=participant):
        raise NotFound(f"no operation {op_id}")
    return OperationView(op, participant)


def operation_read(session: Session, op: Operation) -> OperationRead:
    lead = session.scalar(select(Organisation.slug).where(Organisation.id == op.lead_org_id)) or ""
    return OperationRead(
        id=op.id,
        name=op.name,
        name_ko=op.name_ko,
        mode=op.mode,
        hazard=op.hazard,
        status=op.status,
        description=op.description,
        area=op.area,
        lead=lead,
        participants=participant_slugs(session, op.id),
        coordinators=coordinating_slugs(session, op.id),
        label=op.label,
        created_at=op.created_at,
    )


def list_operations(
    session: Session, principal: Principal | None, *, cursor: str | None, limit: int, newest_first: bool = False
) -> tuple[list[OperationRead], str | None]:
    participant = (
        exists().where(
            OperationParticipant.operation_id == Operation.id, OperationParticipant.org_id == principal.org_id
        )
        if principal
        else False
    )
    stmt = select(Operation).where(label_filter(Operation.label, principal, participant=participant))
    rows, nxt = paginate(session, stmt, Operation.id, cursor=cursor, limit=limit, newest_first=newest_first)
    return [operation_read(session, op) for op in rows], nxt


def scoped(
    session: Session,
    model: Any,
    principal: Principal | None,
    view: OperationView,
    *,
    cursor: str | None,
    limit: int,
    where: tuple[Any, ...] = (),
) -> tuple[list[Any], str | None]:
    """Records of ``model`` in one operation that ``principal`` may read, a page at a time."""
    stmt = select(model).where(
        model.operation_id == view.id, label_filter(model.label, principal, participant=view.participant), *where
    )
    return paginate(session, stmt, model.id, cursor=cursor, limit=limit)


def scoped_get(
    session: Session, model: Any, principal: Principal | None, record_id: str, what: str
) -> tuple[Any, OperationView]:
    """One operation-scoped record, or NotFound when it or its operation is invisible."""
    rec = session.get(model, record_id)
    if rec is None:
        raise NotFound(f"no {what} {record_id}")
    try:
        view = visible_operation(session, principal, rec.operation_id)
    except NotFound:
        raise NotFound(f"no {what} {record_id}") from None
    if not can_read(principal, rec.label, participant=view.participant):
        raise NotFound(f"no {what} {record_id}")
    return rec, view


def log_read(e: OpsLogEntry) -> LogRead:
    return read_model(LogRead, e, author=e.author_label)


def decision_read(d: Decision, readable: Readable) -> DecisionRead:
    """The decision with only the links this reader may read."""
    return DecisionRead(
        id=d.id,
        operation_id=d.operation_id,
        title=d.title,
        rationale=d.rationale,
        links=[{"type": k["type"], "id": k["id"]} for k in visible_links(d.links.get("items", []), readable)],
        decided_by=d.author_label,
        label=d.label,
        created_at=d.created_at,
    )


def message_read(session: Session, m: Message, readable: Readable) -> MessageRead:
    """The message; its parent is named only to readers of the parent."""
    parent = session.get(Message, m.parent_id) if m.parent_id else None
    parent_id = parent.id if parent is not None and readable(parent.label) else None
    return read_model(MessageRead, m, author=m.author_label, parent_id=parent_id)


def timeline(
    session: Session,
    principal: Principal | None,
    view: OperationView,
    *,
    after_seq: int = 0,
    cursor: str | None = None,
    limit: int = 100,
    kind: str | None = None,
) -> tuple[list[dict[str, Any]], str | None]:
    """The operation's events the principal may read, in log order (also the SSE replay);
    ``kind``: only events of that kind."""
    stmt = select(LogEntry).where(
        LogEntry.operation_id == view.id,
        LogEntry.seq > after_seq,
        label_filter(LogEntry.label, principal, participant=view.participant),
        *((LogEntry.kind == kind,) if kind is not None else ()),
    )
    rows, nxt = paginate(session, stmt, LogEntry.seq, cursor=cursor, limit=limit)
    readable = reader(principal, participant=view.participant)
    return [for_reader(entry_view(e), readable) for e in rows], nxt


def timeline_head(session: Session, principal: Principal | None, view: OperationView) -> int:
    """The seq of the last event of the operation the principal may read (0 if none): where its
    live stream starts. Never the platform's log head, which would tell how much happens in records
    or operations the reader cannot see."""
    stmt = select(func.max(LogEntry.seq)).where(
        LogEntry.operation_id == view.id, label_filter(LogEntry.label, principal, participant=view.participant)
    )
    return session.scalar(stmt) or 0


def timeline_last_time(session: Session, principal: Principal | None, view: OperationView) -> datetime | None:
    """When the last event of the operation the principal may read occurred (its own time): how
    far a replay's time slider goes."""
    stmt = select(func.max(LogEntry.occurred_at)).where(
        LogEntry.operation_id == view.id, label_filter(LogEntry.label, principal, participant=view.participant)
    )
    return session.scalar(stmt)


def _page_of(
    session: Session,
    model: Any,
    to_read: Any,
    principal: Principal | None,
    view: OperationView,
    cursor: str | None,
    limit: int,
) -> tuple[list[Any], str | None]:
    rows, nxt = scoped(session, model, principal, view, cursor=cursor, limit=limit)
    return [to_read(r) for r in rows], nxt


def list_log(
    session: Session, principal: Principal | None, view: OperationView, *, cursor: str | None, limit: int
) -> tuple[list[LogRead], str | None]:
    return _page_of(session, OpsLogEntry, log_read, principal, view, cursor, limit)


def list_decisions(
    session: Session, principal: Principal | None, view: OperationView, *, cursor: str | None, limit: int
) -> tuple[list[DecisionRead], str | None]:
    readable = reader(principal, participant=view.participant)
    return _page_of(session, Decision, lambda d: decision_read(d, readable), principal, view, cursor, limit)


def list_messages(
    session: Session, principal: Principal | None, view: OperationView, *, cursor: str | None, limit: int
) -> tuple[list[MessageRead], str | None]:
    readable = reader(principal, participant=view.participant)
    return _page_of(session, Message, lambda m: message_read(session, m, readable), principal, view, cursor, limit)
