"""The exercise's console in a real browser: the controller holds an inject and writes an ad-hoc
one on the MSEL tab, an evaluator records an observation against an objective, and an asset
manager lends a real asset to the exercise — in Korean, with no page errors."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Browser, expect

from katchi import accounts, assets, exercises
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.exercises.scenario import Inject, Objective
from tests.support.api import create_operation, ok, point
from tests.support.browser import ARTIFACTS, PASSWORD, open_cop, sign_in
from tests.support.server import LiveServer
from tests.support.world import World, acting_as

START = datetime(2026, 3, 1, 5, 0, tzinfo=UTC)


def test_controller_evaluator_and_owner_work_the_exercise_from_its_page(
    browser: Browser, db: Database, world: World, server: LiveServer
) -> None:
    coord = server.client(world.tokens["coord"])
    drill = create_operation(coord, ["kor-province", "kor-army"], mode="exercise", name="Console drill")["id"]
    system = Context(None, source="test")
    with transaction(db) as s:
        for username, org, role in (("ctl", "kor-cmoc", "exercise_controller"), ("eva", "kor-province", "evaluator")):
            accounts.add_user(s, system, accounts.UserCreate(username=username, org=org, role=role))  # type: ignore[arg-type]
        s.flush()
        for username in ("ctl", "eva", "roka", "coord"):
            accounts.set_password(s, system, username, PASSWORD)
        ctx = acting_as(db, world, "coord")
        exercises.record_clock(s, ctx, drill, state="paused", sim_time=START, speed=60.0, scenario="x")
    with transaction(db) as s:  # the MSEL counts from the clock's start, as a played scenario's does
        objective = Objective(
            id="O1", title="Task within the hour", title_ko="1시간 내 임무 부여", metric="rfa_tasked_p50_min", target=60
        )
        fire = Inject(at=timedelta(hours=2), kind="fire", title="Gas main fire")
        exercises.load_msel(s, ctx, drill, [fire], [objective])
        heli = assets.register_asset(
            s, acting_as(db, world, "roka"),
            assets.AssetCreate(name="KUH-1 Surion 3", capability="medium_helicopter", location=point()),
        )  # fmt: skip

    ctl = sign_in(browser, server.url, "ctl", lang="ko")
    open_cop(ctl, server.url, drill)
    ctl.get_by_role("tab", name="주요 상황 목록(MSEL)").click()
    msel = ctl.get_by_test_id("msel")
    expect(msel.locator("#msel-list tr")).to_have_count(1)
    expect(msel.locator("#msel-list")).to_contain_text("T+2h")
    msel.get_by_role("button", name="보류").click()
    expect(msel.locator("#msel-list tr[data-status=held]")).to_have_count(1)
    msel.locator("#inject-title").fill("한강대교 통제")
    msel.locator("#inject-to").select_option("kor-army")
    msel.get_by_role("button", name="상황 추가").click()
    expect(msel.locator("#msel-list tr")).to_have_count(2)
    expect(msel.locator("#msel-list")).to_contain_text("kor-army")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ctl.screenshot(path=str(ARTIFACTS / "cop-msel-ko.png"))

    eva = sign_in(browser, server.url, "eva", lang="ko")
    open_cop(eva, server.url, drill)
    eva.get_by_role("tab", name="주요 상황 목록(MSEL)").click()  # evaluators read it: no buttons, no form
    expect(eva.locator("#msel-list tr")).to_have_count(2)
    assert eva.locator("#msel-list button").count() == 0 and eva.locator("#form-inject").count() == 0
    eva.get_by_role("tab", name="평가").click()
    form = eva.locator("#form-observation")
    expect(form.locator("#observation-objective option")).to_have_count(1)
    form.locator("#observation-kind").select_option("area_for_improvement")
    form.locator("#observation-text").fill("군 자산 요청 사유가 기록되지 않음")
    form.get_by_role("button", name="관찰 기록하기").click()
    expect(eva.locator("#observation-list")).to_contain_text("군 자산 요청 사유가 기록되지 않음")
    plan = eva.locator("#form-improvement")
    plan.locator("#improvement-issue").fill("군 자산 요청 사유 누락")
    plan.locator("#improvement-action").fill("임무 부여 대화상자에서 사유를 필수로")
    plan.locator("#improvement-org").select_option("kor-army")
    plan.locator("#improvement-due").fill("2027-03-01")
    plan.locator("#improvement-objective").select_option("O1")
    plan.get_by_role("button", name="개선 계획에 추가").click()
    expect(eva.locator("#improvement-list")).to_contain_text("임무 부여 대화상자에서 사유를 필수로")
    assert [r["responsible_org"] for r in ok(coord.get(f"/operations/{drill}/improvements"))["items"]] == ["kor-army"]
    observed = ok(coord.get(f"/operations/{drill}/observations"))["items"]
    assert [(o["objective"], o["kind"]) for o in observed] == [("O1", "area_for_improvement")]

    owner = sign_in(browser, server.url, "roka", lang="ko")
    open_cop(owner, server.url, drill)
    owner.get_by_role("tab", name="자산").click()
    lend = owner.get_by_test_id("lend")
    lend.locator("#lend-asset").select_option(heli.id)
    lend.get_by_role("button", name="훈련에 빌려주기").click()
    owner.wait_for_function("() => [...window.katchi.assets.values()].some((a) => a.twin_of)", timeout=15000)
    owner.wait_for_timeout(2500)  # the stream's own news of the twin must not make the page forget what it is
    assert owner.evaluate("() => [...window.katchi.assets.values()].some((a) => a.twin_of)")
    twins = [a for a in ok(coord.get(f"/operations/{drill}/assets"))["items"] if a.get("twin_of") == heli.id]
    assert len(twins) == 1
    assert ok(coord.get(f"/assets/{heli.id}"))["status"] == "available"  # the real one is untouched
    # A situation report of the exercise covers its own time: the form proposes the exercise clock's now.
    cmoc = sign_in(browser, server.url, "coord")
    open_cop(cmoc, server.url, drill)
    cmoc.get_by_role("tab", name="SitReps").click()
    expect(cmoc.locator("#sitrep-end")).to_have_value(re.compile(r"^2026-03-01T05:0\d$"))
    for page in (ctl, eva, owner, cmoc):
        assert not page.errors  # type: ignore[attr-defined]
        page.context.close()
