"""Interop routes: CAP in and out (import, public alerts, Atom), COP layers as GeoJSON and KML,
GeoJSON features in, HXL in and out."""

from __future__ import annotations

from collections.abc import Callable

import orjson
from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from katchi.core.access import Principal
from katchi.core.context import Context
from katchi.core.errors import Invalid, NotFound
from katchi.interop.cap import decode, encode, validate_cap
from katchi.interop.cap.bridge import atom_feed, public_alerts
from katchi.interop.cap.service import ImportResult, import_alert
from katchi.interop.geo import (
    GeoJsonImport,
    feature_collection,
    import_features,
    is_exercise,
    kml_document,
    layer_records,
)
from katchi.interop.hxl import HxlImport, export_layer, import_facilities, import_needs
from katchi.web.commands import execute
from katchi.web.deps import Caller, Rt

router = APIRouter(tags=["interop"])
CAP_TYPES = ("application/cap+xml", "application/xml", "text/xml")
SENDER = "katchi@cmoc"
GEOJSON_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            t: {
                "schema": {
                    "description": "a GeoJSON FeatureCollection (RFC 7946)",
                    "type": "object",
                    "required": ["type", "features"],
                    "properties": {
                        "type": {"const": "FeatureCollection"},
                        "features": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["type", "geometry", "properties"],
                                "properties": {"type": {"const": "Feature"}, "geometry": {}, "properties": {}},
                            },
                        },
                    },
                }
            }
            for t in ("application/geo+json", "application/json")
        },
    }
}
HXL_BODY = {"requestBody": {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}}


@router.post(
    "/operations/{op_id}/cap",
    status_code=201,
    response_model=ImportResult,
    openapi_extra={"requestBody": {"content": {t: {"schema": {"type": "string"}} for t in CAP_TYPES}}},
)
async def import_cap(op_id: str, request: Request, caller: Caller) -> Response:
    """Import one CAP 1.0–1.2 message (the body); 422 lists every problem if it is not valid CAP."""
    kind = request.headers.get("content-type", "").split(";")[0].strip()
    if kind not in CAP_TYPES:
        raise Invalid(f"send the CAP message as one of {', '.join(CAP_TYPES)}")
    body = await request.body()
    problems = validate_cap(body)
    if problems:
        raise Invalid(
            "not a valid CAP message",
            errors=[{"loc": ["body", p.path], "msg": p.message} for p in problems],
        )
    alert = decode(body)
    return await execute(request, caller, lambda s, ctx: import_alert(s, ctx, op_id, alert), source="interop:cap")


@router.get("/operations/{op_id}/cap.atom", response_class=Response)
def cap_feed(op_id: str, rt: Rt, caller: Caller) -> Response:
    """The operation's public alerts as an Atom feed (exercise operations: status Exercise)."""
    with rt.db.read() as s:
        alerts = public_alerts(s, caller, op_id, sender=SENDER)
    # Links from configuration, never the Host header (a forged Host would point readers
    # elsewhere); without KATCHI_PUBLIC_URL they are relative to the feed's own address.
    base = (rt.settings.public_url or "").rstrip("/")
    body = atom_feed(
        alerts,
        title=f"Katchi public alerts ({op_id})",
        feed_id=f"urn:katchi:cap-feed:{op_id}",
        feed_url=f"{base}/api/v1/operations/{op_id}/cap.atom",
        alert_url=f"{base}/api/v1/operations/{op_id}/cap/%s",
    )
    return Response(body, media_type="application/atom+xml")


@router.get("/operations/{op_id}/cap/{identifier}", response_class=Response)
def cap_alert(op_id: str, identifier: str, rt: Rt, caller: Caller) -> Response:
    """One public alert as CAP 1.2 XML."""
    with rt.db.read() as s:
        alerts = public_alerts(s, caller, op_id, sender=SENDER)
    for a in alerts:
        if a.identifier == identifier:
            return Response(encode(a), media_type="application/cap+xml")
    raise NotFound(f"no public alert {identifier}")


@router.get("/operations/{op_id}/layers/{layer}.geojson", response_class=Response)
def layer_geojson(op_id: str, layer: str, rt: Rt, caller: Caller) -> Response:
    """A COP layer (incidents, facilities, rfas, assets) as a GeoJSON FeatureCollection."""
    with rt.db.read() as s:
        records = layer_records(s, caller, op_id, layer)
        exercise = is_exercise(s, caller, op_id)
    return Response(orjson.dumps(feature_collection(records, exercise=exercise)), media_type="application/geo+json")


@router.get("/operations/{op_id}/layers/{layer}.kml", response_class=Response)
def layer_kml(op_id: str, layer: str, rt: Rt, caller: Caller) -> Response:
    """A COP layer as KML 2.2 (for GIS and Google Earth)."""
    with rt.db.read() as s:
        records = layer_records(s, caller, op_id, layer)
        exercise = is_exercise(s, caller, op_id)
    return Response(
        kml_document(records, name=f"{layer} ({op_id})", exercise=exercise),
        media_type="application/vnd.google-earth.kml+xml",
    )


@router.post("/operations/{op_id}/geojson", status_code=201, response_model=GeoJsonImport, openapi_extra=GEOJSON_BODY)
async def import_geojson(op_id: str, request: Request, caller: Caller, label: str = "alliance") -> Response:
    """Import a GeoJSON FeatureCollection (e.g. a USGS earthquake feed) as incidents."""
    try:
        collection = orjson.loads(await request.body())
    except orjson.JSONDecodeError as exc:
        raise Invalid(f"not JSON: {exc}") from None
    return await execute(
        request,
        caller,
        lambda s, ctx: import_features(s, ctx, op_id, collection, label=label),
        source="interop:geojson",
    )


@router.get("/operations/{op_id}/hxl/{what}.csv", response_class=Response)
def hxl_export(op_id: str, what: str, rt: Rt, caller: Caller) -> Response:
    """HXL CSV of incidents, rfas, taskings, facilities or 3w (who does what where)."""
    with rt.db.read() as s:
        text = export_layer(s, caller, op_id, what)
    return Response(text.encode("utf-8"), media_type="text/csv; charset=utf-8")


async def _hxl_import(
    request: Request, caller: Principal, op_id: str, label: str, importer: Callable[..., HxlImport]
) -> Response:
    try:
        text = (await request.body()).decode("utf-8")
    except UnicodeDecodeError:
        raise Invalid("send the HXL CSV as UTF-8") from None

    def command(s: Session, ctx: Context) -> HxlImport:
        return importer(s, ctx, op_id, text, label=label)

    return await execute(request, caller, command, source="interop:hxl")


@router.post("/operations/{op_id}/hxl/facilities", status_code=201, response_model=HxlImport, openapi_extra=HXL_BODY)
async def hxl_facilities(op_id: str, request: Request, caller: Caller, label: str = "alliance") -> Response:
    """Import facilities (shelters, hospitals …) from an HXL-tagged CSV body."""
    return await _hxl_import(request, caller, op_id, label, import_facilities)


@router.post("/operations/{op_id}/hxl/needs", status_code=201, response_model=HxlImport, openapi_extra=HXL_BODY)
async def hxl_needs(op_id: str, request: Request, caller: Caller, label: str = "alliance") -> Response:
    """Import needs from an HXL-tagged CSV body as submitted RFAs of the caller's organisation."""
    return await _hxl_import(request, caller, op_id, label, import_needs)
