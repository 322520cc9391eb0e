"""The console in a real browser (Playwright driving Debian's chromium): sign-in, the live map,
RFA actions, forms, languages, releasability and the EXERCISE banner. Screenshots of the COP in
both languages are written to ``test-artifacts/``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from katchi.accounts import set_password
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, items, ok, point
from tests.support.browser import ARTIFACTS, PASSWORD, another, open_cop, sign_in
from tests.support.server import LiveServer
from tests.support.world import World

PARTICIPANTS = ["kor-province", "kor-redcross", "kor-army", "us-aviation", "us-liaison"]


@pytest.fixture
def setup(db: Database, world: World, server: LiveServer) -> dict[str, Any]:
    with transaction(db) as s:
        for u in ("coord", "province", "uscoord", "redcross"):
            set_password(s, Context(None, source="test"), u, PASSWORD)
    clients = {
        u: httpx.Client(base_url=server.url + "/api/v1", headers={"Authorization": f"Bearer {t}"}, timeout=10)
        for u, t in world.tokens.items()
    }
    drill = create_operation(clients["coord"], PARTICIPANTS, mode="exercise", name="Drill: Seoul earthquake")
    return {"clients": clients, "op": drill, "url": server.url}


def test_incident_from_the_api_reaches_another_users_map_within_two_seconds(
    browser: Browser, setup: dict[str, Any]
) -> None:
    page = sign_in(browser, setup["url"], "coord")
    open_cop(page, setup["url"], setup["op"]["id"])
    t0 = time.monotonic()
    inc = ok(
        setup["clients"]["province"].post(
            f"/operations/{setup['op']['id']}/incidents",
            json={"kind": "fire", "title": "Market fire", "severity": "severe", "location": point(127.0, 37.57)},
        ),
        201,
    )
    page.wait_for_function(f"() => window.katchi.incidents.has('{inc['id']}')", timeout=2000)
    assert time.monotonic() - t0 < 2.0
    expect(page.locator("#count-incidents")).to_have_text("1")
    assert not page.errors  # type: ignore[attr-defined]


def test_rfa_is_validated_and_tasked_in_the_ui(browser: Browser, setup: dict[str, Any]) -> None:
    c = setup["clients"]
    asset = ok(
        c["redcross"].post(  # the drill's own asset: an exercise tasks only its twins
            f"/operations/{setup['op']['id']}/assets",
            json={"name": "KRCS shelter team 1", "capability": "emergency_shelter", "location": point()},
        ),
        201,
    )
    rfa = ok(
        c["province"].post(
            f"/operations/{setup['op']['id']}/rfas",
            json={"title": "Shelter for 300", "capability": "emergency_shelter", "quantity": 300,
                  "location": point(), "submit": True},
        ),
        201,
    )  # fmt: skip
    page = sign_in(browser, setup["url"], "coord")
    open_cop(page, setup["url"], setup["op"]["id"])
    card = page.locator(f"[data-testid=rfa-{rfa['id']}]")
    card.get_by_role("button", name="Validate").click()
    page.locator("section[data-state=validated]").get_by_text("Shelter for 300").wait_for()
    page.locator(f"[data-testid=rfa-{rfa['id']}]").get_by_role("button", name="Task").click()
    page.select_option("#task-asset", asset["id"])
    page.locator("#form-task button[type=submit]").click()
    page.locator("section[data-state=tasked]").get_by_text("Shelter for 300").wait_for()
    assert ok(c["coord"].get(f"/rfas/{rfa['id']}"))["state"] == "tasked"
    assert not page.errors  # type: ignore[attr-defined]


def test_report_incident_form_shows_errors_next_to_fields_and_keeps_input(
    browser: Browser, setup: dict[str, Any]
) -> None:
    page = sign_in(browser, setup["url"], "province")
    open_cop(page, setup["url"], setup["op"]["id"])
    page.click("#btn-report")
    page.locator("#map").click(position={"x": 300, "y": 250})
    dialog = page.locator("#dlg-incident")
    expect(dialog).to_be_visible()
    page.fill("#incident-description", "Smoke from the third floor")
    dialog.locator("button[type=submit]").click()  # no title: refused by the API
    expect(dialog.locator("[data-error-for=title]")).not_to_be_empty()
    expect(page.locator("#incident-title")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#incident-description")).to_have_value("Smoke from the third floor")
    page.fill("#incident-title", "Apartment fire")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()
    incidents = ok(setup["clients"]["coord"].get(f"/operations/{setup['op']['id']}/incidents"))["items"]
    assert [i["title"] for i in incidents] == ["Apartment fire"]
    assert incidents[0]["description"] == "Smoke from the third floor"


def test_language_toggle_and_screenshots(browser: Browser, setup: dict[str, Any]) -> None:
    c = setup["clients"]
    for i, sev in enumerate(["minor", "moderate", "severe", "extreme"]):
        c["province"].post(
            f"/operations/{setup['op']['id']}/incidents",
            json={"kind": "building_collapse", "title": f"Collapse {i}", "severity": sev,
                  "location": point(126.95 + i * 0.03, 37.55)},
        )  # fmt: skip
    page = sign_in(browser, setup["url"], "coord")
    open_cop(page, setup["url"], setup["op"]["id"])
    expect(page.get_by_role("tab", name="RFA board")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cop-en.png"))
    page.get_by_role("link", name="한국어").click()
    page.wait_for_selector("body[data-loaded=true]", state="attached")
    expect(page.get_by_role("tab", name="지원 요청 현황판")).to_be_visible()
    expect(page.locator("#btn-report")).to_have_text("사건 보고")
    assert page.locator("html").get_attribute("lang") == "ko"
    page.screenshot(path=str(ARTIFACTS / "cop-ko.png"))
    page.goto(f"{setup['url']}/operations/{setup['op']['id']}")  # remembered without ?lang
    expect(page.get_by_role("tab", name="작전 일지")).to_be_visible()


def test_us_only_records_never_reach_a_korean_page(browser: Browser, setup: dict[str, Any]) -> None:
    c, op = setup["clients"], setup["op"]["id"]
    page = sign_in(browser, setup["url"], "coord")
    open_cop(page, setup["url"], op)
    secret = ok(
        c["uscoord"].post(
            f"/operations/{op}/incidents",
            json={"kind": "other", "title": "US-only convoy", "severity": "minor", "location": point(),
                  "label": "nation:USA"},
        ),
        201,
    )  # fmt: skip
    c["uscoord"].post(f"/operations/{op}/log", json={"text": "US-only log line", "label": "nation:USA"})
    marker = ok(
        c["province"].post(
            f"/operations/{op}/incidents",
            json={"kind": "fire", "title": "Everyone sees this", "severity": "minor", "location": point()},
        ),
        201,
    )
    page.wait_for_function(f"() => window.katchi.incidents.has('{marker['id']}')", timeout=5000)
    assert not page.evaluate(f"window.katchi.incidents.has('{secret['id']}')")
    page.get_by_role("tab", name="Ops log").click()
    assert "US-only" not in page.content()
    page.reload()
    page.wait_for_selector("body[data-loaded=true]", state="attached")
    assert "US-only" not in page.content()
    us = sign_in(browser, setup["url"], "uscoord")
    open_cop(us, setup["url"], op)
    assert us.evaluate(f"window.katchi.incidents.has('{secret['id']}')")


def test_exercise_banner_only_on_exercise_operations(browser: Browser, setup: dict[str, Any]) -> None:
    real = create_operation(setup["clients"]["coord"], PARTICIPANTS, mode="real", name="Real flood")
    page: Page = sign_in(browser, setup["url"], "coord")
    open_cop(page, setup["url"], setup["op"]["id"])
    expect(page.get_by_test_id("exercise-banner")).to_contain_text("EXERCISE")
    expect(page.get_by_test_id("exercise-clock")).to_be_visible()
    open_cop(page, setup["url"], real["id"])
    expect(page.get_by_test_id("exercise-banner")).to_have_count(0)
    page.goto(f"{setup['url']}/")
    expect(page.locator("table.list")).to_contain_text("Drill: Seoul earthquake")


def test_exercise_clock_is_shown_from_the_clock_events(browser: Browser, setup: dict[str, Any], db: Database) -> None:
    from datetime import UTC, datetime

    from katchi import exercises
    from katchi.accounts import principal_for_token

    with db.read() as s:
        coord = principal_for_token(s, setup["clients"]["coord"].headers["Authorization"].split()[1])
    with transaction(db) as s:
        exercises.record_clock(
            s,
            Context(coord, source="test"),
            setup["op"]["id"],
            state="paused",
            sim_time=datetime(2026, 3, 4, 8, 30, tzinfo=UTC),
            speed=60.0,
            scenario="Seoul M6.5 earthquake",
        )
    page = sign_in(browser, setup["url"], "coord")
    open_cop(page, setup["url"], setup["op"]["id"])
    expect(page.get_by_test_id("exercise-clock")).not_to_have_text("—")
    expect(page.locator("#clock-state")).to_contain_text("paused")


def test_the_live_exercise_is_listed_first_and_marked_live(
    browser: Browser, setup: dict[str, Any], db: Database
) -> None:
    """A newcomer lands on the exercise being played, whatever else (newer) is in the list."""
    from datetime import UTC, datetime

    from katchi import exercises
    from katchi.accounts import principal_for_token

    coord_client = setup["clients"]["coord"]
    ended = create_operation(coord_client, PARTICIPANTS, mode="exercise", name="Last week's drill")
    create_operation(coord_client, PARTICIPANTS, mode="real", name="Real flood")
    with db.read() as s:
        coord = principal_for_token(s, coord_client.headers["Authorization"].split()[1])
    for op, state in ((setup["op"], "running"), (ended, "ended")):
        with transaction(db) as s:
            exercises.record_clock(
                s,
                Context(coord, source="test"),
                op["id"],
                state=state,  # type: ignore[arg-type]
                sim_time=datetime(2026, 3, 4, 8, 30, tzinfo=UTC),
                speed=60.0,
                scenario="Seoul M6.5 earthquake",
            )
    page = sign_in(browser, setup["url"], "coord")
    page.goto(f"{setup['url']}/?lang=en")
    rows = page.locator("table.list tbody tr")
    expect(rows.first).to_contain_text("Drill: Seoul earthquake")
    expect(rows.first.locator(".badge.live")).to_have_text("LIVE")
    expect(rows.nth(1)).to_contain_text("Real flood")  # then the newest first
    expect(rows.nth(2).get_by_test_id("clock-state")).to_have_text("ended")
    expect(rows.first.get_by_test_id("clock-state")).to_have_text("LIVE")
    expect(page.locator(".badge.live")).to_have_count(1)
    page.goto(f"{setup['url']}/?lang=ko")
    expect(rows.first.locator(".badge.live")).to_have_text("실시간")


def test_korean_renders_on_a_machine_without_a_korean_font(
    browser: Browser, setup: dict[str, Any], tmp_path: Path
) -> None:
    """Chromium that sees only DejaVu (no Korean font, as on a fresh Debian) still draws Korean:
    the console brings its own Hangul web font, and the browser loads it for Korean pages."""
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path}/fc-cache</cachedir></fontconfig>"
    )
    bare = another(browser.browser_type, env={"FONTCONFIG_FILE": str(conf)})
    try:
        page = sign_in(bare, setup["url"], "coord", lang="ko")
        page.goto(f"{setup['url']}/?lang=ko")
        expect(page.locator("h1")).to_have_text("작전")
        page.evaluate("document.fonts.ready")
        loaded = page.evaluate(
            "[...document.fonts].filter(f => f.family.includes('Katchi Gothic') && f.status === 'loaded').length"
        )
        assert loaded >= 1, "the page drew Korean without the console's Korean font"
        # What chromium actually drew the heading's Korean with:
        cdp = page.context.new_cdp_session(page)
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        h1 = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "h1"})["nodeId"]
        cdp.send("CSS.enable")
        drawn = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": h1})["fonts"]
        assert [f["familyName"] for f in drawn] == ["Katchi Gothic"], drawn
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "operations-ko-without-korean-fonts.png"))
    finally:
        bare.close()


def test_no_request_leaves_the_machine(browser: Browser, setup: dict[str, Any]) -> None:
    outside: list[str] = []
    page = sign_in(browser, setup["url"], "coord")
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:")) else None)
    open_cop(page, setup["url"], setup["op"]["id"])
    page.locator("#map").click(position={"x": 200, "y": 200})
    page.mouse.wheel(0, -600)  # zoom in: loads the municipal boundaries too
    page.wait_for_timeout(500)
    assert outside == []


def test_live_updates_resume_after_the_server_drops_the_stream(
    db_url: str, world: World, db: Database, browser: Browser
) -> None:
    """A reader that falls behind is disconnected by the server; the browser reconnects with
    Last-Event-ID and the page ends with every record."""
    from katchi import cop
    from katchi.accounts import principal_for_token

    with transaction(db) as s:
        set_password(s, Context(None, source="test"), "coord", PASSWORD)
    with LiveServer.start(db_url, stream_queue_max=4) as server:
        client = httpx.Client(
            base_url=server.url + "/api/v1", headers={"Authorization": f"Bearer {world.tokens['coord']}"}
        )
        op = create_operation(client, PARTICIPANTS)
        page = sign_in(browser, server.url, "coord")
        open_cop(page, server.url, op["id"])
        with db.read() as s:
            coord = principal_for_token(s, world.tokens["coord"])
        with transaction(db) as s:  # one commit of 60 events: more than the reader's queue holds
            for i in range(60):
                cop.report_incident(
                    s,
                    Context(coord, source="test"),
                    op["id"],
                    cop.IncidentCreate(kind="fire", title=f"Burst {i}", severity="minor", location=point()),
                )
        page.wait_for_function("() => window.katchi.incidents.size === 60", timeout=15_000)
        expect(page.locator("#live-state")).to_have_class("ok")


def test_fits_a_laptop_and_a_wall_screen_and_works_from_the_keyboard(browser: Browser, setup: dict[str, Any]) -> None:
    page = sign_in(browser, setup["url"], "coord")
    open_cop(page, setup["url"], setup["op"]["id"])
    for width, height in ((1366, 768), (3840, 2160)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(200)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        box = page.locator("#map").bounding_box()
        assert box is not None and box["width"] > width * 0.5 and box["height"] > height * 0.5
        for name in ("Report incident", "Submit RFA"):
            expect(page.get_by_role("button", name=name)).to_be_in_viewport()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cop-4k.png"))
    page.set_viewport_size({"width": 1366, "height": 768})
    # Keyboard: the tabs follow the arrow keys; the report button is reachable with Tab.
    page.get_by_role("tab", name="RFA board").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Ops log")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#panel-log")).to_be_visible()
    page.locator("#log-text").focus()
    page.keyboard.type("Shelter at Gangnam gym open")
    page.keyboard.press("Tab")  # to the label select
    page.keyboard.press("Tab")  # to Post
    page.keyboard.press("Enter")
    expect(page.locator("#log-list")).to_contain_text("Shelter at Gangnam gym open")
    page.locator("body").focus()
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))
        if "btn-report" in seen:
            break
    assert "btn-report" in seen


def test_a_disabled_user_is_sent_to_sign_in_from_the_open_map(
    browser: Browser, setup: dict[str, Any], db: Database
) -> None:
    from katchi.accounts import disable_user

    page = sign_in(browser, setup["url"], "province")
    open_cop(page, setup["url"], setup["op"]["id"])
    started = time.monotonic()
    with transaction(db) as s:
        disable_user(s, Context(None, source="test"), "province")
    page.wait_for_url(f"{setup['url']}/login?next=*", timeout=15_000)
    # The stream closes within the 2 s recheck, the browser comes back after 1 s and meets a 401.
    assert time.monotonic() - started < 5.0
    assert f"next=%2Foperations%2F{setup['op']['id']}" in page.url
    page.context.close()


def test_the_exercise_coordinator_drives_the_clock_from_the_map(
    browser: Browser, setup: dict[str, Any], db: Database, world: World
) -> None:
    from datetime import datetime, timedelta

    from katchi import exercises
    from tests.support.world import acting_as

    op_id = setup["op"]["id"]
    t0 = datetime.fromisoformat(setup["op"]["created_at"].replace("Z", "+00:00"))  # the scenario's start
    with transaction(db) as s:
        exercises.record_clock(
            s, acting_as(db, world, "coord"), op_id, state="running", speed=60.0, scenario="x",
            sim_time=t0 + timedelta(hours=6),
        )  # fmt: skip
    watcher = sign_in(browser, setup["url"], "province")  # a contributor sees the clock, not its controls
    open_cop(watcher, setup["url"], op_id)
    expect(watcher.get_by_test_id("exercise-clock")).not_to_have_text("—")
    assert watcher.get_by_test_id("clock-controls").count() == 0
    page = sign_in(browser, setup["url"], "coord", lang="ko")
    open_cop(page, setup["url"], op_id)
    controls = page.get_by_test_id("clock-controls")
    controls.get_by_role("button", name="일시 정지").click()
    controls.locator("input[name=jump]").fill("1h")
    controls.get_by_role("button", name="이동", exact=True).click()
    expect(page.get_by_test_id("clock-error")).to_contain_text("backwards")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cop-clock-controls-ko.png"))
    requested = [
        e["payload"] for e in items(setup["clients"]["coord"], f"/operations/{op_id}/timeline")
        if e["kind"] == "exercises.clock.requested"
    ]  # fmt: skip
    assert requested == [{"action": "pause", "value": None}]
    assert not page.errors  # type: ignore[attr-defined]
    watcher.context.close()
    page.context.close()
