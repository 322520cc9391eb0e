"""Consent in a real browser: the coordinator sees an asset's caveats in the task dialog and gives
the hours; the owner is not offered Accept while its nation's approval is pending; an approver
outside the operation approves from the console's approvals page, in Korean."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from katchi.accounts import OrganisationCreate, UserCreate, add_org, add_user, create_token, set_password
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, ok, point
from tests.support.browser import PASSWORD, open_cop, sign_in
from tests.support.server import LiveServer
from tests.support.world import World


def test_caveats_in_the_task_dialog_and_approval_from_the_console(
    browser: Browser, db: Database, world: World, server: LiveServer
) -> None:
    system = Context(None, source="test")
    with transaction(db) as s:
        add_org(s, system, OrganisationCreate(slug="usfk-j5", name_en="USFK J5", nation="USA", kind="military"))
        add_user(s, system, UserCreate(username="us-approver", org="usfk-j5", role=Role.approver))
        s.flush()
        approver_token = create_token(s, system, "us-approver")
        for u in ("coord", "usav", "us-approver"):
            set_password(s, system, u, PASSWORD)
    coord, usav = server.client(world.tokens["coord"]), server.client(world.tokens["usav"])
    op = create_operation(coord, ["us-aviation"])
    caveats = {"max_hours": 48, "excluded_tasks": ["security"], "national_approval": True}
    chinook = ok(
        usav.post(
            "/assets",
            json={"name": "CH-47F Chinook", "capability": "heavy_lift_helicopter", "location": point(127.03, 36.96),
                  "caveats": caveats},
        ),
        201,
    )  # fmt: skip
    rfa = ok(
        coord.post(
            f"/operations/{op['id']}/rfas",
            json={"title": "Airlift water", "capability": "heavy_lift_helicopter", "location": point(), "submit": True},
        ),
        201,
    )
    ok(coord.post(f"/rfas/{rfa['id']}/actions/validate"))

    page = sign_in(browser, server.url, "coord")
    open_cop(page, server.url, op["id"])
    page.locator(f"[data-testid=rfa-{rfa['id']}]").get_by_role("button", name="Task").click()
    page.select_option("#task-asset", chinook["id"])
    expect(page.locator("#task-caveats")).to_contain_text("at most this many hours: 48")
    expect(page.locator("#task-caveats")).to_contain_text("needs its nation's approval")
    page.fill("#task-justification", "no civilian heavy lift in range")
    page.locator("#form-task button[type=submit]").click()
    expect(page.locator("#form-task [data-error-for=hours]")).to_contain_text("max_hours 48")  # hours missing
    page.fill("#task-hours", "24")
    page.locator("#form-task button[type=submit]").click()
    page.locator("section[data-state=tasked]").get_by_text("Airlift water").wait_for()
    assert ok(coord.get(f"/rfas/{rfa['id']}"))["tasking"]["status"] == "awaiting_approval"

    owner = sign_in(browser, server.url, "usav")
    open_cop(owner, server.url, op["id"])
    card = owner.locator(f"[data-testid=rfa-{rfa['id']}]")
    expect(card.get_by_role("button", name="Decline")).to_be_visible()
    expect(card.get_by_role("button", name="Accept")).to_have_count(0)  # its nation has not approved yet

    approver = sign_in(browser, server.url, "us-approver", lang="ko")
    approver.get_by_role("link", name="승인").first.click()
    table = approver.locator("[data-testid=pending-approvals]")
    expect(table).to_contain_text("Airlift water")
    expect(table).to_contain_text("CH-47F Chinook")
    expect(table).to_contain_text("자국 승인 필요")
    table.get_by_role("button", name="승인").click()
    expect(approver.get_by_role("status")).to_be_visible()
    expect(approver.locator("[data-testid=decided-approvals]")).to_contain_text("us-approver")
    assert ok(server.client(approver_token).get("/approvals"))["items"] == []
    # The owner's board follows live: now it may accept.
    expect(card.get_by_role("button", name="Accept")).to_be_visible()
    card.get_by_role("button", name="Accept").click()
    owner.locator("section[data-state=accepted]").get_by_text("Airlift water").wait_for()
    for p in (page, owner, approver):
        assert not p.errors  # type: ignore[attr-defined]
