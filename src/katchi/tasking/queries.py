"""Access-checked reads of RFAs and taskings."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation
from katchi.core import envelope_overlaps, intersects_bbox
from katchi.core.access import Principal, reader
from katchi.core.geo import BBox
from katchi.core.schemas import read_model
from katchi.eventlog import Readable
from katchi.operations import OperationView, scoped, scoped_get
from katchi.tasking.events import visible_alternatives
from katchi.tasking.models import Rfa, Tasking
from katchi.tasking.schemas import RfaRead, TaskingRead
from katchi.tasking.states import RfaState, allowed_actions


def tasking_read(t: Tasking, readable: Readable) -> TaskingRead:
    """A tasking as this reader may see it: only the last-resort alternatives it may read."""
    return read_model(TaskingRead, t, last_resort=visible_alternatives(t.last_resort, readable))


def rfa_read(session: Session, rfa: Rfa, principal: Principal | None, participant: bool) -> RfaRead:
    """The RFA as this reader may see it: the tasking is shown only if its own label allows."""
    org = session.get(Organisation, rfa.requesting_org_id)
    tasking = session.get(Tasking, rfa.current_tasking_id) if rfa.current_tasking_id else None
    readable = reader(principal, participant=participant)
    if tasking is not None and not readable(tasking.label):
        tasking = None
    return RfaRead(
        id=rfa.id,
        operation_id=rfa.operation_id,
        requesting_org=org.slug if org else "",
        title=rfa.title,
        description=rfa.description,
        capability=rfa.capability,
        quantity=rfa.quantity,
        priority=rfa.priority,
        needed_by=rfa.needed_by,
        location=rfa.location,
        task_codes=rfa.task_codes or [],
        state=rfa.state,
        allowed_actions=[a.value for a in allowed_actions(RfaState(rfa.state))],
        tasking=tasking_read(tasking, readable) if tasking else None,
        label=rfa.label,
        created_at=rfa.created_at,
        updated_at=rfa.updated_at,
    )


def list_rfas(
    session: Session,
    principal: Principal | None,
    view: OperationView,
    *,
    cursor: str | None,
    limit: int,
    state: str | None = None,
    bbox: BBox | None = None,
) -> tuple[list[RfaRead], str | None]:
    where = []
    if state:
        where.append(Rfa.state == state)
    if bbox:
        where.append(envelope_overlaps(Rfa, bbox))
    rows, nxt = scoped(session, Rfa, principal, view, cursor=cursor, limit=limit, where=tuple(where))
    items = [
        rfa_read(session, r, principal, view.participant)
        for r in rows
        if bbox is None or intersects_bbox(r.location, bbox)
    ]
    return items, nxt


def get_rfa(session: Session, principal: Principal | None, rfa_id: str) -> RfaRead:
    rfa, view = scoped_get(session, Rfa, principal, rfa_id, "RFA")
    return rfa_read(session, rfa, principal, view.participant)


def list_taskings(
    session: Session, principal: Principal | None, view: OperationView, *, cursor: str | None, limit: int
) -> tuple[list[TaskingRead], str | None]:
    rows, nxt = scoped(session, Tasking, principal, view, cursor=cursor, limit=limit)
    readable = reader(principal, participant=view.participant)
    return [tasking_read(t, readable) for t in rows], nxt


def active_tasking_of_asset(session: Session, asset_id: str) -> Tasking | None:
    return session.scalar(
        select(Tasking).where(Tasking.asset_id == asset_id, Tasking.status.in_(("tasked", "accepted", "underway")))
    )
