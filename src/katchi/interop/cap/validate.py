"""CAP validation: the schema's value rules and the specification's semantic rules, every problem
reported with its path (OASIS CAP 1.2, 2010, §3.2; 1.0 and 1.1 differences noted where they apply).

    validate_cap(data) -> list[Problem]      # empty: valid
"""

from __future__ import annotations

import re

from katchi.interop.cap.codec import Problem, read_alert
from katchi.interop.cap.model import Alert, parse_circle, parse_points
from katchi.interop.xml import XmlRejected, parse_xml

STATUS = {"Actual", "Exercise", "System", "Test", "Draft"}
MSG_TYPE = {"Alert", "Update", "Cancel", "Ack", "Error"}
SCOPE = {"Public", "Restricted", "Private"}
CATEGORY = {
    "Geo",
    "Met",
    "Safety",
    "Security",
    "Rescue",
    "Fire",
    "Health",
    "Env",
    "Transport",
    "Infra",
    "CBRNE",
    "Other",
}
RESPONSE = {"Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess", "AllClear", "None"}
URGENCY = {"Immediate", "Expected", "Future", "Past", "Unknown"}
SEVERITY = {"Extreme", "Severe", "Moderate", "Minor", "Unknown"}
CERTAINTY = {"Observed", "Likely", "Possible", "Unlikely", "Unknown"}
#: CAP 1.2 §3.3.2: no alphabetic zone designators ("Z"); 1.0 allowed them.
DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[-+]\d\d:\d\d$")
DATETIME_10 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([-+]\d\d:\d\d|Z)$")
#: identifier and sender: no spaces, commas or restricted characters (< and &).
TOKEN = re.compile(r"^[^\s,<&]+$")
LANGUAGE = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
NEEDS_REFERENCES = {"Update", "Cancel", "Ack", "Error"}


def validate_cap(data: bytes | str) -> list[Problem]:
    """Every problem with a CAP message (empty list: valid)."""
    try:
        root = parse_xml(data)
    except XmlRejected as exc:
        return [Problem("/", exc.reason)]
    alert, problems = read_alert(root)
    if alert is None:
        return problems
    return problems + validate_alert(alert)


def _enum(problems: list[Problem], path: str, value: str | None, allowed: set[str], what: str) -> None:
    if value and value not in allowed:
        problems.append(Problem(path, f"{what} {value!r} is not one of {', '.join(sorted(allowed))}"))


def _time(problems: list[Problem], path: str, value: str | None, version: str) -> None:
    if not value:
        return
    pattern = DATETIME_10 if version == "1.0" else DATETIME
    if not pattern.match(value):
        problems.append(
            Problem(path, f"{value!r} is not a CAP date-time with a numeric time zone (e.g. 2026-03-04T05:00:00+09:00)")
        )
        return
    hh, mm = int(value[11:13]), int(value[14:16])
    month, day = int(value[5:7]), int(value[8:10])
    if not (1 <= month <= 12 and 1 <= day <= 31 and hh <= 23 and mm <= 59):
        problems.append(Problem(path, f"{value!r} is not a real date and time"))


def validate_alert(alert: Alert) -> list[Problem]:
    """The semantic rules a decoded alert must also meet."""
    p: list[Problem] = []
    v = alert.version
    for name, value in (("identifier", alert.identifier), ("sender", alert.sender)):
        if value and not TOKEN.match(value):
            p.append(Problem(f"/alert/{name}", f"{name} must not contain spaces, commas, < or &"))
    _time(p, "/alert/sent", alert.sent, v)
    statuses = STATUS if v != "1.0" else STATUS - {"Draft"}
    _enum(p, "/alert/status", alert.status, statuses, "status")
    _enum(p, "/alert/msgType", alert.msg_type, MSG_TYPE, "msgType")
    _enum(p, "/alert/scope", alert.scope, SCOPE, "scope")
    if alert.scope == "Restricted" and not alert.restriction:
        p.append(Problem("/alert/restriction", "scope Restricted needs <restriction>"))
    if alert.scope == "Private" and not alert.addresses:
        p.append(Problem("/alert/addresses", "scope Private needs <addresses>"))
    if alert.msg_type in NEEDS_REFERENCES and not alert.references:
        p.append(Problem("/alert/references", f"a {alert.msg_type} must reference the earlier message(s)"))
    if alert.references:
        for i, item in enumerate(alert.references.split(), 1):
            parts = item.split(",")
            if len(parts) != 3 or not all(parts):
                p.append(Problem(f"/alert/references[{i}]", f"{item!r} is not sender,identifier,sent"))
            else:
                _time(p, f"/alert/references[{i}]", parts[2], v)
    certainties = CERTAINTY | ({"Very Likely"} if v in ("1.0", "1.1") else set())
    for i, info in enumerate(alert.infos, 1):
        ip = f"/alert/info[{i}]"
        if info.language and not LANGUAGE.match(info.language):
            p.append(Problem(f"{ip}/language", f"{info.language!r} is not an RFC 3066 language tag"))
        for j, c in enumerate(info.categories, 1):
            _enum(p, f"{ip}/category[{j}]", c, CATEGORY, "category")
        if v == "1.0" and info.response_types:
            p.append(Problem(f"{ip}/responseType", "responseType does not exist in CAP 1.0"))
        responses = RESPONSE if v == "1.2" else RESPONSE - {"Avoid", "AllClear"}
        for j, r in enumerate(info.response_types, 1):
            _enum(p, f"{ip}/responseType[{j}]", r, responses, "responseType")
        _enum(p, f"{ip}/urgency", info.urgency, URGENCY, "urgency")
        _enum(p, f"{ip}/severity", info.severity, SEVERITY, "severity")
        _enum(p, f"{ip}/certainty", info.certainty, certainties, "certainty")
        for name in ("effective", "onset", "expires"):
            _time(p, f"{ip}/{name}", getattr(info, name), v)
        for j, res in enumerate(info.resources, 1):
            rp = f"{ip}/resource[{j}]"
            if res.size is not None and not res.size.isdigit():
                p.append(Problem(f"{rp}/size", f"size {res.size!r} is not a whole number of bytes"))
        for j, area in enumerate(info.areas, 1):
            ap = f"{ip}/area[{j}]"
            for k, polygon in enumerate(area.polygons, 1):
                p.extend(_polygon(f"{ap}/polygon[{k}]", polygon))
            for k, circle in enumerate(area.circles, 1):
                p.extend(_circle(f"{ap}/circle[{k}]", circle))
            for name in ("altitude", "ceiling"):
                value = getattr(area, name)
                if value is not None and not _is_number(value):
                    p.append(Problem(f"{ap}/{name}", f"{name} {value!r} is not a number"))
            if area.ceiling is not None and area.altitude is None:
                p.append(Problem(f"{ap}/ceiling", "ceiling needs altitude"))
    return p


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _latlon_ok(lat: float, lon: float) -> bool:
    return -90 <= lat <= 90 and -180 <= lon <= 180


def _polygon(path: str, polygon: str) -> list[Problem]:
    try:
        points = parse_points(polygon)
    except ValueError:
        return [Problem(path, "a polygon is space-separated lat,lon pairs")]
    out = []
    if len(points) < 4:
        out.append(Problem(path, f"a polygon needs at least 4 points (it has {len(points)})"))
    elif points[0] != points[-1]:
        out.append(Problem(path, "a polygon must be closed: its first and last points must be equal"))
    lats, lons = zip(*points, strict=True) if points else ((), ())
    if points and not (min(lats) >= -90 and max(lats) <= 90 and min(lons) >= -180 and max(lons) <= 180):
        out.append(Problem(path, "polygon coordinates out of range (lat ±90, lon ±180)"))
    return out


def _circle(path: str, circle: str) -> list[Problem]:
    try:
        lat, lon, radius = parse_circle(circle)
    except ValueError:
        return [Problem(path, "a circle is 'lat,lon radius' (radius in km)")]
    if not _latlon_ok(lat, lon):
        return [Problem(path, "circle centre out of range (lat ±90, lon ±180)")]
    if radius < 0:
        return [Problem(path, "circle radius must not be negative")]
    return []
