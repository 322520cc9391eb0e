"""Access-checked reads of COP layers, with bbox queries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation
from katchi.cop.models import Facility, Incident
from katchi.cop.schemas import FacilityRead, IncidentRead
from katchi.core import envelope_overlaps, intersects_bbox
from katchi.core.access import Principal
from katchi.core.geo import BBox
from katchi.operations import OperationView, scoped, scoped_get


def _slugs(session: Session, ids: set[str]) -> dict[str, str]:
    rows = session.execute(select(Organisation.id, Organisation.slug).where(Organisation.id.in_(ids)))
    return {org_id: slug for org_id, slug in rows}


def incident_read(i: Incident, org_slug: str) -> IncidentRead:
    return IncidentRead(
        id=i.id,
        operation_id=i.operation_id,
        kind=i.kind,
        title=i.title,
        description=i.description,
        severity=i.severity,
        status=i.status,
        people_affected=i.people_affected,
        location=i.location,
        reported_by=org_slug,
        label=i.label,
        created_at=i.created_at,
        updated_at=i.updated_at,
    )


def list_incidents(
    session: Session,
    principal: Principal | None,
    view: OperationView,
    *,
    cursor: str | None,
    limit: int,
    bbox: BBox | None = None,
) -> tuple[list[IncidentRead], str | None]:
    where = (envelope_overlaps(Incident, bbox),) if bbox else ()
    rows, nxt = scoped(session, Incident, principal, view, cursor=cursor, limit=limit, where=where)
    slugs = _slugs(session, {r.reported_by_org_id for r in rows})
    return [
        incident_read(r, slugs[r.reported_by_org_id]) for r in rows if bbox is None or intersects_bbox(r.location, bbox)
    ], nxt


def get_incident(session: Session, principal: Principal | None, incident_id: str) -> IncidentRead:
    inc, _ = scoped_get(session, Incident, principal, incident_id, "incident")
    return incident_read(inc, _slugs(session, {inc.reported_by_org_id})[inc.reported_by_org_id])


def facility_read(f: Facility, org_slug: str) -> FacilityRead:
    return FacilityRead(
        id=f.id,
        operation_id=f.operation_id,
        kind=f.kind,
        name=f.name,
        capacity=f.capacity,
        occupancy=f.occupancy,
        status=f.status,
        location=f.location,
        org=org_slug,
        label=f.label,
        updated_at=f.updated_at,
    )


def list_facilities(
    session: Session,
    principal: Principal | None,
    view: OperationView,
    *,
    cursor: str | None,
    limit: int,
    bbox: BBox | None = None,
) -> tuple[list[FacilityRead], str | None]:
    where = (envelope_overlaps(Facility, bbox),) if bbox else ()
    rows, nxt = scoped(session, Facility, principal, view, cursor=cursor, limit=limit, where=where)
    slugs = _slugs(session, {r.org_id for r in rows})
    return [facility_read(r, slugs[r.org_id]) for r in rows if bbox is None or intersects_bbox(r.location, bbox)], nxt
