"""Lessons in a real browser: a Korean Red Cross liaison records an observation in Korean; the
lessons manager fills in the English side by side, validates it and assigns a remedial action; the
owning organisation marks it implemented; the manager verifies it against a decision."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from katchi.accounts import UserCreate, add_user, set_password
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, ok
from tests.support.browser import PASSWORD, open_cop, sign_in
from tests.support.server import LiveServer
from tests.support.world import World, user_token


def test_an_observation_becomes_a_verified_lesson_in_the_console(
    browser: Browser, db: Database, world: World, server: LiveServer
) -> None:
    system = Context(None, source="test")
    with transaction(db) as s:
        add_user(s, system, UserCreate(username="ll", org="kor-cmoc", role=Role.lessons_manager))
        s.flush()
        for u in ("redcross", "ll", "province"):
            set_password(s, system, u, PASSWORD)
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province", "kor-redcross"])["id"]
    decision = ok(coord.post(f"/operations/{op}/decisions", json={"title": "Shelter lists by HXL"}), 201)["id"]

    krc = sign_in(browser, server.url, "redcross", lang="ko")
    krc.get_by_role("link", name="교훈").click()
    krc.fill("#title_ko", "대피소 명단이 9시간 늦게 전달됨")
    krc.fill("#observation_ko", "대피소 명단이 팩스로 전달되어 USFK가 9시간 늦게 받았다.")
    krc.fill("#hazard", "typhoon")
    krc.get_by_role("button", name="관찰 기록하기").click()
    expect(krc.get_by_test_id("lesson-state")).to_have_text("관찰됨")
    expect(krc.get_by_test_id("missing")).to_contain_text("title.en, observation.en")
    lesson_url = krc.url

    ll = sign_in(browser, server.url, "ll")
    ll.goto(lesson_url)
    ll.get_by_label("Title (en)").fill("Shelter lists reached USFK nine hours late")
    ll.get_by_label("Observation (en)").fill("Shelter lists went by fax; USFK got them nine hours late.")
    ll.get_by_role("button", name="Save texts").click()
    expect(ll.get_by_test_id("missing")).to_have_count(0)
    ll.fill("#rc-en", "No shared format for shelter lists")
    ll.get_by_role("button", name="Validate as a lesson").click()
    expect(ll.get_by_test_id("lesson-state")).to_have_text("validated")
    ll.select_option("#owner", "kor-province")
    ll.fill("#due", "2027-03-01")
    ll.fill("#act-en", "Publish shelter lists as HXL")
    ll.fill("#act-ko", "대피소 명단을 HXL로 공유")
    ll.get_by_role("button", name="Assign a remedial action").click()
    expect(ll.get_by_test_id("remedial-actions")).to_contain_text("kor-province")

    province = sign_in(browser, server.url, "province")
    province.goto(lesson_url)
    province.get_by_role("button", name="Mark implemented").click()
    expect(province.get_by_test_id("lesson-state")).to_have_text("implemented")

    ll.goto(lesson_url)
    ll.locator("input[name=evidence_id]").fill("no-such-record")
    ll.get_by_role("button", name="Verify").click()
    expect(ll.get_by_test_id("lesson-error")).to_contain_text("no record")  # refused, said why
    ll.locator("input[name=evidence_id]").fill(decision)
    ll.get_by_role("button", name="Verify").click()
    expect(ll.get_by_test_id("lesson-state")).to_have_text("verified")
    assert not krc.errors and not ll.errors and not province.errors  # type: ignore[attr-defined]


def test_records_marked_on_the_map_become_one_observation(
    browser: Browser, db: Database, world: World, server: LiveServer
) -> None:
    """A Red Cross liaison reads the lessons that concern the operation, hovers a term for its
    translation, marks a log entry and a decision as one observation and records it; the lesson
    names them (its glossary tooltips in Korean on a Korean page)."""
    with transaction(db) as s:
        set_password(s, Context(None, source="test"), "redcross", PASSWORD)
    coord = server.client(world.tokens["coord"])
    manager = server.client(user_token(db, "ll", "kor-cmoc", "lessons_manager"))
    op = create_operation(coord, ["kor-province", "kor-redcross"], hazard="typhoon")["id"]
    earlier = {"title": {"ko": "대피소 명단 지연"}, "observation": {"ko": "팩스"}, "hazard": "typhoon"}
    lesson = ok(coord.post("/observations", json=earlier), 201)["id"]
    ok(manager.post(f"/lessons/{lesson}/actions/validate", json={}))
    ok(coord.post(f"/operations/{op}/log", json={"text": "Shelter lists sent by fax"}), 201)
    ok(coord.post(f"/operations/{op}/log", json={"text": "CMOC asked the province for 대피소 lists"}), 201)
    ok(coord.post(f"/operations/{op}/decisions", json={"title": "Share shelter lists by HXL"}), 201)

    krc = sign_in(browser, server.url, "redcross")
    open_cop(krc, server.url, op)
    krc.get_by_role("tab", name="Lessons").click()
    panel = krc.get_by_test_id("op-lessons")
    expect(panel.get_by_role("link", name="대피소 명단 지연")).to_have_attribute("href", f"/lessons/{lesson}")
    expect(panel).to_contain_text("validated · same hazard")

    krc.get_by_role("tab", name="Ops log").click()
    log = krc.locator("#log-list")
    expect(log.locator(".gloss", has_text="CMOC")).to_have_attribute("title", re.compile(r"^민군작전센터 · Civil"))
    expect(log.locator(".gloss", has_text="대피소")).to_have_attribute(
        "title", re.compile(r"^Evacuation shelter.*\nA place")
    )
    expect(log.locator(".gloss", has_text="Shelter")).to_have_attribute("title", re.compile(r"^대피소"))
    log.locator("li", has_text="sent by fax").get_by_role("button", name="Observe").click()
    krc.get_by_role("tab", name="Decisions").click()
    decision = krc.locator("#decision-list li", has_text="Share shelter lists")
    decision.get_by_role("button", name="Observe").click()
    expect(decision.get_by_role("button", name="Observe")).to_have_attribute("aria-pressed", "true")
    expect(krc.get_by_test_id("observe-bar")).to_contain_text("2")
    krc.get_by_role("link", name="Create an observation from them").click()

    sources = krc.get_by_test_id("observe-sources")
    expect(sources.locator("input:checked")).to_have_count(2)
    expect(sources).to_contain_text("Shelter lists sent by fax")
    krc.fill("#title_en", "Shelter lists reached USFK 9 hours late")
    krc.fill("#observation_en", "The lists went by fax.")
    krc.select_option("#label", "org:kor-redcross")
    krc.get_by_role("button", name="Record observation").click()
    expect(krc.get_by_test_id("lesson-state")).to_have_text("observed")
    cited = krc.get_by_test_id("sources")
    expect(cited).to_contain_text("Shelter lists sent by fax")
    expect(cited).to_contain_text("Share shelter lists by HXL")

    krc.goto(krc.url + "?lang=ko")
    expect(krc.get_by_test_id("sources").locator(".gloss").first).to_have_attribute(
        "title", re.compile(r"^대피소 \(대피장소\) · Evacuation shelter.*\n긴박한")
    )
    assert not krc.errors  # type: ignore[attr-defined]
