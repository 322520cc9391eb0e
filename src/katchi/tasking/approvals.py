"""National approval: a tasking of an asset whose caveats ask for it waits for an approver of the
asset's nation, who approves it (its owner may then accept) or denies it (the RFA is declined and
the asset free).

Approvers speak for their nation, whether or not their organisation takes part in the operation,
so they read the request's essentials here rather than through the operation's labels; approvers
of another nation are refused (403) where they may read the RFA, and find nothing (404) elsewhere.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, User
from katchi.assets import Asset, note_status
from katchi.core import Conflict, Forbidden, Invalid
from katchi.core.access import Principal, Role
from katchi.core.context import Context
from katchi.operations import Operation, require_open, scoped_get
from katchi.tasking.events import RFA_APPROVED, RFA_DENIED
from katchi.tasking.models import Rfa, Tasking
from katchi.tasking.schemas import ApprovalAsset, ApprovalRead
from katchi.tasking.service import asset_status, record_step
from katchi.tasking.states import RfaState


def list_approvals(session: Session, principal: Principal, *, decided: bool = False) -> list[ApprovalRead]:
    """Taskings of the approver's nation's assets awaiting its approval, or (``decided``) those
    its approvers approved or denied; newest first."""
    _require_approver(principal)
    which = Tasking.decided_by.is_not(None) if decided else Tasking.status == "awaiting_approval"
    stmt = (
        select(Tasking)
        .join(Asset, Asset.id == Tasking.asset_id)
        .join(Organisation, Organisation.id == Asset.org_id)
        .where(Organisation.nation == principal.nation, which)
        .order_by(Tasking.updated_at.desc(), Tasking.id.desc())
        .limit(500)
    )
    return [approval_read(session, t) for t in session.scalars(stmt)]


def decide(session: Session, ctx: Context, rfa_id: str, *, approve: bool, reason: str) -> ApprovalRead:
    principal = ctx.require()
    rfa, tasking, asset, _ = _pending_for(session, principal, rfa_id)
    op = session.get(Operation, rfa.operation_id)
    assert op is not None
    require_open(op)
    if not approve and not reason:
        raise Invalid("a denial needs a reason", errors=[{"loc": ["reason"], "msg": "required to deny"}])
    tasking.decided_by, tasking.decision_reason = principal.user_id, reason
    tasking.updated_at = ctx.occurred(session, rfa.operation_id)
    if approve:
        tasking.status = "tasked"  # now the owner's to accept or decline
        target, kind, action = RfaState(rfa.state), RFA_APPROVED.name, "approve"
    else:
        tasking.status = "denied"
        target, kind, action = RfaState.declined, RFA_DENIED.name, "deny"
    note_status(session, ctx, asset, asset_status(session, asset))
    record_step(session, ctx, rfa, kind, action, target, reason, tasking, asset, {})
    session.flush()
    read = approval_read(session, tasking)
    return read.model_copy(update={"status": "approved" if approve else "denied"})


def _pending_for(session: Session, principal: Principal, rfa_id: str) -> tuple[Rfa, Tasking, Asset, Organisation]:
    """The RFA's current tasking and its asset, if the principal may decide on it: an approver of
    the asset's nation. Others get 403 where they may read the RFA, 404 where they may not."""
    rfa = session.get(Rfa, rfa_id)
    tasking = session.get(Tasking, rfa.current_tasking_id) if rfa and rfa.current_tasking_id else None
    asset = session.get(Asset, tasking.asset_id) if tasking else None
    org = session.get(Organisation, asset.org_id) if asset else None
    approver = principal.role == Role.approver
    awaiting = tasking is not None and tasking.status == "awaiting_approval"
    if rfa is not None and tasking and asset and org and awaiting and approver and principal.nation == org.nation:
        return rfa, tasking, asset, org
    # Anything else goes through the read rule: an approver learns no more than any other reader.
    scoped_get(session, Rfa, principal, rfa_id, "RFA")  # NotFound unless the principal may read it
    if not approver:
        raise Forbidden("only an approver of the asset's nation may approve or deny its tasking")
    if tasking is None or org is None or principal.nation == org.nation:
        status = tasking.status if tasking else "none"
        state = rfa.state if rfa else ""
        raise Conflict(f"the tasking is {status}: there is no approval to decide", current_state=state)
    raise Forbidden("only an approver of the asset's nation may approve or deny its tasking")


def _require_approver(principal: Principal) -> None:
    if principal.role != Role.approver:
        raise Forbidden("only approvers (role approver) decide national approvals")


def approval_read(session: Session, t: Tasking) -> ApprovalRead:
    rfa = session.get(Rfa, t.rfa_id)
    asset = session.get(Asset, t.asset_id)
    assert rfa is not None and asset is not None
    org = session.get(Organisation, asset.org_id)
    requester = session.get(Organisation, rfa.requesting_org_id)
    op = session.get(Operation, rfa.operation_id)
    decider = session.get(User, t.decided_by) if t.decided_by else None
    assert org is not None and op is not None
    status = {"awaiting_approval": "awaiting_approval", "denied": "denied"}.get(t.status, "approved")
    return ApprovalRead(
        rfa_id=rfa.id,
        tasking_id=t.id,
        operation_id=op.id,
        operation_name=op.name,
        operation_mode=op.mode,
        requesting_org=requester.slug if requester else "",
        title=rfa.title,
        capability=rfa.capability,
        quantity=rfa.quantity,
        priority=rfa.priority,
        needed_by=rfa.needed_by,
        location=rfa.location,
        task_codes=rfa.task_codes or [],
        hours=t.hours,
        asset=ApprovalAsset(id=asset.id, name=asset.name, org=org.slug, nation=org.nation, capability=asset.capability),
        caveats=asset.caveats or {},
        status=status,
        reason=t.decision_reason,
        decided_by=decider.username if decider else None,
    )
