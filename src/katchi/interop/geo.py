"""COP layers as GeoJSON and KML, and GeoJSON features (e.g. a USGS earthquake feed) as incidents.

Exports read through the same access-checked list queries as the API, page by page, so a layer
file holds exactly what its reader may see.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pygeoif
from fastkml import Document, Placemark, kml
from fastkml.geometry import create_kml_geometry
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from katchi.assets import list_assets
from katchi.cop import IncidentCreate, list_facilities, list_incidents, report_incident
from katchi.core import Invalid, validate_geometry
from katchi.core.access import Principal
from katchi.core.context import Context
from katchi.operations import visible_operation
from katchi.tasking import list_rfas

LAYERS = ("incidents", "facilities", "rfas", "assets")
#: An incident kind a feature may carry as it is (the schema's own rule); any other becomes "other".
KIND = re.compile(r"[a-z][a-z0-9_-]{0,63}")
PAGE = 1000


def _pages(fetch: Callable[[str | None], tuple[list[Any], str | None]]) -> Iterator[Any]:
    cursor: str | None = None
    while True:
        items, cursor = fetch(cursor)
        yield from items
        if not cursor:
            return


def layer_records(session: Session, principal: Principal | None, op_id: str, layer: str) -> list[dict[str, Any]]:
    """Every record of a COP layer the principal may read, as JSON-ready dicts."""
    if layer not in LAYERS:
        raise Invalid(f"unknown layer {layer!r}; use one of {', '.join(LAYERS)}")
    view = visible_operation(session, principal, op_id)
    fetchers: dict[str, Callable[[str | None], tuple[list[Any], str | None]]] = {
        "incidents": lambda c: list_incidents(session, principal, view, cursor=c, limit=PAGE),
        "facilities": lambda c: list_facilities(session, principal, view, cursor=c, limit=PAGE),
        "rfas": lambda c: list_rfas(session, principal, view, cursor=c, limit=PAGE),
        "assets": lambda c: list_assets(session, principal, cursor=c, limit=PAGE, operation=view),
    }
    return [r.model_dump(mode="json") for r in _pages(fetchers[layer])]


def is_exercise(session: Session, principal: Principal | None, op_id: str) -> bool:
    """Whether an operation the reader sees is an exercise (its exports must say so)."""
    return visible_operation(session, principal, op_id).op.mode == "exercise"


def feature_collection(records: list[dict[str, Any]], *, exercise: bool = False) -> dict[str, Any]:
    """GeoJSON FeatureCollection: geometry from ``location``, every other field as a property;
    an exercise's collection and each of its features carry ``"exercise": true``."""
    mark = {"exercise": True} if exercise else {}
    return {
        "type": "FeatureCollection",
        **({"name": "EXERCISE", **mark} if exercise else {}),
        "features": [
            {
                "type": "Feature",
                "id": r["id"],
                "geometry": r["location"],
                "properties": {k: v for k, v in r.items() if k != "location"} | mark,
            }
            for r in records
        ],
    }


def kml_document(records: list[dict[str, Any]], *, name: str, exercise: bool = False) -> str:
    """The same records as KML 2.2 placemarks (name, description with severity/state, label); an
    exercise's document and placemarks are named EXERCISE first."""
    mark = "EXERCISE — " if exercise else ""
    doc = Document(id="katchi", name=mark + name)
    for r in records:
        detail = " · ".join(
            str(r[k]) for k in ("kind", "severity", "status", "state", "capability", "label") if r.get(k) is not None
        )
        doc.append(
            Placemark(
                id=f"k{r['id']}",
                name=mark + (r.get("title") or r.get("name") or r["id"]),
                description=mark + detail,
                kml_geometry=create_kml_geometry(pygeoif.shape(r["location"])),
            )
        )
    root = kml.KML()
    root.append(doc)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + root.to_string(prettyprint=True)


class GeoJsonImport(BaseModel):
    created: list[str]
    skipped: list[dict[str, Any]]


def _usgs_severity(props: dict[str, Any]) -> str:
    try:
        mag = float(props.get("mag"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "moderate"
    return "extreme" if mag >= 7 else "severe" if mag >= 6 else "moderate" if mag >= 5 else "minor"


def import_features(
    session: Session, ctx: Context, op_id: str, collection: dict[str, Any], *, label: str = "alliance"
) -> GeoJsonImport:
    """Each feature with a valid geometry becomes an incident (USGS feeds: title, magnitude as
    severity, the event id and URL kept in the description); others are listed as skipped."""
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise Invalid("send a GeoJSON FeatureCollection")
    features = collection.get("features")
    if not isinstance(features, list):
        raise Invalid("the FeatureCollection has no features list")
    created, skipped = [], []
    for i, f in enumerate(features):
        props = (f.get("properties") or {}) if isinstance(f, dict) else {}
        if not isinstance(props, dict):
            skipped.append({"index": i, "reason": "properties must be an object (or null)"})
            continue
        try:
            geometry = validate_geometry(f.get("geometry") if isinstance(f, dict) else None)
        except Invalid as exc:
            skipped.append({"index": i, "reason": exc.detail})
            continue
        if geometry["type"] == "Point" and len(geometry["coordinates"]) > 2:
            geometry = {"type": "Point", "coordinates": geometry["coordinates"][:2]}  # drop depth/altitude
        title = str(props.get("title") or props.get("name") or props.get("place") or f"Feature {i + 1}")[:300]
        source = " ".join(str(props[k]) for k in ("code", "ids", "url") if props.get(k))
        kind = "earthquake" if props.get("mag") is not None else props.get("kind")
        try:
            incident = report_incident(
                session,
                ctx,
                op_id,
                IncidentCreate(
                    kind=kind if isinstance(kind, str) and KIND.fullmatch(kind) else "other",
                    title=title,
                    severity=_usgs_severity(props),
                    location=geometry,
                    description=f"Imported from GeoJSON. {source}".strip()[:10_000],
                    label=label,
                ),
            )
        except ValidationError as exc:
            skipped.append({"index": i, "reason": "; ".join(e["msg"] for e in exc.errors())})
            continue
        created.append(incident.id)
    return GeoJsonImport(created=created, skipped=skipped)
