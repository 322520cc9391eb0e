"""Assets as the pure solvers see them: position, speed, and what their owners' caveats allow."""

from __future__ import annotations

from typing import Any

import shapely.geometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, stand_in
from katchi.assets import Asset, catalogue
from katchi.core.access import Principal, label_filter
from katchi.operations import OperationView, is_participant


def point_of(geometry: dict[str, Any]) -> tuple[float, float]:
    """The point travel is measured to: a point itself, else a point inside the shape."""
    if geometry["type"] == "Point":
        lon, lat = geometry["coordinates"][:2]
        return float(lon), float(lat)
    p = shapely.geometry.shape(geometry).representative_point()
    return float(p.x), float(p.y)


def is_air(capability: str) -> bool:
    cap = catalogue().get(capability)
    return cap is not None and cap.category == "air"


def binding(asset: Asset) -> dict[str, Any]:
    """The solver fields of ``asset``: where it is, how fast it goes, and its caveats."""
    caveats = asset.caveats or {}
    area = caveats.get("area")
    lon, lat = point_of(asset.location)
    return {
        "id": asset.id,
        "capability": asset.capability,
        "capacity": asset.capacity,
        "lon": lon,
        "lat": lat,
        "speed_kmh": max(1.0, float(asset.speed_kmh or 1.0)),
        "air": is_air(asset.capability),
        "excluded_tasks": frozenset(caveats.get("excluded_tasks") or ()),
        "max_hours": caveats.get("max_hours"),
        "area": shapely.geometry.shape(area) if area else None,
    }


def available_assets(
    session: Session, principal: Principal, view: OperationView, capabilities: set[str]
) -> list[tuple[Asset, Organisation]]:
    """The available assets of ``capabilities`` the operation works with (an exercise's own twins,
    or the real ones) that ``principal`` may read, with their owners."""
    own = view.op.mode == "exercise"
    return [
        (asset, org)
        for asset, org in session.execute(
            select(Asset, Organisation)
            .join(Organisation, Organisation.id == Asset.org_id)
            .where(
                Asset.operation_id == view.id if own else Asset.operation_id.is_(None),
                Asset.status == "available",
                Asset.capability.in_(capabilities),
                label_filter(Asset.label, principal, participant=view.participant if own else True),
            )
            .order_by(Asset.id)
        )
    ]


def owner_takes_part(session: Session, view: OperationView, org: Organisation) -> bool:
    """Whether the asset's owner takes part: a tasking is a request the owner must answer."""
    return is_participant(session, view.id, stand_in(org))
