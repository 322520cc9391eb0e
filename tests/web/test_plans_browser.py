"""Planning in a real browser: a coordinator writes a plan in the console (in Korean), the other
nation's planner edits it, each nation's approver signs it, its gaps show as a table and a chart
with a what-if; on the RFA board the coordinator accepts a recommended assignment in one click."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from katchi.accounts import UserCreate, add_user, set_password
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, ok, point
from tests.support.browser import PASSWORD, open_cop, sign_in
from tests.support.server import LiveServer
from tests.support.world import World


def _people(db: Database) -> None:
    system = Context(None, source="test")
    with transaction(db) as s:
        add_user(s, system, UserCreate(username="kor-ok", org="kor-cmoc", role=Role.approver))
        add_user(s, system, UserCreate(username="us-ok", org="us-liaison", role=Role.approver))
        s.flush()
        for u in ("coord", "uscoord", "kor-ok", "us-ok"):
            set_password(s, system, u, PASSWORD)


def test_a_plan_written_edited_signed_and_its_gaps_in_the_console(
    browser: Browser, db: Database, world: World, server: LiveServer
) -> None:
    _people(db)
    usav = server.client(world.tokens["usav"])
    ok(usav.post("/assets", json={"name": "Blackhawks", "capability": "medium_helicopter", "capacity": 4,
                                  "location": point(127.03, 36.96), "speed_kmh": 250}), 201)  # fmt: skip

    page = sign_in(browser, server.url, "coord", lang="ko")
    page.goto(f"{server.url}/plans")
    page.get_by_role("link", name="새 계획").click()
    page.fill("#name_en", "Seoul M6.5 earthquake")
    page.fill("#name_ko", "서울 규모 6.5 지진")
    page.check("input[name=nations][value=USA]")
    page.locator("input[name=title_en]").first.fill("Airlift casualties")
    page.locator("input[name=title_ko]").first.fill("환자 공중 이송")
    page.locator("select[name=capability]").first.select_option("medium_helicopter")
    page.locator("input[name=quantity]").first.fill("12")
    page.locator("select[name=phase]").first.select_option("6-24h")
    page.fill("#area", "{not json")
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("area")  # refused, and nothing typed is lost
    expect(page.locator("#name_ko")).to_have_value("서울 규모 6.5 지진")
    expect(page.locator("input[name=quantity]").first).to_have_value("12")
    page.fill("#area", '{"type": "Point", "coordinates": [126.98, 37.57]}')
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("서울 규모 6.5 지진")
    expect(page.get_by_test_id("plan-status")).to_have_text("초안")
    gaps = page.get_by_test_id("gaps")
    expect(gaps).to_contain_text("6-24h")
    expect(gaps.locator("tbody tr").first.locator("td").nth(4)).to_have_text("8")  # 12 needed, 4 available
    expect(page.get_by_test_id("gap-chart").locator("rect.bar-available.short")).to_have_count(1)
    page.select_option("#without", "us-aviation")
    page.get_by_role("button", name="다시 계산").click()
    expect(gaps.locator("tbody tr").first.locator("td").nth(4)).to_have_text("12")
    plan_url = page.url.split("?")[0]

    us = sign_in(browser, server.url, "uscoord")
    us.goto(plan_url)
    us.get_by_role("link", name="Edit").click()
    us.locator("input[name=quantity]").first.fill("10")
    us.get_by_role("button", name="Save").click()
    expect(us.get_by_test_id("plan-done")).to_contain_text("Saved as a new version")
    us.get_by_role("button", name="Submit for approval").click()
    expect(us.get_by_test_id("plan-status")).to_have_text("awaiting signatures")
    us.get_by_role("link", name="Changes from version 1").click()
    expect(us.get_by_test_id("changes")).to_contain_text("Quantity 12 → 10")

    for who, lang, button in (("kor-ok", "ko", "KOR 대표로 승인"), ("us-ok", "en", "Approve for USA")):
        signer = sign_in(browser, server.url, who, lang=lang)
        signer.goto(plan_url)
        signer.get_by_role("button", name=button).click()
    expect(signer.get_by_test_id("plan-status")).to_have_text("approved")
    expect(signer.get_by_test_id("signatures")).to_contain_text("KOR")
    secret = ok(
        server.client(world.tokens["coord"]).post(
            "/plans",
            json={
                "name": {"en": "ROK only"},
                "hazard": "flood",
                "area": point(),
                "nations": ["KOR"],
                "label": "nation:KOR",
            },
        ),
        201,
    )
    assert us.goto(f"{server.url}/plans/{secret['id']}").status == 404  # type: ignore[union-attr]
    expect(us.locator("body")).not_to_contain_text("ROK only")
    assert not page.errors and not us.errors  # type: ignore[attr-defined]


def test_the_coordinator_accepts_a_recommended_assignment_on_the_rfa_board(
    browser: Browser, db: Database, world: World, server: LiveServer
) -> None:
    _people(db)
    coord, redcross = server.client(world.tokens["coord"]), server.client(world.tokens["redcross"])
    roka = server.client(world.tokens["roka"])
    op = create_operation(coord, ["kor-redcross", "kor-army"])["id"]
    krc = ok(redcross.post("/assets", json={"name": "KRC water unit", "capability": "water_purification",
                                            "location": point(126.99, 37.57)}), 201)  # fmt: skip
    ok(roka.post("/assets", json={"name": "ROKA water unit", "capability": "water_purification",
                                  "location": point(126.978, 37.566)}), 201)  # fmt: skip
    body = {"title": "Water for shelter", "capability": "water_purification", "location": point(), "submit": True}
    rfa = ok(coord.post(f"/operations/{op}/rfas", json=body), 201)
    ok(coord.post(f"/rfas/{rfa['id']}/actions/validate"))

    page = sign_in(browser, server.url, "coord", lang="ko")
    open_cop(page, server.url, op)
    rec = page.get_by_test_id(f"rec-{rfa['id']}")
    expect(rec).to_contain_text("KRC water unit")
    expect(rec).to_contain_text("민간 우선")
    rec.get_by_role("button", name="추천 수락").click()
    expect(page.locator(f"[data-testid=rfa-{rfa['id']}]")).to_be_visible()
    expect(page.locator(f"section[data-state=tasked] [data-testid=rfa-{rfa['id']}]")).to_be_visible()
    tasked = ok(coord.get(f"/rfas/{rfa['id']}"))
    assert tasked["tasking"]["asset_id"] == krc["id"]
    assert tasked["tasking"]["last_resort"]["justification"].startswith("civilian first: KRC water unit")
    assert not page.errors  # type: ignore[attr-defined]


def test_editing_in_the_console_keeps_what_the_form_does_not_show(
    browser: Browser, db: Database, world: World, server: LiveServer
) -> None:
    """The form shows a task's phase, not its exact window, priority, task codes or place."""
    _people(db)
    coord = server.client(world.tokens["coord"])
    task = {"title": {"en": "Escort convoys"}, "capability": "truck_transport", "quantity": 6, "start_h": 8,
            "end_h": 20, "priority": "critical", "task_codes": ["security"], "location": point(127.0, 37.5),
            "lead_org": "kor-cmoc"}  # fmt: skip
    body = {"name": {"en": "Convoys"}, "hazard": "flood", "area": point(), "nations": ["KOR"], "tasks": [task]}
    plan = ok(coord.post("/plans", json=body), 201)
    page = sign_in(browser, server.url, "coord")
    page.goto(f"{server.url}/plans/{plan['id']}/edit")
    page.locator("input[name=quantity]").first.fill("8")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("plan-done")).to_be_visible()
    (after,) = ok(coord.get(f"/plans/{plan['id']}"))["tasks"]
    assert (after["quantity"], after["start_h"], after["end_h"], after["priority"]) == (8, 8, 20, "critical")
    assert after["task_codes"] == ["security"] and after["location"] == point(127.0, 37.5)
    # An approver signs the version on their screen: if it changed meanwhile, they are told.
    ok(coord.post(f"/plans/{plan['id']}/actions/submit"))
    signer = sign_in(browser, server.url, "kor-ok")
    signer.goto(f"{server.url}/plans/{plan['id']}")
    ok(coord.patch(f"/plans/{plan['id']}", json={"hazard": "typhoon"}))
    ok(coord.post(f"/plans/{plan['id']}/actions/submit"))
    with signer.expect_response(lambda r: r.request.method == "POST") as answer:
        signer.get_by_role("button", name="Approve for KOR").click()
    assert answer.value.status == 409
    expect(signer.get_by_test_id("plan-error")).to_contain_text("now at version 3")
    assert ok(coord.get(f"/plans/{plan['id']}"))["signatures"] == []
