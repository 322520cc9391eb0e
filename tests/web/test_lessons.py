"""Observations become lessons through a life cycle kept as data: a lessons manager validates,
rejects, assigns remedial actions and verifies them against evidence; the owning organisation
implements its action. Illegal steps answer 409, the wrong role 403; a lesson's sources are
shown only to readers of each."""

from __future__ import annotations

from typing import Any

import httpx

from katchi.db import Database
from katchi.interop.hxl import read_hxl
from tests.support.api import create_operation, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World, user_token


def _act(client: httpx.Client, lesson: str, action: str, **body: Any) -> httpx.Response:
    return client.post(f"/lessons/{lesson}/actions/{action}", json=body or None)


def test_an_observation_becomes_a_verified_lesson_by_the_right_hands_only(
    server: LiveServer, world: World, db: Database
) -> None:
    coord, krc = server.client(world.tokens["coord"]), server.client(world.tokens["redcross"])
    province, roka = server.client(world.tokens["province"]), server.client(world.tokens["roka"])
    manager = server.client(user_token(db, "ll-manager", "kor-cmoc", "lessons_manager"))
    us = server.client(world.tokens["uscoord"])
    op = create_operation(coord, ["kor-province", "kor-redcross", "kor-army"])["id"]
    entries = [ok(coord.post(f"/operations/{op}/log", json={"text": f"Shelter list {i} sent by fax"}), 201)["id"]
               for i in range(3)]  # fmt: skip
    decision = ok(coord.post(f"/operations/{op}/decisions", json={"title": "Share shelter lists by HXL"}), 201)["id"]
    secret = ok(us.post(f"/operations/{create_operation(us, [])['id']}/log", json={"text": "US only"}), 201)["id"]

    body = {
        "title": {"ko": "대피소 명단이 USFK에 9시간 늦게 전달됨"},
        "observation": {"en": "Shelter lists reached USFK nine hours late.", "ko": ""},
        "sources": [{"type": "log", "id": e} for e in entries],
        "hazard": "typhoon",
        "capability_area": "emergency_shelter",
    }
    problem(server.client(world.tokens["viewer"]).post("/observations", json=body), 403)
    problem(krc.post("/observations", json=body | {"sources": [{"type": "log", "id": secret}]}), 422)
    problem(krc.post("/observations", json=body | {"capability_area": "unicorns"}), 422)
    narrow = ok(coord.post(f"/operations/{op}/log", json={"text": "internal", "label": "org:kor-cmoc"}), 201)["id"]
    narrow_src = {"sources": [{"type": "log", "id": narrow}], "label": "nation:KOR"}
    problem(coord.post("/observations", json=body | narrow_src), 422)  # wider than org:kor-cmoc
    # Its sources are read by the operation's participants only: a lesson every organisation reads
    # ("alliance" on a platform record) would tell the US liaison, who does not take part.
    wide = problem(krc.post("/observations", json=body), 422)
    assert "label it org:kor-redcross" in wide["detail"]
    body["label"] = "nation:KOR"  # every KOR organisation takes part: no wider than the sources
    lesson = ok(krc.post("/observations", json=body), 201)
    lid = lesson["id"]
    assert lesson["state"] == "observed" and lesson["org"] == "kor-redcross"
    assert lesson["missing_translations"] == ["title.en", "observation.ko"]
    assert [s["id"] for s in lesson["sources"]] == entries
    assert lid in {x["id"] for x in ok(manager.get("/observations"))["items"]}

    # The lessons manager fills in the English title; a stranger may not edit.
    problem(roka.patch(f"/lessons/{lid}", json={"title": {"en": "x"}}), 403)
    both = {"en": "Shelter lists reached USFK 9 hours late", "ko": "대피소 명단이 USFK에 9시간 늦게 전달됨"}
    translated = ok(manager.patch(f"/lessons/{lid}", json={"title": both}))
    assert translated["title"] == both and translated["missing_translations"] == ["observation.ko"]
    problem(_act(krc, lid, "validate"), 403)  # only a lessons manager validates
    problem(_act(manager, lid, "assign", owner_org="kor-province", due="2027-03-01", text={"en": "x"}), 409)
    problem(_act(manager, lid, "implement"), 409)
    validated = ok(_act(manager, lid, "validate", root_cause={"en": "Lists went by fax", "ko": "팩스로 전달"}))
    assert validated["state"] == "validated" and validated["root_cause"]["ko"] == "팩스로 전달"
    assert lid not in {x["id"] for x in ok(manager.get("/observations"))["items"]}
    problem(_act(manager, lid, "assign", owner_org="nobody", due="2027-03-01", text={"en": "x"}), 422)
    assigned = ok(_act(manager, lid, "assign", owner_org="kor-province", due="2027-03-01",
                       text={"en": "Publish shelter lists as HXL", "ko": "대피소 명단을 HXL로 공유"}))  # fmt: skip
    (action,) = assigned["remedial_actions"]
    assert assigned["state"] == "action_assigned" and (action["owner_org"], action["status"]) == (
        "kor-province",
        "open",
    )
    problem(_act(roka, lid, "implement"), 403)  # not the owning organisation
    problem(_act(province, lid, "verify", evidence={"type": "operation_record", "id": decision}), 409)
    done = ok(_act(province, lid, "implement", remedial_action_id=action["id"]))
    assert done["state"] == "implemented" and done["remedial_actions"][0]["status"] == "implemented"
    problem(_act(province, lid, "verify", evidence={"type": "operation_record", "id": decision}), 403)
    problem(_act(manager, lid, "verify"), 422)
    problem(_act(manager, lid, "verify", evidence={"type": "operation_record", "id": secret}), 422)
    verified = ok(_act(manager, lid, "verify", evidence={"type": "operation_record", "id": decision}))
    assert verified["state"] == "verified" and verified["evidence"] == {"type": "operation_record", "id": decision}
    problem(_act(manager, lid, "verify", evidence={"type": "operation_record", "id": decision}), 409)
    problem(manager.patch(f"/lessons/{lid}", json={"title": both}), 409)  # verified: no longer edited

    # Rejected observations go no further.
    other = ok(krc.post("/observations", json=body | {"sources": []}), 201)["id"]
    assert ok(_act(manager, other, "reject", reason="duplicate"))["state"] == "rejected"
    problem(_act(manager, other, "validate"), 409)


def test_a_lesson_and_its_sources_are_read_by_their_labels(server: LiveServer, world: World, db: Database) -> None:
    coord, us = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    manager = server.client(user_token(db, "ll", "kor-cmoc", "lessons_manager"))
    everyone = [o for o in world.orgs if o != "kor-cmoc"]
    op = create_operation(coord, everyone)["id"]  # every organisation takes part
    entry = ok(coord.post(f"/operations/{op}/log", json={"text": "Road closed"}), 201)["id"]
    report = {"kind": "flood", "title": "Underpass", "severity": "minor", "location": point()}
    incident = ok(coord.post(f"/operations/{op}/incidents", json=report), 201)
    sources = [{"type": "log", "id": entry}, {"type": "incident", "id": incident["id"]}]
    shared = ok(coord.post("/observations", json={"title": {"en": "Roads"}, "observation": {"en": "Closed roads"},
                                                   "sources": sources}), 201)  # fmt: skip
    assert shared["area"]["type"] == "Polygon"  # drawn from the incident's place
    seen = ok(us.get(f"/lessons/{shared['id']}"))
    assert len(seen["sources"]) == 2  # the US liaison takes part: it reads them too
    korean = ok(coord.post("/observations", json={"title": {"ko": "비공개"}, "observation": {"ko": "내부"},
                                                   "label": "nation:KOR"}), 201)  # fmt: skip
    problem(us.get(f"/lessons/{korean['id']}"), 404)
    problem(_act(us, korean["id"], "validate"), 404)
    assert korean["id"] not in {x["id"] for x in ok(us.get("/lessons"))["items"]}
    assert korean["id"] in {x["id"] for x in ok(server.client(world.tokens["province"]).get("/lessons"))["items"]}

    # Evidence is shown only to readers of it; an unreadable and an unknown record read the same.
    inside = ok(coord.post(f"/operations/{op}/decisions", json={"title": "CMOC only", "label": "org:kor-cmoc"}), 201)
    lid = shared["id"]
    ok(_act(manager, lid, "validate"))
    ok(_act(manager, lid, "assign", owner_org="kor-cmoc", due="2027-03-01", text={"en": "Detour signs"}))
    ok(_act(coord, lid, "implement"))
    theirs = create_operation(us, [])["id"]  # only the US liaison takes part
    secret = ok(us.post(f"/operations/{theirs}/log", json={"text": "ours"}), 201)["id"]
    hidden = problem(_act(manager, lid, "verify", evidence={"type": "operation_record", "id": secret}), 422)
    unknown = problem(_act(manager, lid, "verify", evidence={"type": "operation_record", "id": "nope"}), 422)
    assert hidden["detail"].replace(secret, "X") == unknown["detail"].replace("nope", "X")
    ok(_act(manager, lid, "verify", evidence={"type": "operation_record", "id": inside["id"]}))
    assert ok(coord.get(f"/lessons/{lid}"))["evidence"] == {"type": "operation_record", "id": inside["id"]}
    assert ok(us.get(f"/lessons/{lid}"))["evidence"] is None


def test_lessons_export_as_hxl_for_their_readers(server: LiveServer, world: World) -> None:
    coord, us = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    late = {
        "title": {"en": "Late lists", "ko": "늦은 명단"},
        "observation": {"en": "Lists came late"},
        "hazard": "typhoon",
    }
    shared = ok(coord.post("/observations", json=late), 201)
    ok(coord.post("/observations", json={"title": {"ko": "비공개"}, "observation": {"ko": "내부"},
                                         "label": "nation:KOR"}), 201)  # fmt: skip
    for client, titles in ((coord, {"늦은 명단", "비공개"}), (us, {"늦은 명단"})):
        resp = client.get("/lessons.csv")
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/csv")
        data = read_hxl(resp.text)
        rows = list(data)
        assert {r.get("#item+name+i_ko") for r in rows} == titles
    row = next(r for r in read_hxl(coord.get("/lessons.csv", params={"hazard": "typhoon"}).text))
    assert (row.get("#meta+id"), row.get("#status"), row.get("#item+name+i_en")) == (
        shared["id"],
        "observed",
        "Late lists",
    )
