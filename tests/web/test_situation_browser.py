"""The situation board and situation reports in a real browser: a coordinator reads the figures by
municipality (sortable, totals in the header, a choropleth), sees them follow a new report live,
reports an incident's human impact from the map, drafts a SitRep, edits it and issues it; a
Korean viewer then reads it in Korean, and never a draft."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, expect

from katchi.accounts import set_password
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, ok, point
from tests.support.browser import PASSWORD, open_cop, sign_in
from tests.support.server import LiveServer
from tests.support.world import World

JONGNO = point(126.9770, 37.5796)
BUSAN_DONG = point(129.0403, 35.1152)


def test_the_situation_board_and_a_sitrep_in_the_console(
    browser: Browser, db: Database, world: World, server: LiveServer
) -> None:
    with transaction(db) as s:
        for u in ("coord", "viewer"):
            set_password(s, Context(None, source="test"), u, PASSWORD)
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province"])["id"]
    body = {"kind": "building_collapse", "title": "Collapse", "severity": "severe"}
    ok(coord.post(f"/operations/{op}/incidents", json=body | {"location": JONGNO, "dead": 2, "injured": 5}), 201)
    ok(coord.post(f"/operations/{op}/incidents", json=body | {"location": BUSAN_DONG, "dead": 9, "displaced": 40}), 201)

    page = sign_in(browser, server.url, "coord")
    open_cop(page, server.url, op)
    expect(page.get_by_test_id("situation-totals")).to_have_text(re.compile(r"^Dead 11 · Injured 5 · Missing 0"))
    page.get_by_role("tab", name="Situation").click()
    rows = page.locator("#situation-rows tr th")
    expect(rows).to_have_text(["Dong-gu", "Jongno-gu"])  # most casualties first
    page.get_by_role("button", name="Injured").click()
    expect(rows).to_have_text(["Jongno-gu", "Dong-gu"])
    expect(page.locator("#situation-table th[aria-sort=descending]")).to_have_text("Injured")
    expect(page.locator("#situation-foot")).to_contain_text("Total")

    page.get_by_test_id("layer-situation").check()
    expect(page.locator("#situation-legend .swatch")).to_have_count(5)
    fills = page.evaluate(
        """() => { const out = {}; window.katchi.choropleth.eachLayer((l) => {
             if (l.options.fill) out[l.feature.properties.code] = l.options.fillColor; }); return out; }"""
    )
    assert fills == {"11010": "#f03b20", "21030": "#bd0026"}  # classes of 2: 7 in the fourth, 9 in the fifth

    # A report from elsewhere reaches the board and the header live.
    ok(coord.post(f"/operations/{op}/incidents", json=body | {"location": JONGNO, "dead": 3}), 201)
    expect(page.get_by_test_id("situation-totals")).to_have_text(re.compile(r"^Dead 14 "), timeout=10_000)

    # Reporting an incident's human impact from the map.
    page.get_by_role("button", name="Report incident").click()
    page.locator("#map").click(position={"x": 400, "y": 300})
    page.fill("#incident-title", "Landslide on the ring road")
    page.fill("#incident-trapped", "4")
    page.locator("#form-incident button[value=save]").click()
    expect(page.get_by_test_id("situation-totals")).to_contain_text("Trapped 4", timeout=10_000)

    # A SitRep: drafted, edited, issued.
    page.get_by_role("tab", name="SitReps").click()
    page.get_by_test_id("sitrep-draft").get_by_role("button", name="Draft").click()
    dialog = page.locator("#dlg-sitrep")
    expect(dialog).to_be_visible()
    expect(page.locator("#sitrep-highlights-en")).to_have_value(re.compile("14 dead, 5 injured, 0 missing, 4 trapped"))
    page.fill("#sitrep-next_steps-en", "Open the Jongno shelter tonight.")
    page.fill("#sitrep-next_steps-ko", "오늘 밤 종로 대피소 개설.")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    page.on("dialog", lambda d: d.accept())
    page.locator("#sitrep-list [data-issue]").click()
    expect(page.locator("#sitrep-list tr td").nth(3)).to_have_text("issued")
    assert not page.errors  # type: ignore[attr-defined]

    viewer = sign_in(browser, server.url, "viewer", lang="ko")
    open_cop(viewer, server.url, op)
    viewer.get_by_role("tab", name="상황보고").click()
    expect(viewer.locator("#sitrep-list tr")).to_have_count(1)
    with viewer.expect_popup() as popup:
        viewer.locator("#sitrep-list a", has_text="한국어").click()
    report = popup.value
    expect(report.locator("#title")).to_have_text(re.compile("^상황보고 제1호"))
    expect(report.locator("body")).to_contain_text("오늘 밤 종로 대피소 개설.")
    expect(report.locator("#draft")).to_have_count(0)
    assert not viewer.errors  # type: ignore[attr-defined]
