"""Contingency plans written together by two nations: every edit a version, sign-off by every
nation's approver on the same version (an edit clears it), activation into draft RFAs that task
nobody; comments and version diffs; who may see and do what."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import httpx

from katchi.db import Database
from tests.support.api import create_operation, items, ok, problem
from tests.support.server import LiveServer
from tests.support.world import World, user_token

SEOUL = {
    "type": "Polygon",
    "coordinates": [[[126.76, 37.43], [127.18, 37.43], [127.18, 37.70], [126.76, 37.70], [126.76, 37.43]]],
}


def plan_body(**extra: Any) -> dict[str, Any]:
    return {
        "name": {"en": "Seoul M6.5 earthquake", "ko": "서울 규모 6.5 지진"},
        "hazard": "earthquake",
        "area": SEOUL,
        "nations": ["KOR", "USA"],
        "objectives": [{"en": "Rescue the trapped within 72 h", "ko": "72시간 내 매몰자 구조"}],
        "tasks": [
            {
                "title": {"en": "Search collapsed buildings", "ko": "붕괴 건물 수색"},
                "capability": "usar_heavy",
                "quantity": 40,
                "phase": "0-6h",
                "lead_org": "kor-cmoc",
                "support_orgs": ["us-liaison"],
            },
            {
                "title": {"en": "Airlift casualties", "ko": "환자 공중 이송"},
                "capability": "medium_helicopter",
                "quantity": 12,
                "start_h": 6,
                "end_h": 24,
                "lead_org": "us-liaison",
            },
        ],
    } | extra


def _act(client: httpx.Client, plan_id: str, action: str, **body: Any) -> httpx.Response:
    return client.post(f"/plans/{plan_id}/actions/{action}", json=body or None)


def test_a_plan_is_approved_only_when_every_nation_signed_the_same_version(
    server: LiveServer, world: World, db: Database
) -> None:
    coord, us = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    kor_ok = server.client(user_token(db, "kor-approver", "kor-cmoc", "approver"))
    us_ok = server.client(user_token(db, "us-approver", "us-liaison", "approver"))

    plan = ok(coord.post("/plans", json=plan_body()), 201)
    assert (plan["status"], plan["version"], plan["owner_org"]) == ("draft", 1, "kor-cmoc")
    usar, heli = plan["tasks"]
    assert (usar["phase"], usar["start_h"], usar["end_h"], usar["priority"]) == ("0-6h", 0, 6, "critical")
    assert (heli["phase"], heli["priority"]) == ("6-24h", "high")
    pid = plan["id"]

    # The other nation's planners edit it too: each edit is a version.
    edited = ok(us.patch(f"/plans/{pid}", json={"objectives": [*plan_body()["objectives"], {"en": "Open airheads"}]}))
    assert edited["version"] == 2 and edited["status"] == "draft"
    ok(_act(coord, pid, "submit"))
    problem(_act(coord, pid, "approve"), 403)  # coordinators plan; approvers sign
    signed = ok(_act(kor_ok, pid, "approve"))
    assert signed["status"] == "submitted", "one nation's approval is not enough"
    assert signed["awaiting"] == ["USA"] and [s["nation"] for s in signed["signatures"]] == ["KOR"]
    problem(_act(kor_ok, pid, "approve"), 409)  # KOR has signed this version already
    stale = problem(_act(us_ok, pid, "approve", version=1), 409)  # it read version 1; it would sign 2
    assert "now at version 2" in stale["detail"]

    # An edit returns the plan to draft and clears the signatures of the version they signed.
    tasks = [{**usar, "quantity": 45}, heli]
    for t in tasks:
        t.pop("phase")  # derived again from start_h
    edited = ok(coord.patch(f"/plans/{pid}", json={"tasks": tasks}))
    assert (edited["status"], edited["version"], edited["signatures"]) == ("draft", 3, [])
    problem(_act(us_ok, pid, "approve"), 409)  # not submitted

    ok(_act(us, pid, "submit"))
    ok(_act(us_ok, pid, "approve", version=3))
    approved = ok(_act(kor_ok, pid, "approve"))
    assert approved["status"] == "approved" and approved["awaiting"] == []
    assert {s["nation"] for s in approved["signatures"]} == {"KOR", "USA"}

    versions = ok(coord.get(f"/plans/{pid}/versions"))["items"]
    assert [v["number"] for v in versions] == [3, 2, 1]
    assert sorted(versions[0]["approved_by"]) == ["KOR", "USA"] and versions[1]["approved_by"] == ["KOR"]
    assert ok(coord.get(f"/plans/{pid}/versions/1"))["content"]["tasks"][0]["quantity"] == 40
    diff = ok(coord.get(f"/plans/{pid}/diff", params={"from": 2, "to": 3}))
    assert diff["fields"] == {} and diff["tasks"]["added"] == [] and diff["tasks"]["removed"] == []
    assert diff["tasks"]["changed"] == [{"id": usar["id"], "fields": {"quantity": {"from": 40, "to": 45}}}]
    assert set(ok(coord.get(f"/plans/{pid}/diff", params={"from": 1, "to": 2}))["fields"]) == {"objectives"}
    problem(coord.get(f"/plans/{pid}/versions/99999999999999999999"), 422)
    problem(coord.get(f"/plans/{pid}/diff", params={"from": 1, "to": 10**20}), 422)
    problem(coord.get(f"/plans/{pid}/versions/9"), 404)

    # Signing commits nobody: activation makes draft RFAs and tasks no asset.
    op = create_operation(coord, ["us-liaison"])
    problem(_act(us, pid, "activate", operation_id=op["id"]), 403)  # us-liaison takes part but does not coordinate
    problem(_act(coord, pid, "activate"), 422)
    active = ok(_act(coord, pid, "activate", operation_id=op["id"]))
    assert active["status"] == "active" and active["operation_id"] == op["id"]
    rfas = items(coord, f"/operations/{op['id']}/rfas")
    assert sorted((r["capability"], r["quantity"], r["state"], r["tasking"]) for r in rfas) == [
        ("medium_helicopter", 12, "draft", None),
        ("usar_heavy", 45, "draft", None),
    ]
    assert any(
        r["title"] == "Search collapsed buildings / 붕괴 건물 수색" and r["priority"] == "critical" for r in rfas
    )
    # Needed by T0 (the operation's opening: the hazard's onset) plus the task's end.
    opened = datetime.fromisoformat(op["created_at"])
    needed = {r["capability"]: datetime.fromisoformat(r["needed_by"]) - opened for r in rfas}
    assert needed == {"usar_heavy": timedelta(hours=6), "medium_helicopter": timedelta(hours=24)}
    assert "planning.plan.activated" in [e["kind"] for e in items(coord, f"/operations/{op['id']}/timeline")]
    problem(coord.patch(f"/plans/{pid}", json={"hazard": "flood"}), 409)
    problem(_act(kor_ok, pid, "approve"), 409)
    assert ok(_act(coord, pid, "archive"))["status"] == "archived"


def test_who_may_write_sign_and_see_a_plan(server: LiveServer, world: World, db: Database) -> None:
    coord, us = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    province = server.client(world.tokens["province"])  # a KOR contributor, not a coordinator
    us_ok = server.client(user_token(db, "us-approver", "us-liaison", "approver"))

    problem(province.post("/plans", json=plan_body()), 403)
    problem(us.post("/plans", json=plan_body(nations=["KOR"])), 403)  # not a planner of that plan's nations
    problem(coord.post("/plans", json=plan_body(label="nation:KOR")), 422)  # USA could not read what it signs
    problem(coord.post("/plans", json=plan_body(nations=["KOR"], label="org:kor-cmoc")), 422)  # nor other KOR approvers
    problem(coord.post("/plans", json=plan_body(nations=["KOR", "XYZ"])), 422)
    bad_task = plan_body()["tasks"][0] | {"capability": "unicorns"}
    problem(coord.post("/plans", json=plan_body(tasks=[bad_task])), 422)
    bad_phase = plan_body()["tasks"][0] | {"start_h": 8, "end_h": 12}  # 8 h is in 6-24h, not 0-6h
    problem(coord.post("/plans", json=plan_body(tasks=[bad_phase])), 422)
    problem(coord.post("/plans", json=plan_body(name={"en": "", "ko": ""})), 422)

    korean = ok(coord.post("/plans", json=plan_body(nations=["KOR"])), 201)
    ok(_act(coord, korean["id"], "submit"))
    problem(_act(us_ok, korean["id"], "approve"), 403)  # it reads the plan, but does not speak for KOR
    problem(us.patch(f"/plans/{korean['id']}", json={"hazard": "flood"}), 403)
    joint = ok(coord.post("/plans", json=plan_body()), 201)
    problem(coord.patch(f"/plans/{joint['id']}", json={"nations": ["KOR"]}), 403)  # only USA takes USA off
    assert ok(us.patch(f"/plans/{joint['id']}", json={"nations": ["KOR"]}))["nations"] == ["KOR"]
    problem(province.patch(f"/plans/{korean['id']}", json={"hazard": "flood"}), 403)

    secret = ok(coord.post("/plans", json=plan_body(nations=["KOR"], label="nation:KOR")), 201)
    ok(_act(coord, secret["id"], "submit"))
    for path in ("", "/versions", "/versions/1", "/gaps", "/gaps.csv", "/comments"):
        problem(us.get(f"/plans/{secret['id']}{path}"), 404)
    problem(_act(us_ok, secret["id"], "approve"), 404)
    assert secret["id"] not in {p["id"] for p in items(us, "/plans")}
    assert {korean["id"], secret["id"]} <= {p["id"] for p in items(province, "/plans")}  # KOR reads both

    # Comments: never wider than the plan; a stricter one only its readers see.
    alliance = ok(coord.post("/plans", json=plan_body()), 201)
    ok(us.post(f"/plans/{alliance['id']}/comments", json={"text": "Add Osan as an airhead"}), 201)
    ok(coord.post(f"/plans/{alliance['id']}/comments", json={"text": "내부 검토 중", "label": "nation:KOR"}), 201)
    problem(coord.post(f"/plans/{secret['id']}/comments", json={"text": "x", "label": "alliance"}), 422)
    problem(server.client(world.tokens["viewer"]).post(f"/plans/{alliance['id']}/comments", json={"text": "x"}), 403)
    assert [c["text"] for c in ok(us.get(f"/plans/{alliance['id']}/comments"))["items"]] == ["Add Osan as an airhead"]
    assert len(ok(coord.get(f"/plans/{alliance['id']}/comments"))["items"]) == 2
    assert [c["version"] for c in ok(coord.get(f"/plans/{alliance['id']}/comments"))["items"]] == [1, 1]
