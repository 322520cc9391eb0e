"""CAP through the API: import creates, updates and cancels incidents by references; exercise and
real data never mix; the public feed publishes only public incidents, as valid CAP."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

import httpx

from katchi.interop.cap import decode, validate_cap
from katchi.interop.xml import parse_xml
from tests.support.api import create_operation, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cap"
CAP = {"Content-Type": "application/cap+xml"}


def alert(identifier: str, sent: str, *, msg_type: str = "Alert", status: str = "Actual", references: str = "",
          scope: str = "Public", severity: str = "Severe") -> bytes:  # fmt: skip
    refs = "<restriction>CMOC only</restriction>" if scope == "Restricted" else ""
    refs += "<addresses>kor-cmoc</addresses>" if scope == "Private" else ""
    refs += f"<references>{references}</references>" if references else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>{identifier}</identifier><sender>kma@kma.go.kr</sender><sent>{sent}</sent>
  <status>{status}</status><msgType>{msg_type}</msgType><scope>{scope}</scope>
  {refs}
  <info><language>ko-KR</language><category>Met</category><event>호우 경보</event><urgency>Immediate</urgency>
    <severity>{severity}</severity><certainty>Observed</certainty><headline>Heavy rain warning, Seoul</headline>
    <description>Rain over 60 mm/h</description>
    <area><areaDesc>Seoul</areaDesc><polygon>37.45,126.8 37.45,127.2 37.7,127.2 37.7,126.8 37.45,126.8</polygon></area>
  </info>
</alert>""".encode()


def post(client: httpx.Client, op_id: str, body: bytes) -> httpx.Response:
    return client.post(f"/operations/{op_id}/cap", content=body, headers=CAP)


def test_import_update_cancel_and_feed(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province", "us-liaison"], name="Flood")
    first = ok(post(coord, op["id"], alert("KMA-1", "2026-07-10T09:00:00+09:00")), 201)
    assert first["action"] == "created"
    inc = ok(coord.get(f"/incidents/{first['incident_id']}"))
    assert inc["severity"] == "severe" and inc["label"] == "public" and inc["location"]["type"] == "Polygon"
    again = ok(post(coord, op["id"], alert("KMA-1", "2026-07-10T09:00:00+09:00")), 201)
    assert again["action"] == "skipped" and again["reason"] == "already imported"
    ref = "kma@kma.go.kr,KMA-1,2026-07-10T09:00:00+09:00"
    update = alert("KMA-2", "2026-07-10T10:00:00+09:00", msg_type="Update", references=ref, severity="Extreme")
    upd = ok(post(coord, op["id"], update), 201)
    assert upd == {"action": "updated", "incident_id": first["incident_id"], "reason": ""}
    assert ok(coord.get(f"/incidents/{first['incident_id']}"))["severity"] == "extreme"
    # A restricted alert becomes an alliance incident and is never published as public.
    ok(
        coord.post(
            f"/operations/{op['id']}/cap",
            content=alert("KMA-9", "2026-07-10T10:30:00+09:00", scope="Restricted"),
            headers=CAP,
        ),
        201,
    )
    own = {"kind": "fire", "title": "Own report", "severity": "minor", "location": point(), "label": "public"}
    ok(coord.post(f"/operations/{op['id']}/incidents", json=own), 201)
    feed = coord.get(f"/operations/{op['id']}/cap.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    root = parse_xml(feed.content)
    links = [
        e.get("href") for e in root.iter("{http://www.w3.org/2005/Atom}link") if e.get("type") == "application/cap+xml"
    ]
    assert len(links) == 2  # the imported public alert and the public report; not the restricted one
    for href in links:
        doc = httpx.get(urljoin(str(feed.url), href), headers={"Authorization": f"Bearer {world.tokens['coord']}"})
        assert doc.status_code == 200 and validate_cap(doc.content) == []
        assert decode(doc.content).status == "Actual"
    cancel = ok(
        post(coord, op["id"], alert("KMA-3", "2026-07-10T12:00:00+09:00", msg_type="Cancel", references=ref)), 201
    )
    assert cancel["action"] == "cancelled"
    assert ok(coord.get(f"/incidents/{first['incident_id']}"))["status"] == "closed"


def test_bad_cap_and_mixing_real_with_exercise(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    drill = create_operation(coord, ["kor-province"], mode="exercise", name="Drill")
    body = problem(post(coord, drill["id"], alert("X", "2026-07-10T09:00:00+09:00")), 422)
    assert "never mix" in body["detail"]
    made = ok(post(coord, drill["id"], alert("X", "2026-07-10T09:00:00+09:00", status="Exercise")), 201)
    assert made["action"] == "created"
    answer = coord.get(f"/operations/{drill['id']}/cap.atom")
    feed = parse_xml(answer.content)
    href = urljoin(
        str(answer.url),
        next(
            e.get("href")
            for e in feed.iter("{http://www.w3.org/2005/Atom}link")
            if e.get("type") == "application/cap+xml"
        ),
    )
    assert (
        decode(httpx.get(href, headers={"Authorization": f"Bearer {world.tokens['coord']}"}).content).status
        == "Exercise"
    )
    bad = problem(
        post(coord, drill["id"], (FIXTURES / "noaa_errors.cap").read_bytes()),
        422,
    )
    assert any(e["loc"] == ["body", "/alert/info[1]/urgency"] for e in bad["errors"])
    hostile = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert>&x;</alert>'
    assert problem(post(coord, drill["id"], hostile), 422)["errors"]
    assert (
        coord.post(
            f"/operations/{drill['id']}/cap", content=b"{}", headers={"Content-Type": "application/json"}
        ).status_code
        == 422
    )


def test_real_sample_import(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province"], name="Samples")
    made = ok(post(coord, op["id"], (FIXTURES / "taiwan.cap").read_bytes()), 201)
    geo_only = ok(post(coord, op["id"], (FIXTURES / "CanadaNaad.xml").read_bytes()), 201)
    assert made["action"] in ("created", "skipped") and geo_only["action"] in ("created", "skipped")
    if geo_only["action"] == "skipped":
        assert "geocodes only" in geo_only["reason"]


def test_cap_import_is_no_oracle_for_incidents_the_importer_cannot_read(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])  # kor-cmoc
    us = server.client(world.tokens["uscoord"])  # us-liaison, a participant that may import
    op = create_operation(coord, ["us-liaison"], name="Typhoon")
    private = alert("KMA-P", "2026-07-10T09:00:00+09:00", scope="Private")  # becomes org:kor-cmoc
    made = ok(post(coord, op["id"], private), 201)
    problem(us.get(f"/incidents/{made['incident_id']}"), 404)
    again = ok(post(us, op["id"], private), 201)
    assert again == {"action": "skipped", "incident_id": None, "reason": "already imported"}
    assert ok(post(coord, op["id"], private), 201)["incident_id"] == made["incident_id"]  # its reader still sees it
    hidden_ref, never_ref = (
        "kma@kma.go.kr,KMA-P,2026-07-10T09:00:00+09:00",
        "kma@kma.go.kr,NEVER,2026-07-10T09:00:00+09:00",
    )
    sent = "2026-07-10T11:00:00+09:00"
    answers = [
        post(us, op["id"], alert(ident, sent, msg_type="Cancel", references=ref))
        for ident, ref in (("KMA-C1", hidden_ref), ("KMA-C2", never_ref))
    ]
    assert [a.status_code for a in answers] == [201, 201] and answers[0].json() == answers[1].json()
    updates = [
        ok(post(us, op["id"], alert(ident, sent, msg_type="Update", references=ref)), 201)
        for ident, ref in (("KMA-U1", hidden_ref), ("KMA-U2", never_ref))
    ]
    assert [u["action"] for u in updates] == ["created", "created"]
    assert made["incident_id"] not in {u["incident_id"] for u in updates}
    assert ok(coord.get(f"/incidents/{made['incident_id']}"))["status"] == "open"  # untouched
