"""Commands of the COP domain: report and update incidents, add facilities and keep their status."""

from __future__ import annotations

from sqlalchemy.orm import Session

from katchi.accounts import Organisation, assignable_label, release
from katchi.cop.districts import district_of
from katchi.cop.events import (
    FACILITY_ADDED,
    FACILITY_UPDATED,
    INCIDENT_RELEASED,
    INCIDENT_REPORTED,
    INCIDENT_UPDATED,
    FacilityAdded,
    FacilityUpdated,
    IncidentReported,
    IncidentUpdated,
)
from katchi.cop.models import Facility, Incident
from katchi.cop.queries import facility_read, incident_read
from katchi.cop.schemas import (
    IMPACT,
    FacilityCreate,
    FacilityRead,
    FacilityUpdate,
    IncidentCreate,
    IncidentRead,
    IncidentUpdate,
)
from katchi.core import Forbidden, envelope_columns, new_id, validate_geometry
from katchi.core.context import Context
from katchi.eventlog import Subject, record
from katchi.operations import coordinates, require_open, scoped_get, writable_operation


def report_incident(session: Session, ctx: Context, op_id: str, data: IncidentCreate) -> IncidentRead:
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    location = validate_geometry(data.location)
    label = assignable_label(session, principal, data.label)
    inc = Incident(
        id=new_id(),
        operation_id=view.id,
        kind=data.kind,
        title=data.title,
        description=data.description,
        severity=data.severity,
        status="open",
        people_affected=data.people_affected,
        **{name: getattr(data, name) for name in IMPACT},
        district_code=district.code if (district := district_of(location)) else None,
        location=location,
        **envelope_columns(location),
        reported_by_org_id=principal.org_id,
        label=label,
        created_at=ctx.occurred(session, view.id),
        updated_at=ctx.occurred(session, view.id),
    )
    session.add(inc)
    record(
        session,
        ctx,
        kind=INCIDENT_REPORTED.name,
        subject=Subject("incident", inc.id),
        label=label,
        operation_id=view.id,
        payload=IncidentReported(
            kind=inc.kind,
            title=inc.title,
            severity=inc.severity,
            people_affected=inc.people_affected,
            **{name: getattr(inc, name) for name in IMPACT},
            location=location,
            reported_by=principal.org_slug,
        ),
    )
    return incident_read(inc, principal.org_slug)


def update_incident(session: Session, ctx: Context, incident_id: str, data: IncidentUpdate) -> IncidentRead:
    principal = ctx.require()
    inc, view = scoped_get(session, Incident, principal, incident_id, "incident")
    writable_operation(session, principal, view.id)
    if not principal.can_contribute():
        raise Forbidden("your role may not update incidents")
    if principal.org_id != inc.reported_by_org_id and not coordinates(session, principal, view):
        raise Forbidden("only the reporting organisation or the operation's coordinators may update this incident")
    for field in ("severity", "status", "people_affected", "description", *IMPACT):
        value = getattr(data, field)
        if value is not None:
            setattr(inc, field, value)
    inc.updated_at = ctx.occurred(session, view.id)
    record(
        session,
        ctx,
        kind=INCIDENT_UPDATED.name,
        subject=Subject("incident", inc.id),
        label=inc.label,
        operation_id=view.id,
        payload=IncidentUpdated(
            severity=inc.severity,
            status=inc.status,
            people_affected=inc.people_affected,
            **{name: getattr(inc, name) for name in IMPACT},
        ),
    )
    org = session.get(Organisation, inc.reported_by_org_id)
    return incident_read(inc, org.slug if org else "")


def add_facility(session: Session, ctx: Context, op_id: str, data: FacilityCreate) -> FacilityRead:
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    location = validate_geometry(data.location)
    label = assignable_label(session, principal, data.label)
    fac = Facility(
        id=new_id(),
        operation_id=view.id,
        kind=data.kind,
        name=data.name,
        capacity=data.capacity,
        occupancy=data.occupancy,
        status=data.status,
        beds_available=data.beds_available,
        needs=data.needs,
        location=location,
        **envelope_columns(location),
        org_id=principal.org_id,
        label=label,
        created_at=ctx.occurred(session, view.id),
        updated_at=ctx.occurred(session, view.id),
    )
    session.add(fac)
    record(
        session,
        ctx,
        kind=FACILITY_ADDED.name,
        subject=Subject("facility", fac.id),
        label=label,
        operation_id=view.id,
        payload=FacilityAdded(
            kind=fac.kind,
            name=fac.name,
            capacity=fac.capacity,
            status=fac.status,
            location=location,
            occupancy=fac.occupancy,
            beds_available=fac.beds_available,
            needs=fac.needs,
            org=principal.org_slug,
            by=principal.org_slug,
        ),
    )
    return facility_read(fac, principal.org_slug)


def update_facility(session: Session, ctx: Context, facility_id: str, data: FacilityUpdate) -> FacilityRead:
    """Change a facility's live status (status, capacity, occupancy, beds, needs): contributors of
    the owning organisation, or coordinators of the operation. Logged under the facility's label,
    with its whole status after the change, so its history and a replay need no other event."""
    principal = ctx.require()
    fac, view = scoped_get(session, Facility, principal, facility_id, "facility")
    writable_operation(session, principal, view.id)
    if principal.org_id != fac.org_id and not coordinates(session, principal, view):
        raise Forbidden("only the owning organisation or the operation's coordinators may update this facility")
    changes = data.changes()
    for field, value in changes.items():
        setattr(fac, field, list(value) if field == "needs" else value)
    fac.updated_at = ctx.occurred(session, view.id)
    record(
        session,
        ctx,
        kind=FACILITY_UPDATED.name,
        subject=Subject("facility", fac.id),
        label=fac.label,
        operation_id=view.id,
        payload=FacilityUpdated(
            status=fac.status,
            capacity=fac.capacity,
            occupancy=fac.occupancy,
            beds_available=fac.beds_available,
            needs=list(fac.needs),
            changed=list(changes),
            by=principal.org_slug,
        ),
    )
    org = session.get(Organisation, fac.org_id)
    return facility_read(fac, org.slug if org else "")


def release_incident(session: Session, ctx: Context, incident_id: str, label: str) -> IncidentRead:
    """Widen an incident's label; only a coordinator of the reporting organisation may."""
    inc, view = scoped_get(session, Incident, ctx.require(), incident_id, "incident")
    require_open(view.op)
    release(
        session,
        ctx,
        inc,
        owner_org_id=inc.reported_by_org_id,
        label=label,
        kind=INCIDENT_RELEASED.name,
        subject=Subject("incident", inc.id),
        operation_id=view.id,
    )
    org = session.get(Organisation, inc.reported_by_org_id)
    return incident_read(inc, org.slug if org else "")
