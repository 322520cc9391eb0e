"""Lessons surface where the next decision is made: on a plan and an operation, for the same
hazard, a capability needed and an overlapping area, strongest first with why; only validated and
later lessons, and only those the reader may read."""

from __future__ import annotations

from typing import Any

import httpx

from katchi.db import Database
from tests.support.api import create_operation, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World, user_token
from tests.web.test_plans import SEOUL, plan_body

BUSAN = {
    "type": "Polygon",
    "coordinates": [[[128.9, 35.0], [129.2, 35.0], [129.2, 35.3], [128.9, 35.3], [128.9, 35.0]]],
}


def _lesson(client: httpx.Client, manager: httpx.Client, title: str, state: str = "validated", **extra: Any) -> str:
    body = {"title": {"en": title}, "observation": {"en": title}} | extra
    lid = str(ok(client.post("/observations", json=body), 201)["id"])
    if state in ("validated", "rejected"):
        ok(manager.post(f"/lessons/{lid}/actions/{'validate' if state == 'validated' else 'reject'}"))
    return lid


def _surfaced(client: httpx.Client, path: str) -> dict[str, list[dict[str, str]]]:
    return {x["lesson"]["title"]["en"]: x["why"] for x in ok(client.get(path))["items"]}


def test_lessons_surface_on_plans_and_operations_by_hazard_capability_and_area(
    server: LiveServer, world: World, db: Database
) -> None:
    coord, us = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    manager = server.client(user_token(db, "ll", "kor-cmoc", "lessons_manager"))
    _lesson(coord, manager, "quake, helicopters, Seoul", hazard="earthquake", capability_area="medium_helicopter",
            area=SEOUL)  # fmt: skip
    _lesson(coord, manager, "quake only", hazard="earthquake")
    _lesson(coord, manager, "helicopters in Busan", capability_area="medium_helicopter", area=BUSAN)
    _lesson(coord, manager, "typhoon in Busan", hazard="typhoon", area=BUSAN)
    _lesson(coord, manager, "quake, not yet validated", state="observed", hazard="earthquake")
    _lesson(coord, manager, "quake, rejected", state="rejected", hazard="earthquake")
    _lesson(coord, manager, "quake, KOR only", hazard="earthquake", label="nation:KOR")
    plan = ok(coord.post("/plans", json=plan_body()), 201)["id"]  # Seoul quake: USAR and medium helicopters

    got = _surfaced(coord, f"/plans/{plan}/lessons")
    assert next(iter(got)) == "quake, helicopters, Seoul"  # hazard, capability and area: the strongest
    assert got["quake, helicopters, Seoul"] == [
        {"reason": "hazard", "value": "earthquake"},
        {"reason": "capability", "value": "medium_helicopter"},
        {"reason": "area", "value": ""},
    ]
    assert set(got) == {"quake, helicopters, Seoul", "quake only", "helicopters in Busan", "quake, KOR only"}
    assert list(got).index("quake only") < list(got).index("helicopters in Busan")  # hazard over capability
    assert "quake, KOR only" not in _surfaced(us, f"/plans/{plan}/lessons")

    op = create_operation(coord, ["us-liaison"], hazard="typhoon")["id"]
    body = {"title": "Pumps", "capability": "water_purification", "location": point(129.05, 35.15), "submit": True}
    ok(coord.post(f"/operations/{op}/rfas", json=body), 201)
    got = _surfaced(coord, f"/operations/{op}/lessons")
    assert got == {
        "typhoon in Busan": [{"reason": "hazard", "value": "typhoon"}, {"reason": "area", "value": ""}],
        "helicopters in Busan": [{"reason": "area", "value": ""}],
    }
    problem(server.client(world.tokens["usav"]).get(f"/operations/{op}/lessons"), 404)  # not a participant


def test_the_plan_page_shows_its_lessons_and_their_open_actions_once_submitted(
    server: LiveServer, world: World, db: Database
) -> None:
    from tests.web.test_console_auth import _login, _passwords

    _passwords(db, "coord")
    coord = server.client(world.tokens["coord"])
    manager = server.client(user_token(db, "ll", "kor-cmoc", "lessons_manager"))
    lid = _lesson(coord, manager, "Helicopter landing zones were unknown", hazard="earthquake")
    ok(manager.post(f"/lessons/{lid}/actions/assign", json={"owner_org": "kor-cmoc", "due": "2027-06-30",
                                                            "text": {"ko": "착륙장 목록 정비"}}))  # fmt: skip
    plan = ok(coord.post("/plans", json=plan_body(nations=["KOR"])), 201)["id"]
    console, _ = _login(server, "coord", lang="ko")
    page = console.get(f"/plans/{plan}")
    assert "Helicopter landing zones were unknown" in page.text and "같은 재난 유형" in page.text
    assert "착륙장 목록 정비" not in page.text  # open actions show when the plan goes for signature
    ok(coord.post(f"/plans/{plan}/actions/submit"))
    assert "착륙장 목록 정비" in console.get(f"/plans/{plan}").text
