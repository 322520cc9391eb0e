"""TAK protocol version 1: the negotiation control events, stream framing (0xbf, varint length,
protobuf TakMessage via takproto) and the conversions between protobuf and CoT XML; plus reading
fields of an event's (already validated) detail through the same hardened parser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from xml.sax.saxutils import quoteattr

from katchi.interop.cot import CotError, CotEvent, decode_cot
from katchi.interop.xml import parse_xml


def protocol_offer() -> bytes:
    """Advertise TAK protocol version 1 (sent once a device is identified)."""
    return _control("t-x-takp-v", '<TakControl><TakProtocolSupport version="1"/></TakControl>')


def protocol_response(ok: bool) -> bytes:
    return _control("t-x-takp-r", f'<TakControl><TakResponse status="{"true" if ok else "false"}"/></TakControl>')


def _control(kind: str, detail: str) -> bytes:
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    stale = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return (
        f'<event version="2.0" uid="protouid" type="{kind}" how="m-g" time="{now}" start="{now}" stale="{stale}">'
        f'<point lat="0.0" lon="0.0" hae="0.0" ce="999999" le="999999"/><detail>{detail}</detail></event>'
    ).encode()


def detail_attr(event: CotEvent, path: str, attribute: str) -> str | None:
    """An attribute of an element of the event's ``<detail>`` (None if absent)."""
    if not event.detail:
        return None
    node = parse_xml(event.detail).find(path)
    return node.get(attribute) if node is not None else None


def remarks(event: CotEvent) -> str:
    """The text of the event's ``<remarks>`` (GeoChat carries its message there)."""
    if not event.detail:
        return ""
    node = parse_xml(event.detail).find("remarks")
    return (node.text or "").strip() if node is not None else ""


def take_frame(buf: bytes, limit: int) -> tuple[bytes, bytes] | None:
    """One TAK stream frame (0xbf, varint length, protobuf) from the buffer, or None if incomplete;
    CotError if the buffer does not start a frame or announces one over ``limit``."""
    if not buf:
        return None
    if buf[0] != 0xBF:
        raise CotError([])
    length, shift, i = 0, 0, 1
    while True:
        if i >= len(buf):
            return None
        byte = buf[i]
        length |= (byte & 0x7F) << shift
        i += 1
        if not byte & 0x80:
            break
        shift += 7
        if shift > 28:
            raise CotError([])
    if length > limit:
        raise CotError([])
    if len(buf) < i + length:
        return None
    return buf[i : i + length], buf[i + length :]


def proto_event(payload: bytes) -> tuple[CotEvent, bytes]:
    """A protobuf TakMessage as a validated event and its XML (built here, then checked by the
    same defusedxml decoder as XML input)."""
    from takproto.proto import TakMessage

    msg = TakMessage()
    try:
        msg.ParseFromString(payload)
    except Exception:  # protobuf's DecodeError and friends
        raise CotError([]) from None
    ev = msg.cotEvent
    iso = lambda ms: datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"  # noqa: E731
    detail = ev.detail
    parts = [detail.xmlDetail or ""]
    if detail.HasField("contact"):
        parts.append(f"<contact callsign={quoteattr(detail.contact.callsign)}/>")
    if detail.HasField("group"):
        parts.append(f"<__group name={quoteattr(detail.group.name)} role={quoteattr(detail.group.role)}/>")
    xml = (
        f'<event version="2.0" uid={quoteattr(ev.uid)} type={quoteattr(ev.type)} how={quoteattr(ev.how or "m-g")} '
        f'time="{iso(ev.sendTime)}" start="{iso(ev.startTime)}" stale="{iso(ev.staleTime)}">'
        f'<point lat="{ev.lat!r}" lon="{ev.lon!r}" hae="{ev.hae!r}" ce="{ev.ce!r}" le="{ev.le!r}"/>'
        f"<detail>{''.join(parts)}</detail></event>"
    ).encode()
    return decode_cot(xml), xml


def to_proto(xml: bytes) -> bytes:
    """Katchi's own (already validated) XML CoT as a TAK protocol version 1 stream frame."""
    import takproto

    return bytes(takproto.xml2proto(xml.decode("utf-8"), takproto.TAKProtoVer.STREAM))
