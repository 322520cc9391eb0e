"""Commands of the assets domain: register an asset, change its status or position."""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import assignable_label, release
from katchi.assets.catalogue import require_capability
from katchi.assets.events import ASSET_REGISTERED, ASSET_RELEASED, ASSET_UPDATED, AssetRegistered, AssetUpdated
from katchi.assets.models import Asset
from katchi.assets.queries import asset_read, visible_asset
from katchi.assets.schemas import AssetCreate, AssetRead, AssetUpdate, Caveats
from katchi.core import Conflict, Forbidden, Invalid, envelope_columns, new_id, validate_geometry
from katchi.core.access import Principal, Role
from katchi.core.context import Context
from katchi.eventlog import Subject, record
from katchi.operations import writable_operation

MANAGING = frozenset({Role.asset_manager, Role.coordinator, Role.admin})


#: How an exercise's twin of an asset is named (on every page and export it says so).
EXERCISE_PREFIX = "[EX] "


def require_manager(principal: Principal) -> None:
    if principal.role not in MANAGING:
        raise Forbidden(f"role {principal.role} may not manage assets")


def register_asset(
    session: Session, ctx: Context, data: AssetCreate, *, operation_id: str | None = None, twin_of: str | None = None
) -> AssetRead:
    """Register an asset owned by the caller's organisation; with ``operation_id``, an exercise's
    own asset (a twin played only in that exercise operation, which the caller's organisation
    takes part in)."""
    principal = ctx.require()
    require_manager(principal)
    require_capability(data.capability)
    if operation_id is not None:
        view = writable_operation(session, principal, operation_id)
        if view.op.mode != "exercise":
            raise Invalid("only an exercise operation has assets of its own; real assets belong to the platform")
        if not data.name.startswith(EXERCISE_PREFIX):  # an exercise's asset says so wherever it is shown
            data = data.model_copy(update={"name": EXERCISE_PREFIX + data.name})
    location = validate_geometry(data.location)
    label = assignable_label(session, principal, data.label)
    asset = Asset(
        id=new_id(),
        org_id=principal.org_id,
        operation_id=operation_id,
        twin_of=twin_of,
        name=data.name,
        capability=data.capability,
        capacity=data.capacity,
        status=data.status,
        location=location,
        logged_location=location,
        **envelope_columns(location),
        home_base=data.home_base,
        speed_kmh=data.speed_kmh,
        label=label,
        caveats=checked_caveats(data.caveats),
        created_at=ctx.occurred(session, operation_id),
        updated_at=ctx.occurred(session, operation_id),
    )
    session.add(asset)
    session.flush()
    _, org = visible_asset(session, principal, asset.id)
    record(
        session,
        ctx,
        kind=ASSET_REGISTERED.name,
        subject=Subject("asset", asset.id),
        label=label,
        operation_id=asset.operation_id,
        payload=AssetRegistered(
            name=asset.name,
            org=org.slug,
            capability=asset.capability,
            capacity=asset.capacity,
            status=asset.status,
            location=location,
            caveats=asset.caveats,
        ),
    )
    return asset_read(asset, org)


def lend_asset(session: Session, ctx: Context, op_id: str, asset_id: str) -> AssetRead:
    """Lend a real asset to an exercise: its twin (same name, capability, place, label and caveats)
    is registered in the exercise and played there; the real asset is never touched. The asset's
    own organisation's managers lend, once per exercise."""
    principal = ctx.require()
    real, _org = visible_asset(session, principal, asset_id)
    if real.operation_id is not None:
        raise Invalid("lend a real asset, not an exercise's twin")
    if real.org_id != principal.org_id:
        raise Forbidden("only the asset's organisation may lend it to an exercise")
    require_manager(principal)
    view = writable_operation(session, principal, op_id)
    if view.op.mode != "exercise":
        raise Invalid("assets are lent only to exercise operations")
    if session.scalar(select(Asset.id).where(Asset.twin_of == real.id, Asset.operation_id == op_id)):
        raise Conflict(f"{real.name} is already lent to this exercise")
    data = AssetCreate(
        name=EXERCISE_PREFIX + real.name,
        capability=real.capability,
        capacity=real.capacity,
        location=real.location,
        home_base=real.home_base,
        speed_kmh=real.speed_kmh,
        label=real.label,
        caveats=Caveats.model_validate(real.caveats or {}),
    )
    return register_asset(session, ctx, data, operation_id=op_id, twin_of=real.id)


def update_asset(session: Session, ctx: Context, asset_id: str, data: AssetUpdate) -> AssetRead:
    """Change availability, position or caveats; the owning organisation's managers may, and an
    approver of the asset's nation may change its caveats (only an approver lifts national approval)."""
    principal = ctx.require()
    asset, org = visible_asset(session, principal, asset_id)
    nations_approver = principal.role == Role.approver and principal.nation == org.nation
    caveats_only = data.status is None and data.location is None and data.caveats is not None
    if not (caveats_only and nations_approver):
        if asset.org_id != principal.org_id:
            raise Forbidden("only the asset's organisation may update it")
        require_manager(principal)
    if data.status is not None:
        _require_unanswered(asset, "changing its status")
        asset.status = data.status
    if data.caveats is not None:
        _require_unanswered(asset, "changing its caveats")
        caveats = checked_caveats(data.caveats)
        if (asset.caveats or {}).get("national_approval") and not caveats["national_approval"] and not nations_approver:
            raise Forbidden(f"only an approver of {org.nation} may lift national approval")
        asset.caveats = caveats
    if data.location is not None:
        asset.location = validate_geometry(data.location)
        for k, v in envelope_columns(asset.location).items():
            setattr(asset, k, v)
    log_asset_update(session, ctx, asset)
    return asset_read(asset, org)


def log_asset_update(session: Session, ctx: Context, asset: Asset) -> None:
    """Record the asset's status, location and caveats as they now stand (its location is then
    where the log last put it)."""
    asset.updated_at = ctx.occurred(session, asset.operation_id)  # an exercise's twin: its clock
    asset.logged_location = asset.location
    record(
        session,
        ctx,
        kind=ASSET_UPDATED.name,
        subject=Subject("asset", asset.id),
        label=asset.label,
        operation_id=asset.operation_id,
        payload=AssetUpdated(status=asset.status, location=asset.location, caveats=asset.caveats),
    )


def _require_unanswered(asset: Asset, doing: str) -> None:
    """While requests wait for the owner, or a task is in hand, the asset's terms stay as they were
    asked under: answer or finish first."""
    if asset.status == "requested":
        raise Forbidden(f"the asset is requested; accept or decline the requests before {doing}")
    if asset.status in ("tasked", "underway"):
        raise Forbidden(f"the asset is {asset.status}; finish or decline the tasking before {doing}")


def checked_caveats(caveats: Caveats) -> dict[str, Any]:
    """The caveats as stored, with a clean area that is a Polygon or MultiPolygon."""
    out = caveats.model_dump()
    if caveats.area is not None:
        area = validate_geometry(caveats.area, "caveats.area")
        if area["type"] not in ("Polygon", "MultiPolygon"):
            raise Invalid(
                "caveats.area must be a Polygon or MultiPolygon (where the asset may operate)",
                errors=[{"loc": ["caveats", "area"], "msg": "not a Polygon or MultiPolygon"}],
            )
        out["area"] = area
    return out


def note_status(session: Session, ctx: Context, asset: Asset, status: str) -> None:
    """A tasking moved the asset (requested, tasked, underway, free again): set its status and
    tell the asset's readers, who may not read the tasking that moved it. Part of the tasking
    command that checked the caller's role; not a command itself."""
    if asset.status == status:
        return
    asset.status = status
    # Who tasked it is the tasking's to tell, not the asset's: a system actor (on the same clock).
    log_asset_update(session, dataclasses.replace(ctx, principal=None), asset)


def release_asset(session: Session, ctx: Context, asset_id: str, label: str) -> AssetRead:
    """Widen an asset's label; only a coordinator of its organisation may."""
    asset, org = visible_asset(session, ctx.require(), asset_id)
    release(
        session,
        ctx,
        asset,
        owner_org_id=asset.org_id,
        label=label,
        kind=ASSET_RELEASED.name,
        subject=Subject("asset", asset.id),
    )
    return asset_read(asset, org)
