"""Read and write CAP: XML (through ``interop.xml``) ↔ ``model.Alert``.

Reading follows the element sequences of the CAP XML schemas and records every structural problem
(unknown, repeated, missing, out-of-order or empty elements) with its path instead of stopping at
the first; ``validate.validate_cap`` adds the specification's semantic rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple
from xml.etree.ElementTree import Element, SubElement, tostring

from katchi.interop.cap.model import NS, SIGNATURE_NS, VERSION_OF, Alert, Area, Info, NamedValue, Resource
from katchi.interop.xml import local, parse_xml


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a message, and where (``/alert/info[1]/area[2]/polygon[1]``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class CapError(ValueError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(map(str, problems)))
        self.problems = problems


#: (element, attribute, minOccurs, maxOccurs or None for unbounded, kind) in schema order.
Spec = tuple[tuple[str, str, int, int | None, str], ...]
ALERT: Spec = (
    ("identifier", "identifier", 1, 1, "text"),
    ("sender", "sender", 1, 1, "text"),
    ("sent", "sent", 1, 1, "text"),
    ("status", "status", 1, 1, "text"),
    ("msgType", "msg_type", 1, 1, "text"),
    ("source", "source", 0, 1, "text"),
    ("scope", "scope", 1, 1, "text"),
    ("restriction", "restriction", 0, 1, "text"),
    ("addresses", "addresses", 0, 1, "text"),
    ("code", "codes", 0, None, "text"),
    ("note", "note", 0, 1, "text"),
    ("references", "references", 0, 1, "text"),
    ("incidents", "incidents", 0, 1, "text"),
    ("info", "infos", 0, None, "info"),
)
INFO: Spec = (
    ("language", "language", 0, 1, "text"),
    ("category", "categories", 1, None, "text"),
    ("event", "event", 1, 1, "text"),
    ("responseType", "response_types", 0, None, "text"),
    ("urgency", "urgency", 1, 1, "text"),
    ("severity", "severity", 1, 1, "text"),
    ("certainty", "certainty", 1, 1, "text"),
    ("audience", "audience", 0, 1, "text"),
    ("eventCode", "event_codes", 0, None, "named"),
    ("effective", "effective", 0, 1, "text"),
    ("onset", "onset", 0, 1, "text"),
    ("expires", "expires", 0, 1, "text"),
    ("senderName", "sender_name", 0, 1, "text"),
    ("headline", "headline", 0, 1, "text"),
    ("description", "description", 0, 1, "text"),
    ("instruction", "instruction", 0, 1, "text"),
    ("web", "web", 0, 1, "text"),
    ("contact", "contact", 0, 1, "text"),
    ("parameter", "parameters", 0, None, "named"),
    ("resource", "resources", 0, None, "resource"),
    ("area", "areas", 0, None, "area"),
)
RESOURCE: Spec = (
    ("resourceDesc", "resource_desc", 1, 1, "text"),
    ("mimeType", "mime_type", 1, 1, "text"),
    ("size", "size", 0, 1, "text"),
    ("uri", "uri", 0, 1, "text"),
    ("derefUri", "deref_uri", 0, 1, "text"),
    ("digest", "digest", 0, 1, "text"),
)
AREA: Spec = (
    ("areaDesc", "area_desc", 1, 1, "text"),
    ("polygon", "polygons", 0, None, "text"),
    ("circle", "circles", 0, None, "text"),
    ("geocode", "geocodes", 0, None, "named"),
    ("altitude", "altitude", 0, 1, "text"),
    ("ceiling", "ceiling", 0, 1, "text"),
)
NAMED: Spec = (("valueName", "value_name", 1, 1, "text"), ("value", "value", 1, 1, "text"))
#: CAP 1.0 and 1.1 did not require a resource's MIME type.
RESOURCE_BEFORE_12: Spec = tuple((n, a, 0 if n == "mimeType" else lo, hi, k) for n, a, lo, hi, k in RESOURCE)


class _Slot(NamedTuple):
    """One element of a spec, looked up by its qualified tag (a tuple: unpacked in one step)."""

    position: int
    name: str
    attr: str
    required: bool
    many: bool
    kind: str


@dataclass(frozen=True, slots=True)
class _Layout:
    """A spec compiled for one namespace: what the reader needs per child, computed once."""

    slots: dict[str, _Slot]  # "{ns}name" -> slot
    names: tuple[str, ...]  # by position
    lists: tuple[str, ...]  # attributes holding repeated elements
    scalars: tuple[str, ...]
    required: tuple[_Slot, ...]


_LAYOUTS: dict[tuple[int, str], _Layout] = {}


def _layout(spec: Spec, ns: str) -> _Layout:
    key = (id(spec), ns)
    found = _LAYOUTS.get(key)
    if found is None:
        slots = [_Slot(i, name, attr, lo > 0, hi is None, kind) for i, (name, attr, lo, hi, kind) in enumerate(spec)]
        found = _LAYOUTS[key] = _Layout(
            slots={f"{{{ns}}}{s.name}": s for s in slots},
            names=tuple(s.name for s in slots),
            lists=tuple(s.attr for s in slots if s.many),
            scalars=tuple(s.attr for s in slots if not s.many),
            required=tuple(s for s in slots if s.required),
        )
    return found


#: Required text elements that may nevertheless be empty (a parameter's value). Empty optional
#: elements are allowed by the schema (xs:string) and read as absent; empty required ones are errors.
MAY_BE_EMPTY = frozenset({"value"})


class _Reader:
    def __init__(self, ns: str, version: str) -> None:
        self.ns = ns
        self.version = version
        self.problems: list[Problem] = []
        self.signed = False

    def fields(self, el: Element, spec: Spec, path: str) -> dict[str, Any]:
        """Read ``el``'s children against ``spec``: values by attribute name, problems recorded.

        This loop is the cost of reading CAP beyond the parse itself (``benchmarks/interop.py``),
        so each child costs one dict lookup and the counts live in the values themselves."""
        layout = _layout(spec, self.ns)
        slots = layout.slots
        values: dict[str, Any] = dict.fromkeys(layout.scalars)
        for attr in layout.lists:
            values[attr] = []
        last = -1
        empty: set[str] = set()  # optional elements seen empty (read as absent), for the once-only rule
        for child in el:
            slot = slots.get(child.tag)
            if slot is None:
                self.unknown(child.tag, spec, path)
                continue
            position, name, attr, required, many, kind = slot
            current = values[attr]
            if position < last:
                where = f"{path}/{name}[{len(current) + 1}]" if many else f"{path}/{name}"
                after = layout.names[last]
                self.problems.append(Problem(where, f"out of order: <{name}> must come before <{after}>"))
            else:
                last = position
            if not many and (current is not None or name in empty):
                self.problems.append(Problem(f"{path}/{name}", f"<{name}> may appear only once"))
                continue
            if kind == "text":  # the common case, inline: most children are simple text elements
                text = child.text
                text = text.strip() if text else ""
                if not text or len(child):
                    n = len(current) + 1 if many else 1
                    value = self.text_problems(child, name, path, n, many, text, required=required)
                    if value is None:
                        empty.add(name)
                        continue  # an empty optional element: the schema allows it; read as absent
                else:
                    value = text
            else:
                where = f"{path}/{name}[{len(current) + 1}]" if many else f"{path}/{name}"
                value = getattr(self, f"read_{kind}")(child, where)
            if many:
                current.append(value)
            else:
                values[attr] = value
        for slot in layout.required:
            if not values[slot.attr]:
                if values[slot.attr] is None or slot.many:
                    self.problems.append(Problem(f"{path}/{slot.name}", f"required element <{slot.name}> is missing"))
                if values[slot.attr] is None:
                    values[slot.attr] = ""
        return values

    def unknown(self, tag: Any, spec: Spec, path: str) -> None:
        ns, name = local(tag)
        if ns == SIGNATURE_NS and spec is ALERT:
            self.signed = True  # an enveloped XML signature, allowed at the end of <alert>
            return
        self.problems.append(Problem(f"{path}/{name}", f"unexpected element {tag}"))

    def text_problems(
        self, el: Element, name: str, path: str, n: int, many: bool, text: str, *, required: bool
    ) -> str | None:
        """A text element that is empty or holds elements: record what is wrong, return its value."""
        where = f"{path}/{name}[{n}]" if many else f"{path}/{name}"
        if len(el):
            self.problems.append(Problem(where, f"<{name}> must hold text, not elements"))
        if text:
            return text
        if name in MAY_BE_EMPTY:
            return ""
        if required:
            self.problems.append(Problem(where, f"required element <{name}> is empty"))
            return ""
        return None

    def read_named(self, el: Element, path: str) -> NamedValue:
        if self.version == "1.0" and not len(el):  # CAP 1.0: "valueName=value" as text
            name, _, value = (el.text or "").strip().partition("=")
            return NamedValue(name, value)
        if len(el) == 2:
            first, second = el
            if first.tag == f"{{{self.ns}}}valueName" and second.tag == f"{{{self.ns}}}value":
                name, value = (first.text or "").strip(), (second.text or "").strip()
                if name and not len(first) and not len(second):
                    return NamedValue(name, value)  # the usual case, without the general reader
        return NamedValue(**self.fields(el, NAMED, path))

    def read_resource(self, el: Element, path: str) -> Resource:
        return Resource(**self.fields(el, RESOURCE if self.version == "1.2" else RESOURCE_BEFORE_12, path))

    def read_area(self, el: Element, path: str) -> Area:
        return Area(**self.fields(el, AREA, path))

    def read_info(self, el: Element, path: str) -> Info:
        return Info(**self.fields(el, INFO, path))


def read_alert(root: Element) -> tuple[Alert | None, list[Problem]]:
    """The alert in an ``<alert>`` element and its structural problems (None if it is not CAP)."""
    ns, name = local(root.tag)
    if name != "alert" or ns not in VERSION_OF:
        known = ", ".join(NS.values())
        return None, [Problem(f"/{name}", f"not a CAP alert: root {root.tag}; expected <alert> in one of {known}")]
    version = VERSION_OF[ns]
    reader = _Reader(ns, version)
    f = reader.fields(root, ALERT, "/alert")
    return Alert(**f, version=version, signed=reader.signed), reader.problems


def decode(data: bytes | str) -> Alert:
    """Parse a CAP message; CapError (with every structural problem) if it is not well-formed CAP."""
    from katchi.interop.cap.validate import validate_alert

    alert, problems = read_alert(parse_xml(data))
    if alert is None or problems:
        raise CapError(problems)
    semantic = validate_alert(alert)
    if semantic:
        raise CapError(semantic)
    return alert


#: CAP 1.2 requires a resource's MIME type; 1.0 and 1.1 messages may lack it.
DEFAULT_MIME = "application/octet-stream"


def encode(alert: Alert) -> bytes:
    """The alert as CAP 1.2 XML (UTF-8); a 1.0/1.1 resource without a MIME type gets ``DEFAULT_MIME``."""
    ns = NS["1.2"]

    def add(parent: Element, name: str, value: str | None) -> None:
        if value is not None:
            SubElement(parent, f"{{{ns}}}{name}").text = value

    def named(parent: Element, name: str, items: list[NamedValue]) -> None:
        for nv in items:
            el = SubElement(parent, f"{{{ns}}}{name}")
            add(el, "valueName", nv.value_name)
            add(el, "value", nv.value)

    root = Element(f"{{{ns}}}alert")
    for tag, value in (
        ("identifier", alert.identifier),
        ("sender", alert.sender),
        ("sent", alert.sent),
        ("status", alert.status),
        ("msgType", alert.msg_type),
        ("source", alert.source),
        ("scope", alert.scope),
        ("restriction", alert.restriction),
        ("addresses", alert.addresses),
    ):
        add(root, tag, value)
    for code in alert.codes:
        add(root, "code", code)
    for tag, value in (("note", alert.note), ("references", alert.references), ("incidents", alert.incidents)):
        add(root, tag, value)
    for info in alert.infos:
        el = SubElement(root, f"{{{ns}}}info")
        add(el, "language", info.language)
        for c in info.categories:
            add(el, "category", c)
        add(el, "event", info.event)
        for r in info.response_types:
            add(el, "responseType", r)
        certainty = "Likely" if info.certainty == "Very Likely" else info.certainty  # deprecated in 1.1
        for tag, value in (("urgency", info.urgency), ("severity", info.severity), ("certainty", certainty)):
            add(el, tag, value)
        add(el, "audience", info.audience)
        named(el, "eventCode", info.event_codes)
        for tag, value in (
            ("effective", info.effective),
            ("onset", info.onset),
            ("expires", info.expires),
            ("senderName", info.sender_name),
            ("headline", info.headline),
            ("description", info.description),
            ("instruction", info.instruction),
            ("web", info.web),
            ("contact", info.contact),
        ):
            add(el, tag, value)
        named(el, "parameter", info.parameters)
        for res in info.resources:
            res_el = SubElement(el, f"{{{ns}}}resource")
            for tag, value in (
                ("resourceDesc", res.resource_desc),
                ("mimeType", res.mime_type or DEFAULT_MIME),
                ("size", res.size),
                ("uri", res.uri),
                ("derefUri", res.deref_uri),
                ("digest", res.digest),
            ):
                add(res_el, tag, value)
        for area in info.areas:
            a = SubElement(el, f"{{{ns}}}area")
            add(a, "areaDesc", area.area_desc)
            for p in area.polygons:
                add(a, "polygon", p)
            for c in area.circles:
                add(a, "circle", c)
            named(a, "geocode", area.geocodes)
            add(a, "altitude", area.altitude)
            add(a, "ceiling", area.ceiling)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(
        root, encoding="unicode", default_namespace=ns
    ).encode("utf-8")
