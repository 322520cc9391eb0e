"""Access-checked reads of COP layers, with bbox queries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation
from katchi.cop.events import FACILITY_ADDED, FACILITY_UPDATED
from katchi.cop.models import Facility, Incident
from katchi.cop.schemas import FacilityChange, FacilityRead, IncidentRead
from katchi.core import envelope_overlaps, intersects_bbox
from katchi.core.access import Principal
from katchi.core.geo import BBox
from katchi.core.paging import paginate
from katchi.core.schemas import read_model
from katchi.eventlog import LogEntry
from katchi.operations import OperationView, scoped, scoped_get


def _slugs(session: Session, ids: set[str]) -> dict[str, str]:
    rows = session.execute(select(Organisation.id, Organisation.slug).where(Organisation.id.in_(ids)))
    return {org_id: slug for org_id, slug in rows}


def incident_read(i: Incident, org_slug: str) -> IncidentRead:
    return read_model(IncidentRead, i, reported_by=org_slug)


def _spatial_page(
    session: Session,
    model: Any,
    owner: str,
    to_read: Any,
    principal: Principal | None,
    view: OperationView,
    cursor: str | None,
    limit: int,
    bbox: BBox | None,
) -> tuple[list[Any], str | None]:
    """A page of a COP layer: access-checked, envelope-prefiltered in SQL, exact bbox test after."""
    where = (envelope_overlaps(model, bbox),) if bbox else ()
    rows, nxt = scoped(session, model, principal, view, cursor=cursor, limit=limit, where=where)
    slugs = _slugs(session, {getattr(r, owner) for r in rows})
    return [
        to_read(r, slugs[getattr(r, owner)]) for r in rows if bbox is None or intersects_bbox(r.location, bbox)
    ], nxt


def list_incidents(
    session: Session,
    principal: Principal | None,
    view: OperationView,
    *,
    cursor: str | None,
    limit: int,
    bbox: BBox | None = None,
) -> tuple[list[IncidentRead], str | None]:
    return _spatial_page(session, Incident, "reported_by_org_id", incident_read, principal, view, cursor, limit, bbox)


def get_incident(session: Session, principal: Principal | None, incident_id: str) -> IncidentRead:
    inc, _ = scoped_get(session, Incident, principal, incident_id, "incident")
    return incident_read(inc, _slugs(session, {inc.reported_by_org_id})[inc.reported_by_org_id])


def facility_read(f: Facility, org_slug: str) -> FacilityRead:
    return read_model(FacilityRead, f, org=org_slug)


def list_facilities(
    session: Session,
    principal: Principal | None,
    view: OperationView,
    *,
    cursor: str | None,
    limit: int,
    bbox: BBox | None = None,
) -> tuple[list[FacilityRead], str | None]:
    return _spatial_page(session, Facility, "org_id", facility_read, principal, view, cursor, limit, bbox)


def get_facility(session: Session, principal: Principal | None, facility_id: str) -> FacilityRead:
    fac, _ = scoped_get(session, Facility, principal, facility_id, "facility")
    return facility_read(fac, _slugs(session, {fac.org_id})[fac.org_id])


def facility_history(
    session: Session, principal: Principal | None, facility_id: str, *, cursor: str | None, limit: int
) -> tuple[list[FacilityChange], str | None]:
    """The facility's changes, newest first, read from its own log entries: the log is the record
    of what happened, so no second copy is kept. Whoever may read the facility now reads all of its
    history — every entry is about the facility's own fields, under the facility's label then,
    which a release only ever widened — and nobody else learns that it exists (404)."""
    fac, _ = scoped_get(session, Facility, principal, facility_id, "facility")
    stmt = select(LogEntry).where(
        LogEntry.operation_id == fac.operation_id,
        LogEntry.kind.in_([FACILITY_ADDED.name, FACILITY_UPDATED.name]),
        LogEntry.subject_type == "facility",
        LogEntry.subject_id == fac.id,
    )
    rows, nxt = paginate(session, stmt, LogEntry.seq, cursor=cursor, limit=limit, newest_first=True)
    return [_change(e) for e in rows], nxt


def _change(e: LogEntry) -> FacilityChange:
    p = e.payload
    return FacilityChange(
        seq=e.seq,
        change="added" if e.kind == FACILITY_ADDED.name else "updated",
        at=e.occurred_at,
        by=p.get("by") or e.actor_label.rpartition("@")[2] or None,
        status=p["status"],
        capacity=p["capacity"],
        occupancy=p.get("occupancy"),
        beds_available=p.get("beds_available"),
        needs=p.get("needs") or [],
    )
