"""Administration in a real browser: a coordinator opens an operation, invites an organisation,
names a co-coordinator and closes it; an organisation's admin adds a user, changes their role,
disables and enables them, sets a password they then sign in with, issues a token (shown once)
and revokes it; an admin registers a TAK device and assigns it, in Korean."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Browser, expect
from sqlalchemy import select

from katchi.accounts import UserCreate, add_user, set_password
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import LogEntry, transaction
from tests.support.api import create_operation, ok
from tests.support.browser import PASSWORD, sign_in
from tests.support.server import LiveServer
from tests.support.world import World

NEW_PASSWORD = "lanterns over the han river"


def _people(db: Database, *admins: tuple[str, str]) -> None:
    system = Context(None, source="test")
    with transaction(db) as s:
        for username, org in admins:
            add_user(s, system, UserCreate(username=username, org=org, role=Role.admin))
        s.flush()
        for u in ("coord", "uscoord", *(a[0] for a in admins)):
            set_password(s, system, u, PASSWORD)


def test_a_coordinator_opens_invites_names_and_closes_an_operation(
    browser: Browser, db: Database, world: World, server: LiveServer
) -> None:
    _people(db)
    page = sign_in(browser, server.url, "coord")
    expect(page.get_by_role("link", name="Administration")).to_have_count(0)  # not an admin
    page.get_by_role("link", name="Open an operation").click()
    page.fill("#op-name", "Gangwon wildfire")
    page.fill("#op-name-ko", "강원 산불")
    for side, value in (("west", "128.3"), ("south", "37.3"), ("east", "129.4"), ("north", "38.6")):
        page.fill(f"#op-{side}", value)
    page.fill("#op-hazard", "wildfire")
    page.fill("#op-description", "Fires along the east coast")
    page.check("input[name=participants][value=us-liaison]")
    page.check("input[name=participants][value=kor-province]")
    page.select_option("#op-lead", "kor-army")  # not a participant: refused, nothing typed is lost
    page.get_by_role("button", name="Open the operation").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("lead must be one of the participants")
    expect(page.locator("#op-name")).to_have_value("Gangwon wildfire")
    expect(page.locator("#op-description")).to_have_value("Fires along the east coast")
    expect(page.locator("input[name=participants][value=us-liaison]")).to_be_checked()
    expect(page.locator("#op-name-ko")).to_have_value("강원 산불")
    expect(page.locator("#op-north")).to_have_value("38.6")
    page.select_option("#op-lead", "kor-cmoc")
    page.get_by_role("button", name="Open the operation").click()
    expect(page.get_by_test_id("done")).to_have_text("The operation is open.")
    admin_url = page.url.split("?")[0]
    op_id = admin_url.split("/")[-2]
    opened = ok(server.client(world.tokens["coord"]).get(f"/operations/{op_id}"))
    assert opened["name_ko"] == "강원 산불" and opened["lead"] == "kor-cmoc"
    assert opened["area"]["coordinates"][0][2] == [129.4, 38.6]

    invite = page.get_by_test_id("invite-form")
    invite.locator("input[value=us-aviation]").check()
    invite.get_by_role("button", name="Invite").click()
    expect(page.get_by_test_id("done")).to_have_text("The organisations were invited.")
    expect(page.get_by_test_id("participant-list")).to_contain_text("us-aviation")
    page.get_by_test_id("coordinators-form").locator("input[value=us-liaison]").check()
    page.get_by_role("button", name="Name co-coordinators").click()
    expect(page.get_by_test_id("done")).to_have_text("The co-coordinators were named.")
    expect(page.get_by_test_id("participant-list").locator("li", has_text="us-liaison")).to_contain_text(
        "co-coordinator"
    )

    us = sign_in(browser, server.url, "uscoord")  # a co-coordinator invites, only the lead closes
    us.goto(admin_url)
    expect(us.get_by_test_id("invite-form")).to_be_visible()
    expect(us.get_by_test_id("status-form")).to_have_count(0)
    expect(us.get_by_test_id("coordinators-form")).to_have_count(0)

    page.fill("#reason", "fires contained")
    page.get_by_role("button", name="Close the operation").click()
    expect(page.get_by_test_id("op-status")).to_have_text("closed")
    expect(page.get_by_test_id("invite-form")).to_have_count(0)
    expect(page.get_by_role("button", name="Reopen the operation")).to_be_visible()
    usav = server.client(world.tokens["usav"])
    assert usav.post(f"/operations/{op_id}/log", json={"text": "late"}).status_code == 403
    kinds = [e["kind"] for e in ok(usav.get(f"/operations/{op_id}/timeline"))["items"]]
    assert kinds == [
        "operations.operation.created",
        "operations.operation.participants_added",
        "operations.operation.coordinators_set",
        "operations.operation.closed",
    ]
    page.goto(f"{server.url}/")
    expect(page.get_by_role("row", name=re.compile("Gangwon wildfire"))).to_contain_text("closed")
    page.goto(f"{server.url}/?lang=ko")
    expect(page.get_by_role("row", name=re.compile("강원 산불"))).to_contain_text("종결")
    assert not page.errors  # type: ignore[attr-defined]


def test_an_admin_manages_users_passwords_and_tokens(
    browser: Browser, db: Database, world: World, server: LiveServer
) -> None:
    _people(db, ("prov-admin", "kor-province"))
    page = sign_in(browser, server.url, "prov-admin")
    page.get_by_role("link", name="Administration").click()
    users = page.get_by_test_id("users")
    expect(users).to_contain_text("viewer")
    expect(page.get_by_test_id("user-coord")).to_have_count(0)  # another organisation's users are not listed

    page.fill("#new-username", "desk")
    page.fill("#new-display", "Duty desk")
    page.select_option("#new-role", "viewer")
    page.fill("#new-password", "password1234")
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("password")
    expect(page.locator("#new-username")).to_have_value("desk")  # kept, the password is not
    expect(page.locator("#new-display")).to_have_value("Duty desk")
    expect(page.locator("#new-password")).to_have_value("")
    page.get_by_role("button", name="Add user").click()  # without a password this time
    expect(page.get_by_test_id("done")).to_have_text("The user was added.")
    row = page.get_by_test_id("user-desk")
    expect(row).to_contain_text("no password yet")

    row.get_by_label("Role of desk").select_option("contributor")
    row.get_by_role("button", name="Change role").click()
    expect(page.get_by_test_id("done")).to_have_text("The role was changed.")
    expect(page.get_by_test_id("user-desk").get_by_label("Role of desk")).to_have_value("contributor")
    expect(page.get_by_test_id("user-prov-admin").get_by_role("button", name="Change role")).to_have_count(0)

    page.get_by_test_id("user-desk").get_by_role("button", name="Disable").click()
    expect(page.get_by_test_id("user-desk")).to_contain_text("disabled")
    page.get_by_test_id("user-desk").get_by_role("button", name="Enable").click()
    expect(page.get_by_test_id("done")).to_have_text("The user was enabled again.")

    page.get_by_test_id("user-desk").get_by_label("New password for desk").fill(NEW_PASSWORD)
    page.get_by_test_id("user-desk").get_by_role("button", name="Set password").click()
    expect(page.get_by_test_id("done")).to_contain_text("The password was set")
    desk = browser.new_context().new_page()
    desk.goto(f"{server.url}/login")
    desk.fill("#username", "desk")
    desk.fill("#password", NEW_PASSWORD)
    desk.click("form.login button[type=submit]")
    desk.wait_for_url(f"{server.url}/")
    expect(desk.locator(".who")).to_contain_text("desk · kor-province · contributor")
    expect(desk.get_by_role("link", name="Administration")).to_have_count(0)

    page.get_by_test_id("user-desk").get_by_label(re.compile("Lifetime of the token for desk")).fill("30d")
    page.get_by_test_id("user-desk").get_by_role("button", name="Issue token").click()
    token = page.get_by_test_id("issued-token").locator("code").inner_text()
    assert token.startswith("katchi_") and token not in page.url
    assert ok(server.client(token).get("/me"))["username"] == "desk"
    page.goto(f"{server.url}/admin/users")
    expect(page.get_by_test_id("issued-token")).to_have_count(0)  # shown once
    assert token not in page.content()
    tokens = page.get_by_test_id("tokens")
    desk_token = tokens.locator("tr", has_text=token[:14])
    desk_token.get_by_role("button", name="Revoke").click()
    expect(page.get_by_test_id("done")).to_have_text("The token was revoked.")
    for _ in range(50):  # the server's token cache forgets within seconds
        if server.client(token).get("/me").status_code == 401:
            break
        time.sleep(0.1)
    assert server.client(token).get("/me").status_code == 401
    with db.read() as s:
        sources = set(
            s.scalars(select(LogEntry.kind).where(LogEntry.source == "web", LogEntry.label == "org:kor-province"))
        )
    assert {
        "accounts.user.created",
        "accounts.user.role_set",
        "accounts.user.disabled",
        "accounts.user.enabled",
        "accounts.user.password_set",
        "accounts.token.created",
        "accounts.token.revoked",
    } <= sources
    coord = sign_in(browser, server.url, "coord")
    coord.goto(f"{server.url}/admin/users")
    expect(coord.get_by_role("heading", level=1)).to_have_text("Not allowed")
    assert not page.errors  # type: ignore[attr-defined]


def test_an_admin_registers_and_assigns_a_tak_device_in_korean(
    browser: Browser, db: Database, world: World, server: LiveServer
) -> None:
    _people(db, ("army-admin", "kor-army"))
    op = create_operation(server.client(world.tokens["coord"]), ["kor-army"], name="Andong flood")
    page = sign_in(browser, server.url, "army-admin", lang="ko")
    page.get_by_role("link", name="관리", exact=True).click()
    page.get_by_role("link", name="TAK 단말").first.click()
    page.fill("#dev-uid", "ANDROID-roka-1")
    page.select_option("#dev-user", "roka")
    page.fill("#dev-asset", "no-such-asset")
    page.get_by_role("button", name="등록", exact=True).click()
    expect(page.get_by_test_id("form-error")).to_contain_text("no-such-asset")
    expect(page.locator("#dev-uid")).to_have_value("ANDROID-roka-1")
    expect(page.locator("#dev-user")).to_have_value("roka")
    page.fill("#dev-asset", "")
    page.get_by_role("button", name="등록", exact=True).click()
    expect(page.get_by_test_id("done")).to_have_text("단말을 등록했습니다.")
    row = page.get_by_test_id("device-ANDROID-roka-1")
    row.get_by_role("combobox").select_option(op["id"])
    row.get_by_role("button", name="배정").click()
    expect(page.get_by_test_id("done")).to_have_text("단말의 대화를 작전에 배정했습니다.")
    expect(page.get_by_test_id("device-ANDROID-roka-1").get_by_role("combobox")).to_have_value(op["id"])
    admin = server.client(world.tokens["coord"])
    assert admin.get("/tak/devices").status_code == 403  # the coordinator is not kor-army's admin
    assert not page.errors  # type: ignore[attr-defined]
