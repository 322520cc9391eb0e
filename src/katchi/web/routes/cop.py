"""Incidents and facilities of an operation, with bbox queries."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from katchi import cop, exercises
from katchi.accounts import ReleaseRequest
from katchi.core import parse_bbox
from katchi.core.clock import utcnow
from katchi.operations import visible_operation
from katchi.web.commands import execute
from katchi.web.deps import Caller, PageParams, Rt
from katchi.web.responses import PageOf, json_response, page_response

router = APIRouter(tags=["cop"])
BBoxQuery = Annotated[str | None, Query(description="minlon,minlat,maxlon,maxlat", max_length=200)]


@router.post("/operations/{op_id}/incidents", status_code=201, response_model=cop.IncidentRead)
async def report_incident(op_id: str, body: cop.IncidentCreate, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: cop.report_incident(s, ctx, op_id, body))


@router.get("/operations/{op_id}/incidents", response_model=PageOf[cop.IncidentRead])
def list_incidents(op_id: str, rt: Rt, caller: Caller, page: PageParams, bbox: BBoxQuery = None) -> Response:
    box = parse_bbox(bbox) if bbox else None
    with rt.db.read() as s:
        view = visible_operation(s, caller, op_id)
        return page_response(*cop.list_incidents(s, caller, view, cursor=page.cursor, limit=page.limit, bbox=box))


@router.get("/operations/{op_id}/situation", response_model=cop.Situation)
def situation(op_id: str, rt: Rt, caller: Caller) -> Response:
    """Human impact, incidents and open requests by municipality (시·군·구), with totals, over the
    records the caller may read; ``code: null`` gathers what lies outside Korea's municipalities."""
    with rt.db.read() as s:
        view = visible_operation(s, caller, op_id)
        return json_response(cop.situation(s, caller, view))


@router.get("/incidents/{incident_id}", response_model=cop.IncidentRead)
def get_incident(incident_id: str, rt: Rt, caller: Caller) -> Response:
    with rt.db.read() as s:
        return json_response(cop.get_incident(s, caller, incident_id))


@router.patch("/incidents/{incident_id}", response_model=cop.IncidentRead)
async def update_incident(incident_id: str, body: cop.IncidentUpdate, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: cop.update_incident(s, ctx, incident_id, body), status=200)


@router.post("/operations/{op_id}/facilities", status_code=201, response_model=cop.FacilityRead)
async def add_facility(op_id: str, body: cop.FacilityCreate, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: cop.add_facility(s, ctx, op_id, body))


@router.get("/operations/{op_id}/facilities", response_model=PageOf[cop.FacilityRead])
def list_facilities(op_id: str, rt: Rt, caller: Caller, page: PageParams, bbox: BBoxQuery = None) -> Response:
    box = parse_bbox(bbox) if bbox else None
    with rt.db.read() as s:
        view = visible_operation(s, caller, op_id)
        return page_response(*cop.list_facilities(s, caller, view, cursor=page.cursor, limit=page.limit, bbox=box))


@router.get("/facilities/{facility_id}", response_model=cop.FacilityRead)
def get_facility(facility_id: str, rt: Rt, caller: Caller) -> Response:
    with rt.db.read() as s:
        return json_response(cop.get_facility(s, caller, facility_id))


@router.patch("/facilities/{facility_id}", response_model=cop.FacilityRead)
async def update_facility(facility_id: str, body: cop.FacilityUpdate, request: Request, caller: Caller) -> Response:
    """Change a facility's live status (contributors of the owning organisation, coordinators of
    the operation); only the fields sent change."""
    return await execute(request, caller, lambda s, ctx: cop.update_facility(s, ctx, facility_id, body), status=200)


@router.get("/facilities/{facility_id}/history", response_model=PageOf[cop.FacilityChange])
def facility_history(facility_id: str, rt: Rt, caller: Caller, page: PageParams) -> Response:
    """Each change of the facility, newest first: when, by which organisation, its status after."""
    with rt.db.read() as s:
        return page_response(*cop.facility_history(s, caller, facility_id, cursor=page.cursor, limit=page.limit))


@router.post("/incidents/{incident_id}/release", response_model=cop.IncidentRead)
async def release_incident(incident_id: str, body: ReleaseRequest, request: Request, caller: Caller) -> Response:
    """Widen the incident's label (coordinators of the reporting organisation)."""
    return await execute(
        request, caller, lambda s, ctx: cop.release_incident(s, ctx, incident_id, body.label), status=200
    )


@router.get("/operations/{op_id}/replay")
def replay(
    op_id: str,
    rt: Rt,
    caller: Caller,
    at: Annotated[str | None, Query(max_length=64, description="ISO time with its zone, or T+6h (default: now)")] = (
        None
    ),
) -> Response:
    """The operation's picture at a past moment (an exercise's simulated time), rebuilt from the
    log as the caller may read it: incidents, facilities, RFAs in their state then, and assets."""
    with rt.db.read() as s:
        view = visible_operation(s, caller, op_id)
        now = exercises.exercise_time(s, view.id) or utcnow()
        moment = exercises.when(s, view, at, now, within=None)
        picture = cop.picture_at(s, caller, view, moment)
    return Response(orjson.dumps(picture), media_type="application/json")
