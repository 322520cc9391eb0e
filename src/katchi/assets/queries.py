"""Access-checked reads of assets. Real assets belong to the platform; an exercise's own assets to
its exercise operation (read by its participants only)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation
from katchi.assets.models import Asset
from katchi.assets.schemas import AssetRead
from katchi.core import NotFound, envelope_overlaps, intersects_bbox
from katchi.core.access import Principal, can_read, label_filter, on_platform
from katchi.core.geo import BBox
from katchi.core.paging import paginate
from katchi.core.schemas import read_model
from katchi.operations import OperationView, visible_operation


def asset_read(asset: Asset, org: Organisation) -> AssetRead:
    return read_model(AssetRead, asset, org=org.slug, org_kind=org.kind)


def visible_asset(session: Session, principal: Principal | None, asset_id: str) -> tuple[Asset, Organisation]:
    """An asset the principal may read: a real one by the platform rule, an exercise's own by the
    rule of its operation (only its participants)."""
    row = session.execute(
        select(Asset, Organisation).join(Organisation, Organisation.id == Asset.org_id).where(Asset.id == asset_id)
    ).first()
    if row is None:
        raise NotFound(f"no asset {asset_id}")
    participant = on_platform(principal)
    if row[0].operation_id is not None:
        try:
            participant = visible_operation(session, principal, row[0].operation_id).participant
        except NotFound:
            raise NotFound(f"no asset {asset_id}") from None
    if not can_read(principal, row[0].label, participant=participant):
        raise NotFound(f"no asset {asset_id}")
    return row[0], row[1]


def list_assets(
    session: Session,
    principal: Principal | None,
    *,
    cursor: str | None,
    limit: int,
    capability: str | None = None,
    status: str | None = None,
    org: str | None = None,
    bbox: BBox | None = None,
    operation: OperationView | None = None,
) -> tuple[list[AssetRead], str | None]:
    """Real assets (the platform's), or with ``operation`` those a reader of it works with: an
    exercise's own assets, or the real ones for a real operation."""
    own = operation is not None and operation.op.mode == "exercise"
    participant = operation.participant if own and operation is not None else on_platform(principal)
    stmt = (
        select(Asset)
        .join(Organisation, Organisation.id == Asset.org_id)
        .where(
            Asset.operation_id == operation.id if own and operation is not None else Asset.operation_id.is_(None),
            label_filter(Asset.label, principal, participant=participant),
        )
    )
    if capability:
        stmt = stmt.where(Asset.capability == capability)
    if status:
        stmt = stmt.where(Asset.status == status)
    if org:
        stmt = stmt.where(Organisation.slug == org)
    if bbox:
        stmt = stmt.where(envelope_overlaps(Asset, bbox))
    rows, nxt = paginate(session, stmt, Asset.id, cursor=cursor, limit=limit)
    orgs = {o.id: o for o in session.scalars(select(Organisation).where(Organisation.id.in_({a.org_id for a in rows})))}
    items = [asset_read(a, orgs[a.org_id]) for a in rows if bbox is None or intersects_bbox(a.location, bbox)]
    return items, nxt


def civilian_alternatives(
    session: Session, principal: Principal, capability: str, operation: OperationView
) -> list[AssetRead]:
    """Uncommitted non-military assets of ``capability`` the principal can see (Oslo last-resort
    check), among those the operation works with: an exercise's own, or the real ones."""
    own = operation.op.mode == "exercise"
    rows = session.execute(
        select(Asset, Organisation)
        .join(Organisation, Organisation.id == Asset.org_id)
        .where(
            Asset.operation_id == operation.id if own else Asset.operation_id.is_(None),
            Asset.capability == capability,
            Asset.status.in_(("available", "requested")),  # a request commits nothing
            Organisation.kind != "military",
            label_filter(Asset.label, principal, participant=operation.participant if own else on_platform(principal)),
        )
        .order_by(Asset.id)
    ).all()
    return [asset_read(a, o) for a, o in rows]
