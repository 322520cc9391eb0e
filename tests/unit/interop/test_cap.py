"""CAP codec and validator: the verdict on every labelled real sample, round trips, the semantic
rules one by one, hostile XML, and fuzzing (the validator reports, it never crashes)."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katchi.interop.cap import CapError, decode, encode, validate_cap
from katchi.interop.cap.codec import DEFAULT_MIME
from katchi.interop.xml import XmlRejected, parse_xml

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "cap"
LABELS = {
    Path(row["path"]).name: row["label"]
    for row in csv.DictReader((FIXTURES / "SOURCES.tsv").open(encoding="utf-8"), delimiter="\t")
}
CAP_FILES = sorted(n for n, label in LABELS.items() if label.startswith(("valid", "invalid", "schema-invalid")))
VALID = [n for n in CAP_FILES if LABELS[n].startswith("valid")]
AMBER = (FIXTURES / "cap_amber_alert_example.xml").read_bytes()


@pytest.mark.parametrize("name", CAP_FILES)
def test_verdict_matches_the_label(name: str) -> None:
    problems = validate_cap((FIXTURES / name).read_bytes())
    if LABELS[name].startswith("valid"):
        assert problems == [], problems
    else:
        assert problems and all(p.message for p in problems)


def test_known_bad_samples_say_why() -> None:
    def reasons(name: str) -> str:
        return " | ".join(map(str, validate_cap((FIXTURES / name).read_bytes())))

    assert "not a CAP alert" in reasons("invalid_xmlns.cap")
    assert "required element <urgency> is empty" in reasons("noaa_errors.cap")
    assert "out of order: <senderName> must come before <headline>" in reasons("sweden.cap")
    assert "not a CAP alert: root {urn:oasis:names:tc:emergency:cap:1.2}alerts" in reasons("smhi.se.alerts.cap")
    assert "not well-formed" in " ".join(map(str, validate_cap((FIXTURES / "pelmorex.atom").read_bytes())))


@pytest.mark.parametrize("name", VALID)
def test_round_trip_keeps_every_field(name: str) -> None:
    alert = decode((FIXTURES / name).read_bytes())
    again = decode(encode(alert))
    for info in alert.infos:  # CAP 1.2 needs a MIME type where 1.0/1.1 could omit it; "Very Likely" went
        info.resources = [replace(r, mime_type=r.mime_type or DEFAULT_MIME) for r in info.resources]
        info.certainty = "Likely" if info.certainty == "Very Likely" else info.certainty
    assert replace(again, version=alert.version, signed=alert.signed) == alert
    assert validate_cap(encode(alert)) == []


def test_decoded_fields() -> None:
    alert = decode(AMBER)
    assert (alert.identifier, alert.sender, alert.sent) == (
        "KAR0-0306112239-SW",
        "KARO@CLETS.DOJ.CA.GOV",
        "2003-06-11T22:39:00-07:00",
    )
    assert (alert.status, alert.msg_type, alert.scope) == ("Actual", "Alert", "Public")
    assert [i.event for i in alert.infos] == ["Child Abduction", "Abducción de Niño"]
    assert (alert.infos[0].urgency, alert.infos[0].severity, alert.infos[0].certainty) == (
        "Immediate",
        "Severe",
        "Likely",
    )
    paaq = decode((FIXTURES / "google-PAAQ-4-mg5a94.xml").read_bytes())
    assert paaq.msg_type == "Update" and len(paaq.reference_triplets()) == 3
    assert decode((FIXTURES / "v1dot0_appendix_adot1.xml").read_bytes()).version == "1.0"


def mutate(old: str, new: str, data: bytes = AMBER) -> list[str]:
    text = data.decode()
    assert old in text, old
    return [str(p) for p in validate_cap(text.replace(old, new, 1))]


def test_semantic_rules() -> None:
    assert any("must reference the earlier message" in p for p in mutate("<msgType>Alert", "<msgType>Update"))
    assert any("scope Restricted needs <restriction>" in p for p in mutate("<scope>Public", "<scope>Restricted"))
    assert any("scope Private needs <addresses>" in p for p in mutate("<scope>Public", "<scope>Private"))
    assert any("numeric time zone" in p for p in mutate("<sent>2", "<sent>Z2"))
    assert any("status 'Real'" in p for p in mutate("<status>Actual", "<status>Real"))
    assert any(
        "may appear only once" in p
        for p in mutate("<scope>Public</scope>", "<scope>Public</scope><scope>Public</scope>")
    )
    assert any("identifier must not contain" in p for p in mutate("<identifier>", "<identifier>a b,"))


def test_structural_rules() -> None:
    """The reader's schema checks: each element's count, order, emptiness and content."""
    twice_empty = mutate("<scope>Public</scope>", "<scope>Public</scope><note/><note/>")
    assert twice_empty == ["/alert/note: <note> may appear only once"]
    assert mutate("<scope>Public</scope>", "<scope>Public</scope><note/>") == []  # empty optional: absent
    assert mutate("<status>Actual</status>", "") == ["/alert/status: required element <status> is missing"]
    assert mutate("<status>Actual</status>", "<status> </status>") == [
        "/alert/status: required element <status> is empty"
    ]
    assert mutate("<status>Actual</status>", "<status><b>Actual</b></status>")[0] == (
        "/alert/status: <status> must hold text, not elements"
    )
    late = AMBER.replace(b"<scope>Public</scope>", b"").replace(b"</alert>", b"<scope>Public</scope></alert>")
    assert [str(p) for p in validate_cap(late)] == ["/alert/scope: out of order: <scope> must come before <info>"]
    categories = mutate("<category>Rescue</category>", "")
    assert "/alert/info[1]/category: required element <category> is missing" in categories


def test_area_rules() -> None:
    base = decode(AMBER)
    info = base.infos[0]
    area = info.areas[0] if info.areas else None
    assert area is None or area.area_desc

    def with_area(inner: str) -> list[str]:
        text = AMBER.decode()
        end = text.index("</info>")
        xml = text[:end] + f"<area><areaDesc>Test</areaDesc>{inner}</area>" + text[end:]
        return [str(p) for p in validate_cap(xml)]

    assert with_area("<polygon>38.47,-120.14 38.34,-119.95 38.52,-119.74 38.47,-120.14</polygon>") == []
    assert any(
        "must be closed" in p
        for p in with_area("<polygon>38.47,-120.14 38.34,-119.95 38.52,-119.74 38.0,-120.0</polygon>")
    )
    assert any("at least 4 points" in p for p in with_area("<polygon>38.47,-120.14 38.47,-120.14</polygon>"))
    assert any("out of range" in p for p in with_area("<polygon>98,1 1,1 1,2 98,1</polygon>"))
    assert any("lat,lon pairs" in p for p in with_area("<polygon>1,1 nan,1 1,2 1,1</polygon>"))
    assert any("'lat,lon radius'" in p for p in with_area("<circle>1,1 inf</circle>"))
    assert with_area("<circle>32.9525,-115.5527 0</circle>") == []
    assert any("'lat,lon radius'" in p for p in with_area("<circle>32.9525 -115.5527</circle>"))
    assert any("ceiling needs altitude" in p for p in with_area("<ceiling>1000</ceiling>"))


HOSTILE = {
    "billion laughs": b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;">]><alert>&lol2;</alert>',
    "external entity": b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert>&x;</alert>',
    "doctype": b'<?xml version="1.0"?><!DOCTYPE alert SYSTEM "http://example.com/cap.dtd"><alert/>',
    "deep": b"<a>" * 100 + b"</a>" * 100,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_xml_is_refused(name: str) -> None:
    with pytest.raises(XmlRejected):
        parse_xml(HOSTILE[name])
    problems = validate_cap(HOSTILE[name])
    assert len(problems) == 1 and problems[0].path == "/"


def test_oversized_document_is_refused() -> None:
    with pytest.raises(XmlRejected, match="limit"):
        parse_xml(b"<alert>" + b" " * (3 * 1024 * 1024) + b"</alert>")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_fuzz_bytes_never_crash_the_validator(data: bytes) -> None:
    problems = validate_cap(data)
    assert isinstance(problems, list)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(AMBER) - 1), st.integers(1, 40), st.binary(max_size=30))
def test_fuzz_mutations_of_a_real_alert(at: int, cut: int, insert: bytes) -> None:
    data = AMBER[:at] + insert + AMBER[at + cut :]
    problems = validate_cap(data)
    try:
        alert = decode(data)
    except (CapError, XmlRejected):
        assert problems
    else:
        assert problems == [] and alert.identifier


def test_real_feed_with_a_garbled_byte_order_mark_is_refused_with_the_reason() -> None:
    """A real GDACS RSS capture starts with a double-encoded BOM: strict XML parsing refuses it."""
    data = (FIXTURES / "gdacs-rss-bad-bom.xml").read_bytes()
    assert data.startswith(b"\xc3\xaf\xc2\xbb\xc2\xbf")
    with pytest.raises(XmlRejected, match="not well-formed XML") as exc:
        parse_xml(data)
    assert "line 1" in exc.value.reason
