"""Cursor-on-Target (CoT) events: decode, validate, encode (TAK protocol version 0, XML).

An event says who (``uid``), what (``type``, e.g. ``a-f-G-U-C`` a friendly ground unit), how it
was produced (``how``, e.g. ``m-g`` machine GPS), when (``time``, ``start``, ``stale``) and where
(``<point lat lon hae ce le>``); ``<detail>`` carries the rest (contact callsign, group, chat …)
and is kept as it came. Real clients send ``NaN`` for unknown height and errors (hae/ce/le): that
is accepted; latitude and longitude must be real numbers in range.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree

from katchi.interop.xml import XmlRejected, parse_xml

MAX_BYTES = 256 * 1024
MAX_DEPTH = 16
TYPE = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9.*]+)*$")
HOW = re.compile(r"^[a-z](-[A-Za-z0-9]+)*$")
#: ``how`` is required by the CoT schema but real UAS tools omit it; it defaults to ``m-g``.
REQUIRED = ("uid", "type", "time", "start", "stale")
POINT = ("lat", "lon", "hae", "ce", "le")


@dataclass(frozen=True, slots=True)
class CotProblem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class CotError(ValueError):
    def __init__(self, problems: list[CotProblem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


@dataclass
class CotEvent:
    uid: str
    type: str
    how: str
    time: str
    start: str
    stale: str
    lat: float
    lon: float
    hae: float = 9999999.0
    ce: float = 9999999.0
    le: float = 9999999.0
    version: str = "2.0"
    access: str | None = None
    #: The <detail> element as it came (XML), or None.
    detail: str | None = None

    @property
    def callsign(self) -> str | None:
        return self._detail_attr("contact", "callsign")

    @property
    def group(self) -> str | None:
        return self._detail_attr("__group", "name")

    def _detail_attr(self, element: str, attribute: str) -> str | None:
        if not self.detail:
            return None
        found = etree.fromstring(self.detail.encode()).find(element)
        return found.get(attribute) if found is not None else None


def parse_time(value: str) -> datetime:
    """CoT times are ISO 8601, normally UTC with ``Z``."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def read_event(root: Any) -> tuple[CotEvent | None, list[CotProblem]]:
    """The event in an ``<event>`` element and everything wrong with it."""
    problems: list[CotProblem] = []
    if root.tag != "event":
        return None, [CotProblem(f"/{root.tag}", "not a CoT event: the root element must be <event>")]
    attrs = root.attrib
    for name in REQUIRED:
        if not attrs.get(name):
            problems.append(CotProblem(f"/event/@{name}", f"required attribute {name} is missing or empty"))
    if attrs.get("version", "2.0") not in ("2.0", "2"):
        problems.append(CotProblem("/event/@version", f"version {attrs.get('version')!r} is not 2.0"))
    uid = attrs.get("uid", "")
    if len(uid) > 256 or any(c in uid for c in "\r\n\t"):
        problems.append(CotProblem("/event/@uid", "uid must be at most 256 characters, without control characters"))
    if attrs.get("type") and not TYPE.match(attrs["type"]):
        problems.append(
            CotProblem("/event/@type", f"type {attrs['type']!r} is not dash-separated atoms (e.g. a-f-G-U-C)")
        )
    if attrs.get("how") and not HOW.match(attrs["how"]):
        problems.append(CotProblem("/event/@how", f"how {attrs['how']!r} is not like m-g or h-e"))
    times: dict[str, datetime] = {}
    for name in ("time", "start", "stale"):
        value = attrs.get(name)
        if value:
            try:
                times[name] = parse_time(value)
                if times[name].tzinfo is None:
                    problems.append(CotProblem(f"/event/@{name}", f"{value!r} has no time zone (use Z)"))
                    del times[name]
            except ValueError:
                problems.append(CotProblem(f"/event/@{name}", f"{value!r} is not an ISO 8601 time"))
    if "start" in times and "stale" in times and times["stale"] < times["start"]:
        problems.append(CotProblem("/event/@stale", "stale is before start"))
    points = root.findall("point")
    values: dict[str, float] = {}
    if len(points) != 1:
        problems.append(CotProblem("/event/point", f"an event has exactly one <point> (found {len(points)})"))
    else:
        pa = points[0].attrib
        for name in POINT:
            number = _number(pa.get(name))
            if number is None:
                problems.append(CotProblem(f"/event/point/@{name}", f"{name} must be a number"))
                continue
            values[name] = number
        lat, lon = values.get("lat"), values.get("lon")
        if lat is not None and not (math.isfinite(lat) and -90 <= lat <= 90):
            problems.append(CotProblem("/event/point/@lat", f"latitude {pa.get('lat')} is not in -90…90"))
        if lon is not None and not (math.isfinite(lon) and -180 <= lon <= 180):
            problems.append(CotProblem("/event/point/@lon", f"longitude {pa.get('lon')} is not in -180…180"))
        for name in ("ce", "le"):
            v = values.get(name)
            if v is not None and math.isfinite(v) and v < 0:
                problems.append(CotProblem(f"/event/point/@{name}", f"{name} must not be negative"))
    details = root.findall("detail")
    if len(details) > 1:
        problems.append(CotProblem("/event/detail", "an event has at most one <detail>"))
    if problems:
        return None, problems
    detail = etree.tostring(details[0], encoding="unicode", with_tail=False) if details else None
    event = CotEvent(
        uid=uid,
        type=attrs["type"],
        how=attrs.get("how") or "m-g",
        time=attrs["time"],
        start=attrs["start"],
        stale=attrs["stale"],
        lat=values["lat"],
        lon=values["lon"],
        hae=values["hae"],
        ce=values["ce"],
        le=values["le"],
        version="2.0",
        access=attrs.get("access"),
        detail=detail,
    )
    return event, []


def validate_cot(data: bytes | str) -> list[CotProblem]:
    """Every problem with a CoT event (empty list: valid)."""
    try:
        root = parse_xml(data, max_bytes=MAX_BYTES, max_depth=MAX_DEPTH)
    except XmlRejected as exc:
        return [CotProblem("/", exc.reason)]
    return read_event(root)[1]


def decode_cot(data: bytes | str) -> CotEvent:
    try:
        root = parse_xml(data, max_bytes=MAX_BYTES, max_depth=MAX_DEPTH)
    except XmlRejected as exc:
        raise CotError([CotProblem("/", exc.reason)]) from None
    event, problems = read_event(root)
    if event is None:
        raise CotError(problems)
    return event


def _num(value: float) -> str:
    return "NaN" if math.isnan(value) else repr(value)


def encode_cot(event: CotEvent) -> bytes:
    """The event as CoT XML (attributes escaped by lxml; the detail re-inserted as it came)."""
    root = etree.Element("event")
    for name in ("version", "uid", "type", "how", "time", "start", "stale"):
        root.set(name, getattr(event, name))
    if event.access:
        root.set("access", event.access)
    point = etree.SubElement(root, "point")
    for name in POINT:
        point.set(name, _num(getattr(event, name)))
    if event.detail:
        root.append(parse_xml(event.detail, max_bytes=MAX_BYTES, max_depth=MAX_DEPTH))
    return bytes(etree.tostring(root, encoding="UTF-8", xml_declaration=True))
