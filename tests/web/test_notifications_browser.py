"""The header's unread badge in a real browser: it counts up live when something notifies the user,
and the notifications page lists, links and marks read, in Korean too."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from katchi.accounts import set_password
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, ok
from tests.support.browser import PASSWORD, open_cop, sign_in
from tests.support.server import LiveServer
from tests.support.world import World


def test_the_badge_counts_live_and_the_page_marks_read(
    browser: Browser, db: Database, world: World, server: LiveServer
) -> None:
    with transaction(db) as s:
        for user in ("roka", "coord"):
            set_password(s, Context(None, source="test"), user, PASSWORD)
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-army"])
    page = sign_in(browser, server.url, "roka")
    badge = page.get_by_test_id("notif-count")
    expect(badge).to_be_hidden()  # nothing yet
    page.wait_for_function("() => document.getElementById('notif-link').dataset.unread === '0'")
    ok(coord.post(f"/operations/{op['id']}/messages", json={"text": "Pumps to Paju", "to_orgs": ["kor-army"]}), 201)
    expect(badge).to_have_text("1", timeout=5_000)  # live, no reload
    # The coordinator addresses a message to the army from the COP's message form.
    cmoc = sign_in(browser, server.url, "coord")
    open_cop(cmoc, server.url, op["id"])
    cmoc.get_by_role("tab", name="Messages").click()
    cmoc.fill("#message-text", "Sandbags to Goyang")
    cmoc.select_option("#message-to", ["kor-army"])
    cmoc.locator("#form-message button[type=submit]").click()
    expect(cmoc.locator("#message-list")).to_contain_text("coord@kor-cmoc → kor-army")
    expect(badge).to_have_text("2", timeout=5_000)

    page.get_by_role("link", name="Notifications").click()
    listed = page.get_by_test_id("notifications").locator("li")
    expect(listed).to_have_count(2)
    expect(listed.first).to_contain_text("Message to your organisation from coord@kor-cmoc: Sandbags to Goyang")
    expect(listed.first.get_by_role("link")).to_have_attribute("href", f"/operations/{op['id']}")
    listed.first.get_by_role("button", name="Mark read").click()
    expect(page.get_by_test_id("unread-total")).to_have_text("1 unread")
    expect(badge).to_have_text("1")
    page.goto(f"{server.url}/notifications?lang=ko")
    expect(page.get_by_test_id("notifications").locator("li").first).to_contain_text("귀 기관에 보낸 메시지")
    page.get_by_test_id("mark-all-read").click()
    expect(page.get_by_test_id("unread-total")).to_have_text("읽지 않은 알림 0건")
    expect(badge).to_be_hidden()
    assert page.errors == [] and cmoc.errors == []  # type: ignore[attr-defined]
