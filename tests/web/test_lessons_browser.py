"""Lessons in a real browser: a Korean Red Cross liaison records an observation in Korean; the
lessons manager fills in the English side by side, validates it and assigns a remedial action; the
owning organisation marks it implemented; the manager verifies it against a decision."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from katchi.accounts import UserCreate, add_user, set_password
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, ok
from tests.support.browser import PASSWORD, sign_in
from tests.support.server import LiveServer
from tests.support.world import World


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
