"""Facilities on the console's map in a real browser: coloured by their live status with a legend,
a popup with the figures, a form for those who may change it (and none for those who may not), and
the change of another user arriving live."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from katchi.accounts import set_password
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, ok, point
from tests.support.browser import PASSWORD, open_cop, sign_in
from tests.support.server import LiveServer
from tests.support.world import World


@pytest.fixture
def setup(db: Database, world: World, server: LiveServer) -> dict[str, Any]:
    with transaction(db) as s:
        for u in ("province", "viewer"):
            set_password(s, Context(None, source="test"), u, PASSWORD)
    coord = httpx.Client(base_url=server.url + "/api/v1", headers={"Authorization": f"Bearer {world.tokens['coord']}"})
    province = httpx.Client(
        base_url=server.url + "/api/v1", headers={"Authorization": f"Bearer {world.tokens['province']}"}
    )
    op = create_operation(coord, ["kor-province"])
    gym = ok(
        province.post(
            f"/operations/{op['id']}/facilities",
            json={"kind": "shelter", "name": "Suwon gym", "capacity": 400, "occupancy": 120, "location": point()},
        ),
        201,
    )
    return {"coord": coord, "op": op, "gym": gym, "url": server.url}


def test_the_owner_updates_a_shelter_from_its_popup_and_others_see_it_live(
    browser: Browser, setup: dict[str, Any]
) -> None:
    op, gym = setup["op"]["id"], setup["gym"]
    page = sign_in(browser, setup["url"], "province", lang="ko")
    open_cop(page, setup["url"], op)
    legend = page.get_by_test_id("facility-legend")
    expect(legend).to_contain_text("운영 중")
    expect(legend).to_contain_text("피해")
    marker = page.locator(".mk.facility")
    expect(marker).to_have_class("mk facility fac-shelter fac-st-open")
    marker.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.get_by_test_id("fac-occupancy")).to_have_text("120 / 400")
    form = popup.locator("form.fac-form")
    form.locator("select[name=status]").select_option("damaged")
    form.locator("input[name=beds_available]").fill("3")
    form.locator("input[name=needs]").fill("water, generator fuel")
    form.get_by_role("button", name="상태 갱신").click()
    expect(popup.get_by_test_id("fac-needs")).to_have_text("water, generator fuel")
    expect(marker).to_have_class("mk facility fac-shelter fac-st-damaged")
    after = ok(setup["coord"].get(f"/facilities/{gym['id']}"))
    assert (after["status"], after["beds_available"], after["needs"]) == ("damaged", 3, ["water", "generator fuel"])

    # A coordinator's change reaches the open popup live, without touching the form being typed in.
    form.locator("input[name=needs]").fill("typing…")
    ok(setup["coord"].patch(f"/facilities/{gym['id']}", json={"status": "full", "occupancy": 400}))
    expect(marker).to_have_class("mk facility fac-shelter fac-st-full")
    expect(popup.get_by_test_id("fac-occupancy")).to_have_text("400 / 400")
    expect(form.locator("input[name=needs]")).to_have_value("typing…")
    # A bad value is refused where it was typed.
    form.locator("input[name=occupancy]").fill("-4")
    form.get_by_role("button", name="상태 갱신").click()
    expect(form.locator("[data-error-for=occupancy]")).not_to_be_empty()
    assert not page.errors  # type: ignore[attr-defined]


def test_a_viewer_reads_the_status_but_gets_no_form(browser: Browser, setup: dict[str, Any]) -> None:
    page = sign_in(browser, setup["url"], "viewer")
    open_cop(page, setup["url"], setup["op"]["id"])
    page.locator(".mk.facility").click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Suwon gym")
    expect(popup).to_contain_text("Open")
    expect(popup.locator("form")).to_have_count(0)
    expect(page.get_by_test_id("facility-legend")).to_contain_text("Damaged")
