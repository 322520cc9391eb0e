"""The operation's directory of liaison officers: who may list, change and remove whom, what it
refuses (422), and — two-sided — that a contact under a nation's label reaches that nation's
readers and nobody else, by list, single read, stream or error."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import text

from katchi.db import Database
from tests.support.api import create_operation, items, ok, problem
from tests.support.server import LiveServer
from tests.support.sse import open_stream
from tests.support.world import World

PARTICIPANTS = ["kor-province", "kor-army", "us-aviation", "us-liaison"]


def _contact(client: httpx.Client, op: str, status: int = 201, **extra: Any) -> dict[str, Any]:
    body = {"name": "Maj. Kim Min-jun", "role": "LNO to 2ID", "organisation": "kor-province",
            "phone": "+82 10-1234-5678", "radio_call_sign": "HANGANG 6", "languages": ["ko", "en"]} | extra  # fmt: skip
    return ok(client.post(f"/operations/{op}/contacts", json=body), status)  # type: ignore[no-any-return]


def test_a_nation_only_contact_never_reaches_another_nation(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, PARTICIPANTS)["id"]
    province, usav, uscoord = (server.client(world.tokens[u]) for u in ("province", "usav", "uscoord"))
    shared = _contact(province, op)
    with open_stream(server.url, world.tokens["coord"], op) as stream:
        stream.until(lambda e: e.kind == "operations.contact.added")
        secret = _contact(usav, op, name="CPT Jane Doe", organisation="us-aviation", phone="+1 555 0100",
                          languages=["en"], label="nation:USA")  # fmt: skip
        ok(usav.patch(f"/contacts/{secret['id']}", json={"radio_call_sign": "EAGLE 3"}))
        ok(coord.post(f"/operations/{op}/log", json={"text": "after the US contact"}), 201)
        seen = stream.until(lambda e: e.kind == "operations.log.posted")
    assert all(e.data["subject"]["id"] != secret["id"] for e in seen)
    assert "CPT Jane Doe" not in str([e.data for e in seen])

    for korean in (coord, province):
        assert [c["id"] for c in items(korean, f"/operations/{op}/contacts")] == [shared["id"]]
        for resp in (
            korean.get(f"/contacts/{secret['id']}"),
            korean.patch(f"/contacts/{secret['id']}", json={"name": "x"}),
            korean.delete(f"/contacts/{secret['id']}"),
        ):
            body = problem(resp, 404)
            assert "Jane" not in str(body) and "us-aviation" not in str(body)
    # Its nation's readers read it, with the shared one, in the order they were listed.
    for american in (usav, uscoord):
        listed = items(american, f"/operations/{op}/contacts")
        assert [c["id"] for c in listed] == [shared["id"], secret["id"]]
        assert listed[1]["radio_call_sign"] == "EAGLE 3" and listed[1]["label"] == "nation:USA"
    timeline = items(uscoord, f"/operations/{op}/timeline")
    assert {"operations.contact.added", "operations.contact.updated"} <= {e["kind"] for e in timeline}
    # The log keeps who was listed, not how to reach them.
    added = next(e for e in timeline if e["kind"] == "operations.contact.added" and e["subject"]["id"] == secret["id"])
    assert added["label"] == "nation:USA" and "phone" not in added["payload"]
    assert {
        e["subject"]["id"] for e in items(coord, f"/operations/{op}/timeline") if e["subject"]["type"] == "contact"
    } == {shared["id"]}


def test_who_may_write_whose_contacts(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, PARTICIPANTS)["id"]
    province, viewer, uscoord = (server.client(world.tokens[u]) for u in ("province", "viewer", "uscoord"))
    own = _contact(province, op)
    # A contributor lists its own organisation's officers only; a viewer lists none.
    problem(
        province.post(f"/operations/{op}/contacts", json={"name": "x", "organisation": "kor-army", "phone": "010"}), 403
    )
    problem(
        viewer.post(f"/operations/{op}/contacts", json={"name": "x", "organisation": "kor-province", "phone": "010"}),
        403,
    )
    # A coordinator of a participant that does not coordinate the operation is no coordinator here.
    problem(
        uscoord.post(f"/operations/{op}/contacts", json={"name": "x", "organisation": "us-aviation", "phone": "010"}),
        403,
    )
    mine = _contact(uscoord, op, name="LTC Smith", organisation="us-liaison")
    # The operation's coordinators list, change and remove anyone's.
    army = _contact(coord, op, name="Col. Park", organisation="kor-army")
    assert ok(coord.patch(f"/contacts/{army['id']}", json={"role": "LNO to EOC"}))["role"] == "LNO to EOC"
    problem(province.patch(f"/contacts/{army['id']}", json={"role": "mine now"}), 403)
    problem(province.delete(f"/contacts/{army['id']}"), 403)
    problem(viewer.patch(f"/contacts/{own['id']}", json={"role": "x"}), 403)
    # Moving one's own contact to another organisation needs the right over that one too.
    problem(province.patch(f"/contacts/{own['id']}", json={"organisation": "kor-army"}), 403)
    changed = ok(province.patch(f"/contacts/{own['id']}", json={"phone": "", "email": "kim@example.org"}))
    assert (changed["phone"], changed["email"], changed["organisation"]) == ("", "kim@example.org", "kor-province")
    problem(uscoord.delete(f"/contacts/{own['id']}"), 403)
    assert ok(province.delete(f"/contacts/{own['id']}"))["id"] == own["id"]
    problem(province.get(f"/contacts/{own['id']}"), 404)
    ok(coord.delete(f"/contacts/{mine['id']}"))
    assert [c["name"] for c in items(coord, f"/operations/{op}/contacts")] == ["Col. Park"]


def test_bad_contacts_are_refused(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, PARTICIPANTS)["id"]
    for bad in (
        {"name": ""},
        {"languages": ["xx"]},
        {"languages": ["english"]},
        {"phone": "call me"},
        {"email": "nope"},
        {"phone": "", "radio_call_sign": "", "email": ""},
        {"organisation": "no-such-org"},
        {"label": "nation:XXX"},
        {"label": "org:us-aviation"},
        {"surname": "Kim"},
    ):
        problem(coord.post(f"/operations/{op}/contacts", json=_body(bad)), 422)
    contact = _contact(coord, op, languages=["KO", "en", "ko"])
    assert contact["languages"] == ["ko", "en"]
    for bad in ({}, {"label": "public"}, {"name": None}, {"languages": ["zz"]}, {"phone": "", "radio_call_sign": ""}):
        problem(coord.patch(f"/contacts/{contact['id']}", json=bad), 422)
    assert ok(coord.get(f"/contacts/{contact['id']}"))["phone"] == "+82 10-1234-5678"
    assert len(items(coord, f"/operations/{op}/contacts")) == 1


def _body(extra: dict[str, Any]) -> dict[str, Any]:
    return {"name": "Kim", "organisation": "kor-province", "phone": "010-1234-5678"} | extra


def test_personal_details_are_never_public_and_go_with_the_contact(
    server: LiveServer, world: World, db: Database
) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province"], label="public")["id"]
    body = {"name": "Maj. Kim", "organisation": "kor-cmoc", "phone": "+82 10 9999 0000",
            "email": "kim.private@example.kr", "notes": "wife: 010-1111-2222"}  # fmt: skip
    problem(coord.post(f"/operations/{op}/contacts", json=body | {"label": "public"}), 422)
    contact = ok(coord.post(f"/operations/{op}/contacts", json=body, headers={"Idempotency-Key": "k1"}), 201)
    ok(coord.patch(f"/contacts/{contact['id']}", json={"notes": "duty 08-20"}, headers={"Idempotency-Key": "k2"}))
    gone = ok(coord.delete(f"/contacts/{contact['id']}", headers={"Idempotency-Key": "k3"}))
    assert gone["name"] == "Maj. Kim" and (gone["phone"], gone["email"], gone["notes"]) == ("", "", "")
    with db.read() as s:
        kept = [b for (b,) in s.execute(text("select response_body from idempotency_records"))]
    assert kept and not [b for b in kept if "9999 0000" in b or "kim.private" in b or "duty 08-20" in b]
