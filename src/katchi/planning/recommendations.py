"""Recommended assignments for an operation's open validated RFAs, for its coordinators.

Only records the coordinator may read go in: the RFAs by their labels, and the assets the
operation works with (an exercise's own, or the real ones) by theirs; a pair is possible only
where the asset's owner takes part and may read the RFA (a tasking is a request the owner must
answer) and the owner's caveats allow it. Accepting one runs the ordinary ``task`` action."""

from __future__ import annotations

from datetime import datetime

import shapely.geometry
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import stand_in
from katchi.core import Forbidden
from katchi.core.access import Principal, label_filter, readable_labels
from katchi.operations import coordinates, visible_operation
from katchi.planning.optimiser import Candidate, Request, recommend
from katchi.planning.supply import available_assets, binding, owner_takes_part, point_of
from katchi.tasking import Rfa


class RecommendationRead(BaseModel):
    rfa_id: str
    asset_id: str
    asset_name: str
    eta_min: float
    military: bool
    #: In words (English), recorded as the tasking's justification when accepted.
    reason: str
    #: ``civilian_first`` | ``no_civilian_in_time`` | ``civilians_needed_elsewhere`` (for other languages).
    why: str
    #: Minutes the request allows (its ``needed_by``, or its priority's default window).
    deadline_min: float
    #: What to ask for when the asset's owner limits its commitment (its ``max_hours`` caveat).
    hours: float | None


def _deadline_min(rfa: Rfa, now: datetime) -> float | None:
    """Minutes left to the RFA's ``needed_by``; a request already late is served as soon as
    possible (its priority's default window from now)."""
    if rfa.needed_by is None:
        return None
    left = (rfa.needed_by - now).total_seconds() / 60.0
    return left if left > 0 else None


def recommendations(session: Session, principal: Principal, op_id: str, *, now: datetime) -> list[RecommendationRead]:
    """At most one asset per validated RFA and no asset twice (``planning.optimiser.recommend``)."""
    view = visible_operation(session, principal, op_id)
    if not coordinates(session, principal, view):
        raise Forbidden("only the operation's coordinators see recommended assignments")
    rfas = session.scalars(
        select(Rfa)
        .where(
            Rfa.operation_id == view.id,
            Rfa.state == "validated",
            label_filter(Rfa.label, principal, participant=view.participant),
        )
        .order_by(Rfa.id)
    ).all()
    if not rfas:
        return []
    rows = available_assets(session, principal, view, {r.capability for r in rfas})
    reads: dict[str, frozenset[str]] = {}
    for _, org in rows:
        if org.id not in reads:
            takes_part = owner_takes_part(session, view, org)
            reads[org.id] = readable_labels(stand_in(org), participant=True) if takes_part else frozenset()
    assets = {a.id: a for a, _ in rows}
    candidates = [
        Candidate(**binding(a), name=a.name, military=org.kind == "military", owner_reads=reads[org.id])
        for a, org in rows
    ]
    requests = []
    for r in rfas:
        lon, lat = point_of(r.location)
        requests.append(
            Request(
                id=r.id,
                capability=r.capability,
                quantity=r.quantity,
                priority=r.priority,
                lon=lon,
                lat=lat,
                deadline_min=_deadline_min(r, now),
                task_codes=frozenset(r.task_codes or ()),
                label=r.label,
                place=None if r.location["type"] == "Point" else shapely.geometry.shape(r.location),
            )
        )
    deadline = {r.id: r.deadline for r in requests}
    out = []
    for rec in recommend(requests, candidates):
        asset = assets[rec.asset_id]
        out.append(
            RecommendationRead(
                rfa_id=rec.rfa_id,
                asset_id=rec.asset_id,
                asset_name=asset.name,
                eta_min=rec.eta_min,
                military=rec.military,
                reason=rec.reason,
                why=rec.why,
                deadline_min=round(deadline[rec.rfa_id], 1),
                hours=(asset.caveats or {}).get("max_hours"),
            )
        )
    return sorted(out, key=lambda r: r.rfa_id)
