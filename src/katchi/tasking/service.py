"""Commands of the tasking domain: create an RFA and move it through its life cycle."""

from __future__ import annotations

from typing import Any

import shapely.geometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, assignable_label, release, stand_in
from katchi.assets import Asset, civilian_alternatives, note_status, require_capability, visible_asset
from katchi.core import (
    Conflict,
    Forbidden,
    Invalid,
    NotFound,
    envelope_columns,
    new_id,
    stricter,
    validate_geometry,
)
from katchi.core.access import Principal, Role, can_read
from katchi.core.context import Context
from katchi.eventlog import Subject, record
from katchi.operations import (
    OperationView,
    coordinates,
    require_open,
    scoped_get,
    visible_operation,
    writable_operation,
)
from katchi.tasking.events import RFA_CREATED, RFA_RELEASED, STEP_KIND, RfaCreated, RfaTasked, RfaTransitioned
from katchi.tasking.models import Rfa, Tasking
from katchi.tasking.queries import rfa_read
from katchi.tasking.schemas import RfaActionBody, RfaCreate, RfaRead
from katchi.tasking.states import (
    TRANSITIONS,
    Actor,
    IllegalTransition,
    RfaAction,
    RfaState,
    allowed_actions,
    next_state,
)

_WHO = {
    Actor.requester: "requesting organisation",
    Actor.coordinator: "operation's coordinators (of its lead and co-coordinating organisations)",
    Actor.asset_owner: "asset's owner",
}
#: Tasking statuses while the request is open (``awaiting_approval``: awaiting the asset's nation;
#: ``tasked``: awaiting the owner's answer).
_OPEN_TASKING = ("awaiting_approval", "tasked", "accepted", "underway")
_PENDING = ("awaiting_approval", "tasked")
_TASKING_STATUS = {
    RfaAction.accept: "accepted",
    RfaAction.decline: "declined",
    RfaAction.start: "underway",
    RfaAction.complete: "completed",
    RfaAction.cancel: "cancelled",
}


def create_rfa(session: Session, ctx: Context, op_id: str, data: RfaCreate) -> RfaRead:
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    require_capability(data.capability)
    location = validate_geometry(data.location)
    label = assignable_label(session, principal, data.label)
    state = RfaState.submitted if data.submit else RfaState.draft
    rfa = Rfa(
        id=new_id(),
        operation_id=view.id,
        requesting_org_id=principal.org_id,
        title=data.title,
        description=data.description,
        capability=data.capability,
        quantity=data.quantity,
        priority=data.priority,
        needed_by=data.needed_by,
        location=location,
        **envelope_columns(location),
        task_codes=data.task_codes,
        state=state.value,
        current_tasking_id=None,
        label=label,
        created_by=principal.user_id,
        created_at=ctx.occurred(session, view.id),
        updated_at=ctx.occurred(session, view.id),
    )
    session.add(rfa)
    record(
        session,
        ctx,
        kind=RFA_CREATED.name,
        subject=Subject("rfa", rfa.id),
        label=label,
        operation_id=view.id,
        payload=RfaCreated(
            title=rfa.title,
            capability=rfa.capability,
            quantity=rfa.quantity,
            priority=rfa.priority,
            requesting_org=principal.org_slug,
            state=rfa.state,
            location=location,
        ),
    )
    session.flush()
    return rfa_read(session, rfa, principal, True)


def _actors(session: Session, principal: Principal, rfa: Rfa, view: OperationView, asset: Asset | None) -> set[Actor]:
    roles: set[Actor] = set()
    if not view.participant:
        return roles
    if principal.org_id == rfa.requesting_org_id and principal.can_contribute():
        roles.add(Actor.requester)
    if coordinates(session, principal, view):
        roles.add(Actor.coordinator)
    if (
        asset is not None
        and asset.org_id == principal.org_id
        and principal.role in (Role.asset_manager, Role.coordinator, Role.admin)
    ):
        roles.add(Actor.asset_owner)
    return roles


def act_on_rfa(session: Session, ctx: Context, rfa_id: str, action: RfaAction, body: RfaActionBody) -> RfaRead:
    """Take ``action`` on an RFA: 404 if invisible, 409 if the state forbids it, 403 if the actor may not."""
    principal = ctx.require()
    rfa, view = scoped_get(session, Rfa, principal, rfa_id, "RFA")
    require_open(view.op)
    state = RfaState(rfa.state)
    try:
        target = next_state(state, action)
    except IllegalTransition as exc:
        raise Conflict(
            str(exc), current_state=state.value, allowed_actions=[a.value for a in allowed_actions(state)]
        ) from None
    tasking = session.get(Tasking, rfa.current_tasking_id) if rfa.current_tasking_id else None
    asset = session.get(Asset, tasking.asset_id) if tasking else None
    needed = TRANSITIONS[action].actors
    if not needed & _actors(session, principal, rfa, view, asset):
        who = " or ".join(_WHO[a] for a in sorted(needed))
        raise Forbidden(f"only the {who} may {action.value} this RFA", current_state=state.value)
    extra: dict[str, Any] = {}
    if action is RfaAction.task:
        tasking, asset, last_resort = _task(session, ctx, principal, rfa, body)
        extra = {"last_resort": last_resort}
    elif tasking is not None and asset is not None and tasking.status in _OPEN_TASKING and action in _TASKING_STATUS:
        if action is RfaAction.accept and tasking.status == "awaiting_approval":
            nation = _owner(session, asset).nation
            raise Conflict(
                f"the tasking awaits national approval by an approver of {nation}; accept once it is approved",
                current_state=state.value,
            )
        if action is RfaAction.accept and asset.status in ("tasked", "underway"):
            raise Conflict(f"asset {asset.name} is already committed to another request", current_state=state.value)
        tasking.status = _TASKING_STATUS[action]
        tasking.updated_at = ctx.occurred(session, rfa.operation_id)
        committed = {RfaAction.accept: "tasked", RfaAction.start: "underway"}.get(action)
        note_status(session, ctx, asset, committed or asset_status(session, asset))
    record_step(session, ctx, rfa, STEP_KIND[action.value], action.value, target, body.reason, tasking, asset, extra)
    if action is RfaAction.accept and tasking is not None and asset is not None:
        _decline_other_requests(session, ctx, tasking, asset)
    session.flush()
    return rfa_read(session, rfa, principal, view.participant)


def record_step(
    session: Session,
    ctx: Context,
    rfa: Rfa,
    kind: str,
    action: str,
    target: RfaState,
    reason: str,
    tasking: Tasking | None,
    asset: Asset | None,
    extra: dict[str, Any],
) -> None:
    """Move the RFA to ``target`` and log the step under the RFA's label."""
    payload: dict[str, Any] = {
        "action": action,
        "from_state": rfa.state,
        "to_state": target.value,
        "reason": reason,
        **extra,
    }
    if tasking is not None and asset is not None:
        # Logged under the RFA's label, so every reader of the RFA follows every step; the
        # tasking's fields are shown only to readers of the tasking (``events.shape_step``).
        payload |= {
            "tasking_id": tasking.id,
            "asset_id": asset.id,
            "asset_status": asset.status,
            "tasking_status": tasking.status,
            "tasking_label": tasking.label,
        }
    rfa.state = target.value
    rfa.updated_at = ctx.occurred(session, rfa.operation_id)
    model = RfaTasked if action == RfaAction.task else RfaTransitioned
    record(
        session,
        ctx,
        kind=kind,
        subject=Subject("rfa", rfa.id),
        label=rfa.label,
        operation_id=rfa.operation_id,
        payload=model(**payload),
    )


def asset_status(session: Session, asset: Asset) -> str:
    """What the asset's open taskings make it: committed (``tasked``/``underway``) once its owner
    accepted one, ``requested`` while requests await the owner, else free (``available``)."""
    session.flush()
    statuses = set(
        session.scalars(select(Tasking.status).where(Tasking.asset_id == asset.id, Tasking.status.in_(_OPEN_TASKING)))
    )
    if "underway" in statuses:
        return "underway"
    if "accepted" in statuses:
        return "tasked"
    return "requested" if statuses & set(_PENDING) else "available"


def _decline_other_requests(session: Session, ctx: Context, accepted: Tasking, asset: Asset) -> None:
    """Accepting one request commits the asset; every other request for it is declined, so each
    requester knows at once and may task another asset."""
    others = session.scalars(
        select(Tasking).where(Tasking.asset_id == asset.id, Tasking.status.in_(_PENDING), Tasking.id != accepted.id)
    ).all()
    for other in others:
        other.status, other.updated_at = "declined", ctx.occurred(session, other.operation_id)
        rfa = session.get(Rfa, other.rfa_id)
        if rfa is not None and rfa.current_tasking_id == other.id and rfa.state == RfaState.tasked:
            reason = "declined: the asset was committed to another request"
            decline = RfaAction.decline
            record_step(session, ctx, rfa, STEP_KIND[decline], decline, RfaState.declined, reason, other, asset, {})


def _task(
    session: Session, ctx: Context, principal: Principal, rfa: Rfa, body: RfaActionBody
) -> tuple[Tasking, Asset, dict[str, Any]]:
    if not body.asset_id:
        raise Invalid("task needs asset_id", errors=[{"loc": ["asset_id"], "msg": "required"}])
    asset, org = visible_asset(session, principal, body.asset_id)
    view = visible_operation(session, principal, rfa.operation_id)
    playing = view.op.mode == "exercise"
    if asset.operation_id != (view.id if playing else None):
        raise Invalid(
            "an exercise tasks only its own assets (twins of real ones), and a real operation never an exercise's",
            errors=[{"loc": ["asset_id"], "msg": "asset of another operation (exercise or real)"}],
        )
    if asset.capability != rfa.capability:
        raise Invalid(
            f"asset capability {asset.capability} does not match the RFA's {rfa.capability}",
            errors=[{"loc": ["asset_id"], "msg": "capability mismatch"}],
        )
    if asset.status not in ("available", "requested"):
        raise Conflict(
            f"asset {asset.name} is {asset.status}",
            current_state=rfa.state,
            allowed_actions=[a.value for a in allowed_actions(RfaState(rfa.state))],
        )
    _owner_can_answer(session, rfa, asset, org)
    check_caveats(asset, rfa, body.hours)
    last_resort = _last_resort_check(session, principal, rfa, org, body.justification, view)
    tasking = Tasking(
        id=new_id(),
        operation_id=rfa.operation_id,
        rfa_id=rfa.id,
        asset_id=asset.id,
        # A request, until the owner accepts; first its nation's approval where a caveat asks for it.
        status="awaiting_approval" if (asset.caveats or {}).get("national_approval") else "tasked",
        eta=body.eta,
        hours=body.hours,
        last_resort=last_resort,
        label=stricter(asset.label, rfa.label),
        tasked_by=principal.user_id,
        created_at=ctx.occurred(session, rfa.operation_id),
        updated_at=ctx.occurred(session, rfa.operation_id),
    )
    session.add(tasking)
    rfa.current_tasking_id = tasking.id
    note_status(session, ctx, asset, "requested")  # it was available or requested: now asked (again)
    return tasking, asset, last_resort


def _owner_can_answer(session: Session, rfa: Rfa, asset: Asset, org: Organisation) -> None:
    """A tasking is a request to the asset's owner: refused unless the owner takes part in the
    operation and may read the RFA (else it could neither see nor answer what locks its asset)."""
    owner = _owner(session, asset)
    try:
        view = visible_operation(session, owner, rfa.operation_id)
    except NotFound:
        view = None
    if view is None or not view.participant:
        raise Invalid(
            "the asset's organisation does not take part in this operation",
            errors=[{"loc": ["asset_id"], "msg": "organisation not a participant"}],
        )
    if not can_read(owner, rfa.label, participant=True):
        raise Invalid(
            f"{org.slug} cannot read this RFA (label {rfa.label}), so it could not answer the request: "
            "release the RFA to a label the asset's organisation reads first",
            errors=[{"loc": ["asset_id"], "msg": "the asset's owner cannot read the RFA"}],
        )


def check_caveats(asset: Asset, rfa: Rfa, hours: float | None) -> None:
    """The owner's national caveats bind every tasking: a breach answers 422 naming the caveat."""
    caveats = asset.caveats or {}

    def breach(text: str, caveat: str) -> Invalid:
        field = "hours" if caveat == "max_hours" else "asset_id"
        return Invalid(f"{asset.name}: {text}", errors=[{"loc": [field], "msg": text}], caveat=caveat)

    area = caveats.get("area")
    if area and not shapely.geometry.shape(area).covers(shapely.geometry.shape(rfa.location)):
        raise breach("caveat area: the RFA's location is outside the area the asset may operate in", "area")
    excluded = sorted(set(caveats.get("excluded_tasks") or []) & set(rfa.task_codes or []))
    if excluded:
        raise breach(f"caveat excluded_tasks: excluded task {', '.join(excluded)}", "excluded_tasks")
    limit = caveats.get("max_hours")
    if limit is not None and hours is None:
        raise breach(f"caveat max_hours {limit:g}: give the tasking's hours", "max_hours")
    if limit is not None and hours is not None and hours > limit:
        raise breach(f"caveat max_hours {limit:g}: {hours:g} hours asked", "max_hours")


def _owner(session: Session, asset: Asset) -> Principal:
    """A stand-in principal for the asset's organisation, to ask whether it takes part."""
    org = session.get(Organisation, asset.org_id)
    assert org is not None
    return stand_in(org)


def _last_resort_check(
    session: Session, principal: Principal, rfa: Rfa, org: Organisation, justification: str, view: OperationView
) -> dict[str, Any]:
    """UN Oslo Guidelines: a military asset only when no civilian one of the capability is available."""
    if org.kind != "military":
        return {"military": False, "alternatives": [], "justification": justification}
    alternatives = [
        {"id": a.id, "name": a.name, "org": a.org, "label": a.label}
        for a in civilian_alternatives(session, principal, rfa.capability, view)
    ]
    if alternatives and not justification:
        cap = require_capability(rfa.capability)
        raise Invalid(
            f"last resort: {len(alternatives)} civilian {cap.names['en']} asset(s) are available; "
            "give a justification to task a military asset",
            alternatives=alternatives,
            errors=[{"loc": ["justification"], "msg": "required when civilian alternatives exist"}],
        )
    return {"military": True, "alternatives": alternatives, "justification": justification}


def release_rfa(session: Session, ctx: Context, rfa_id: str, label: str) -> RfaRead:
    """Widen an RFA's label; only a coordinator of the requesting organisation may. Its tasking
    keeps its own (possibly stricter) label."""
    principal = ctx.require()
    rfa, view = scoped_get(session, Rfa, principal, rfa_id, "RFA")
    require_open(view.op)
    release(
        session,
        ctx,
        rfa,
        owner_org_id=rfa.requesting_org_id,
        label=label,
        kind=RFA_RELEASED.name,
        subject=Subject("rfa", rfa.id),
        operation_id=rfa.operation_id,
    )
    return rfa_read(session, rfa, principal, view.participant)
