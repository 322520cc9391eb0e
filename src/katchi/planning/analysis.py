"""Gap analysis of a plan: what the assets its reader may see could bring to each capability
and phase of its tasks, from where they are, under their owners' caveats."""

from __future__ import annotations

import shapely.geometry
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation
from katchi.assets import Asset, catalogue
from katchi.core import Invalid
from katchi.core.access import Principal, label_filter, on_platform
from katchi.planning.optimiser import Need, Supplier, gaps
from katchi.planning.queries import visible_plan
from katchi.planning.schemas import PHASES, GapRead
from katchi.planning.supply import binding, point_of


def plan_gaps(
    session: Session, principal: Principal | None, plan_id: str, *, without: str | None = None
) -> list[GapRead]:
    """Required, available and the shortfall per capability and phase; ``without``: as if one
    organisation's assets were not there (what-if)."""
    plan = visible_plan(session, principal, plan_id)
    content = plan.content
    needs = []
    for task in content.get("tasks", []):
        place = task.get("location") or content["area"]
        lon, lat = point_of(place)
        needs.append(
            Need(
                capability=task["capability"],
                phase=task["phase"],
                start_h=task["start_h"],
                end_h=task["end_h"],
                quantity=task["quantity"],
                lon=lon,
                lat=lat,
                place=shapely.geometry.shape(place),
                task_codes=frozenset(task.get("task_codes") or ()),
            )
        )
    stmt = (
        select(Asset, Organisation)
        .join(Organisation, Organisation.id == Asset.org_id)
        .where(
            Asset.operation_id.is_(None),  # real assets; an exercise's twins are played, not planned with
            Asset.capability.in_({n.capability for n in needs}),
            label_filter(Asset.label, principal, participant=on_platform(principal)),
        )
    )
    if without is not None:
        if session.scalar(select(Organisation.id).where(Organisation.slug == without)) is None:
            raise Invalid(
                f"without: no organisation {without!r}",
                errors=[{"loc": ["query", "without"], "msg": "unknown organisation"}],
            )
        stmt = stmt.where(Organisation.slug != without)
    suppliers = [
        Supplier(**binding(a), side=o.nation if o.kind == "military" else "civilian")
        for a, o in session.execute(stmt.order_by(Asset.id))
    ]
    cat = catalogue()
    return [
        GapRead(
            capability=g.capability,
            names=cat[g.capability].names if g.capability in cat else {},
            unit=cat[g.capability].unit if g.capability in cat else "",
            phase=g.phase,
            required=g.required,
            available=g.available,
            shortfall=g.shortfall,
            by_nation=g.by_side,
            earliest_arrival_h=g.earliest_arrival_h,
            assets=g.assets,
        )
        for g in gaps(needs, suppliers, list(PHASES))
    ]
