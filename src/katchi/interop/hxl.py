"""HXL (Humanitarian Exchange Language) in and out, with libhxl.

Import: facilities (shelters, hospitals …) and needs (as submitted RFAs) from HXL-tagged CSV. Export: incidents, RFAs,
taskings, facilities, a who-does-what-where (3W) view, a plan's gap analysis and lessons learned, as
HXL CSV with standard hashtags.
Exported cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) are
neutralised with a leading apostrophe (OWASP CSV injection advice).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Sequence
from typing import Any

import hxl
from pydantic import BaseModel
from sqlalchemy.orm import Session

from katchi.cop import FacilityCreate, add_facility
from katchi.core import Invalid
from katchi.core.access import Principal
from katchi.core.context import Context
from katchi.interop.geo import is_exercise, layer_records
from katchi.lessons import list_lessons
from katchi.planning import plan_gaps
from katchi.tasking import RfaCreate, create_rfa

MAX_BYTES = 5 * 1024 * 1024
FACILITY_KINDS = {"shelter", "hospital", "airport", "port", "staging_area", "warehouse", "cmoc"}
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> str:
    """A cell as text that no spreadsheet will evaluate as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS) else text


def write_hxl(headers: Sequence[str], tags: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """HXL CSV through libhxl (which parses and checks the hashtag row), cells neutralised."""
    data = [list(headers), list(tags), *([neutralise(v) for v in row] for row in rows)]
    dataset = hxl.data(data, hxl.InputOptions(allow_local=False))
    return "".join(dataset.gen_csv(show_headers=True, show_tags=True))


def read_hxl(text: str) -> Any:
    """An HXL dataset from CSV text; Invalid if it has no hashtag row."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise Invalid(f"the HXL file is over {MAX_BYTES} bytes")
    if "\x00" in text:
        raise Invalid("not CSV: it contains NUL characters")
    try:  # universal newlines (a lone CR ends a line), strict quoting (an open quote is an error)
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=None), strict=True))
    except csv.Error as exc:
        raise Invalid(f"not CSV: {exc}") from None
    try:
        dataset = hxl.data(rows, hxl.InputOptions(allow_local=False))
        dataset.columns  # noqa: B018  (forces the search for the hashtag row)
    except hxl.HXLException as exc:
        raise Invalid(f"not HXL: {exc}") from None
    return dataset


def _first(row: Any, *patterns: str) -> str | None:
    for p in patterns:
        value = row.get(p)
        if value not in (None, ""):
            return str(value).strip()
    return None


class HxlImport(BaseModel):
    created: list[str]
    skipped: list[dict[str, Any]]


def _finite(text: str, column: str) -> float:
    """A cell as a finite number (``inf``, ``nan`` and ``1e400`` are no counts or coordinates)."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{column} must be a number, not {text[:40]!r}") from None
    if not math.isfinite(value):
        raise ValueError(f"{column} must be a finite number, not {text[:40]!r}")
    return value


def import_facilities(session: Session, ctx: Context, op_id: str, text: str, *, label: str = "alliance") -> HxlImport:
    """Facilities from HXL: ``#loc+name`` (or ``#loc``/``#org``), ``#geo+lat``, ``#geo+lon``,
    ``#capacity`` (or ``#indicator+capacity``), ``#loc+type`` (shelter, hospital …; default shelter).
    Rows without a name or a valid position are listed as skipped, with the reason."""
    dataset = read_hxl(text)
    created, skipped = [], []
    for i, row in enumerate(dataset):
        name = _first(row, "#loc+name", "#loc", "#org+name", "#org")
        lat, lon = _first(row, "#geo+lat"), _first(row, "#geo+lon")
        if not name or lat is None or lon is None:
            skipped.append({"row": i + 1, "reason": "needs #loc+name, #geo+lat and #geo+lon"})
            continue
        kind = (_first(row, "#loc+type", "#type") or "shelter").lower().replace(" ", "_")
        capacity = _first(row, "#capacity", "#indicator+capacity", "#beds") or "0"
        try:
            location = {"type": "Point", "coordinates": [_finite(lon, "#geo+lon"), _finite(lat, "#geo+lat")]}
            facility = add_facility(
                session,
                ctx,
                op_id,
                FacilityCreate(
                    kind=kind if kind in FACILITY_KINDS else "shelter",
                    name=name[:300],
                    capacity=int(_finite(capacity, "#capacity")),
                    location=location,
                    label=label,
                ),
            )
        except (ValueError, Invalid) as exc:
            skipped.append({"row": i + 1, "reason": getattr(exc, "detail", str(exc))})
            continue
        created.append(facility.id)
    return HxlImport(created=created, skipped=skipped)


#: HXL sector (cluster) names and codes → the capability that meets the need.
SECTOR_CAPABILITY = {
    "shelter": "emergency_shelter",
    "shelter and nfi": "emergency_shelter",
    "wash": "water_trucking",
    "water": "water_trucking",
    "health": "emt_type1",
    "food": "food_distribution",
    "food security": "food_distribution",
    "logistics": "truck_transport",
    "telecommunications": "emergency_telecoms",
    "etc": "emergency_telecoms",
    "protection": "psychosocial_support",
    "search and rescue": "usar_medium",
}


def import_needs(session: Session, ctx: Context, op_id: str, text: str, *, label: str = "alliance") -> HxlImport:
    """Needs as submitted RFAs of the importing organisation: ``#sector`` (or ``#capacity+type`` with
    a capability code) says what is needed, ``#inneed`` (or ``#affected``, ``#targeted``) how many
    people, ``#geo+lat``/``#geo+lon`` where, ``#loc+name`` or ``#adm2+name`` names the place."""
    dataset = read_hxl(text)
    created, skipped = [], []
    for i, row in enumerate(dataset):
        code = _first(row, "#capacity+type")
        sector = (_first(row, "#sector") or "").lower()
        capability = code or SECTOR_CAPABILITY.get(sector)
        if not capability:
            skipped.append({"row": i + 1, "reason": f"no capability for sector {sector or '(none)'}"})
            continue
        lat, lon = _first(row, "#geo+lat"), _first(row, "#geo+lon")
        people = _first(row, "#inneed", "#affected", "#targeted") or "1"
        place = _first(row, "#loc+name", "#adm2+name", "#adm1+name", "#loc") or "?"
        try:
            rfa = create_rfa(
                session,
                ctx,
                op_id,
                RfaCreate(
                    title=f"{sector or capability}: {place}"[:300],
                    capability=capability,
                    quantity=max(1, int(_finite(people, "#inneed"))),
                    location={
                        "type": "Point",
                        "coordinates": [_finite(lon or "", "#geo+lon"), _finite(lat or "", "#geo+lat")],
                    },
                    label=label,
                    submit=True,
                ),
            )
        except (ValueError, Invalid) as exc:
            skipped.append({"row": i + 1, "reason": getattr(exc, "detail", str(exc))})
            continue
        created.append(rfa.id)
    return HxlImport(created=created, skipped=skipped)


def _point(location: dict[str, Any]) -> tuple[str, str]:
    if location.get("type") == "Point":
        lon, lat = location["coordinates"][:2]
        return f"{lat:.6f}", f"{lon:.6f}"
    return "", ""


#: (header, hashtag, record field or callable) per export.
EXPORTS: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "incidents": (
        "incidents",
        [
            ("Incident", "#event+id", "id"),
            ("Title", "#event+name", "title"),
            ("Kind", "#event+type", "kind"),
            ("Severity", "#severity", "severity"),
            ("Status", "#status", "status"),
            ("People affected", "#affected", "people_affected"),
            ("Reported by", "#org+reporting", "reported_by"),
            ("Releasability", "#meta+label", "label"),
            ("Reported", "#date+reported", "created_at"),
        ],
    ),
    "rfas": (
        "rfas",
        [
            ("RFA", "#activity+id", "id"),
            ("Title", "#activity+name", "title"),
            ("Capability", "#capacity+type", "capability"),
            ("Quantity", "#capacity+num", "quantity"),
            ("Priority", "#priority", "priority"),
            ("State", "#status", "state"),
            ("Requested by", "#org+requesting", "requesting_org"),
            ("Releasability", "#meta+label", "label"),
            ("Requested", "#date+requested", "created_at"),
        ],
    ),
    "facilities": (
        "facilities",
        [
            ("Facility", "#loc+name", "name"),
            ("Type", "#loc+type", "kind"),
            ("Capacity", "#capacity", "capacity"),
            ("Occupancy", "#reached+occupancy", "occupancy"),
            ("Beds available", "#capacity+beds+available", "beds_available"),
            ("Status", "#status", "status"),
            ("Needs", "#item+needed", "needs"),
            ("Organisation", "#org", "org"),
            ("Releasability", "#meta+label", "label"),
            ("Last update", "#date+updated", "updated_at"),
        ],
    ),
}


def _cell(value: Any) -> Any:
    """A list (a facility's needs) as one cell, its items separated by semicolons."""
    return "; ".join(map(str, value)) if isinstance(value, list) else value


Table = tuple[list[str], list[str], list[list[Any]]]


def export_layer(session: Session, principal: Principal | None, op_id: str, what: str) -> str:
    """Incidents, RFAs, taskings, facilities or 3W as HXL CSV (with latitude and longitude of
    points); every row of an exercise's export carries EXERCISE in a ``#meta+exercise`` column."""
    if what == "3w":
        headers, tags, rows = three_w(session, principal, op_id)
    elif what == "taskings":
        headers, tags, rows = taskings(session, principal, op_id)
    elif what in EXPORTS:
        layer, columns = EXPORTS[what]
        records = layer_records(session, principal, op_id, layer)
        headers = [c[0] for c in columns] + ["Latitude", "Longitude"]
        tags = [c[1] for c in columns] + ["#geo+lat", "#geo+lon"]
        rows = [[_cell(r.get(field, "")) for _, _, field in columns] + list(_point(r["location"])) for r in records]
    else:
        raise Invalid(f"unknown HXL export {what!r}; use incidents, rfas, taskings, facilities or 3w")
    if is_exercise(session, principal, op_id):
        headers, tags, rows = [*headers, "Exercise"], [*tags, "#meta+exercise"], [[*r, "EXERCISE"] for r in rows]
    return write_hxl(headers, tags, rows)


def taskings(session: Session, principal: Principal | None, op_id: str) -> Table:
    """Each tasked RFA with its asset: who was asked to do what, where (the tasking's own label
    decides whether a reader sees the asset, as in the API)."""
    records = layer_records(session, principal, op_id, "rfas")
    assets = {a["id"]: a for a in layer_records(session, principal, op_id, "assets")}
    headers = ["Tasking", "RFA", "Activity", "Asset", "Asset organisation", "Status", "Releasability", "Lat", "Lon"]
    tags = ["#activity+tasking+id", "#activity+id", "#activity+name", "#item+asset", "#org+implementing",
            "#status", "#meta+label", "#geo+lat", "#geo+lon"]  # fmt: skip
    rows = []
    for r in records:
        t = r.get("tasking")
        if not t:
            continue
        asset = assets.get(t["asset_id"], {})
        rows.append([t["id"], r["id"], r["title"], asset.get("name", ""), asset.get("org", ""), t["status"], t["label"],
                     *_point(r["location"])])  # fmt: skip
    return headers, tags, rows


def three_w(session: Session, principal: Principal | None, op_id: str) -> Table:
    """Who does what where: per organisation and capability, the tasks in hand and done, with the
    area (bounding box of the RFAs)."""
    records = layer_records(session, principal, op_id, "rfas")
    assets = {a["id"]: a for a in layer_records(session, principal, op_id, "assets")}
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for r in records:
        t = r.get("tasking")
        if not t or t["asset_id"] not in assets:
            continue
        org = assets[t["asset_id"]]["org"]
        g = groups.setdefault((org, r["capability"]), {"active": 0, "done": 0, "lats": [], "lons": []})
        g["done" if r["state"] == "completed" else "active"] += 1
        lat, lon = _point(r["location"])
        if lat:
            g["lats"].append(float(lat))
            g["lons"].append(float(lon))
    headers = ["Organisation", "Capability", "Active", "Completed", "South", "West", "North", "East"]
    tags = ["#org+implementing", "#sector+capability", "#activity+num+active", "#activity+num+completed",
            "#geo+bbox+south", "#geo+bbox+west", "#geo+bbox+north", "#geo+bbox+east"]  # fmt: skip
    rows = [
        [org, cap, g["active"], g["done"],
         *((min(g["lats"]), min(g["lons"]), max(g["lats"]), max(g["lons"])) if g["lats"] else ("", "", "", ""))]
        for (org, cap), g in sorted(groups.items())
    ]  # fmt: skip
    return headers, tags, rows


def export_plan_gaps(session: Session, principal: Principal | None, plan_id: str, *, without: str | None = None) -> str:
    """A plan's gap analysis as HXL CSV: one row per capability and phase, with what each nation's
    military and the civilians can bring."""
    rows = plan_gaps(session, principal, plan_id, without=without)
    sides = sorted({side for g in rows for side in g.by_nation}, key=lambda s: (s == "civilian", s))
    headers = ["Capability", "Capability (en)", "역량 (ko)", "Unit", "Phase", "Required", "Available", "Shortfall",
               "Earliest arrival (h)", "Assets", *[f"Available: {s}" for s in sides]]  # fmt: skip
    tags = ["#capacity+type", "#capacity+name+i_en", "#capacity+name+i_ko", "#meta+unit", "#meta+phase",
            "#capacity+num+required", "#capacity+num+available", "#capacity+num+shortfall",
            "#indicator+num+arrival_h", "#indicator+num+assets",
            *[f"#capacity+num+{s.lower()}" for s in sides]]  # fmt: skip
    table = [
        [g.capability, g.names.get("en", ""), g.names.get("ko", ""), g.unit, g.phase, g.required, g.available,
         g.shortfall, "" if g.earliest_arrival_h is None else g.earliest_arrival_h, g.assets,
         *[g.by_nation.get(s, 0) for s in sides]]
        for g in rows
    ]  # fmt: skip
    return write_hxl(headers, tags, table)


def export_lessons(session: Session, principal: Principal | None, *, hazard: str | None, state: str | None) -> str:
    """The lessons the reader may read as HXL CSV, both languages side by side."""
    rows, cursor = [], None
    while True:
        page, cursor = list_lessons(session, principal, cursor=cursor, limit=1000, state=state, hazard=hazard)
        rows += page
        if cursor is None:
            break
    headers = ["Lesson", "Title (en)", "제목 (ko)", "State", "Hazard", "Capability", "Observation (en)", "관찰 (ko)",
               "Recommendation (en)", "권고 (ko)", "Root cause (en)", "근본 원인 (ko)", "Open remedial actions",
               "Releasability", "Observed"]  # fmt: skip
    tags = ["#meta+id", "#item+name+i_en", "#item+name+i_ko", "#status", "#crisis+type", "#capacity+type",
            "#description+observation+i_en", "#description+observation+i_ko", "#description+recommendation+i_en",
            "#description+recommendation+i_ko", "#description+cause+i_en", "#description+cause+i_ko",
            "#indicator+num+open_actions", "#meta+label", "#date+observed"]  # fmt: skip
    table = [
        [x.id, x.title.en, x.title.ko, x.state, x.hazard or "", x.capability_area or "", x.observation.en,
         x.observation.ko, x.recommendation.en, x.recommendation.ko, x.root_cause.en, x.root_cause.ko,
         sum(1 for a in x.remedial_actions if a.status == "open"), x.label, x.created_at.isoformat()]
        for x in rows
    ]  # fmt: skip
    return write_hxl(headers, tags, table)
