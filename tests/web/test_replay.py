"""Replay for the hotwash: the COP at a past moment of an operation, rebuilt from the log —
incidents, RFAs in their state then, assets where they were — as each reader may read it (a
nation's record is not in the other's replay), in the API and in the console with its time slider."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from katchi import assets, cop, exercises, tasking
from katchi.accounts import set_password
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, ok, point, problem
from tests.support.browser import ARTIFACTS, PASSWORD, sign_in
from tests.support.server import LiveServer
from tests.support.world import World, acting_as

START = datetime(2026, 3, 1, 5, 0, tzinfo=UTC)
P0, P1 = point(126.95, 37.47), point(127.01, 37.55)


def _at(db: Database, world: World, user: str, hours: float) -> Context:
    return dataclasses.replace(acting_as(db, world, user), now=START + timedelta(hours=hours))


@pytest.fixture
def drill(db: Database, world: World, server: LiveServer) -> dict[str, Any]:
    """An exercise whose log holds: T+0 an army rescue team at P0; T+1h an incident (alliance) and
    a US-only one; T+2h an RFA submitted; T+3h validated; T+4h tasked to the team, accepted and
    started; T+6h the team at P1."""
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province", "kor-army", "us-liaison"], mode="exercise", name="Hotwash drill")
    op_id = op["id"]
    with transaction(db) as s:
        exercises.record_clock(
            s, _at(db, world, "coord", 0), op_id, state="running", sim_time=START, speed=60.0, scenario="x"
        )
        team = assets.register_asset(
            s, _at(db, world, "roka", 0),
            assets.AssetCreate(name="Army rescue 1", capability="usar_medium", location=P0), operation_id=op_id,
        )  # fmt: skip
        cop.report_incident(
            s, _at(db, world, "province", 1), op_id,
            cop.IncidentCreate(kind="building_collapse", title="Collapse in Jongno", severity="severe", location=P1),
        )  # fmt: skip
        cop.report_incident(
            s, _at(db, world, "uscoord", 1), op_id,
            cop.IncidentCreate(kind="fire", title="US-only report", severity="minor", location=P0, label="nation:USA"),
        )  # fmt: skip
        rfa = tasking.create_rfa(
            s, _at(db, world, "province", 2), op_id,
            tasking.RfaCreate(title="Rescue in Jongno", capability="usar_medium", location=P1, submit=True),
        )  # fmt: skip
        tasking.act_on_rfa(s, _at(db, world, "coord", 3), rfa.id, tasking.RfaAction.validate, tasking.RfaActionBody())
        tasking.act_on_rfa(
            s, _at(db, world, "coord", 4), rfa.id, tasking.RfaAction.task,
            tasking.RfaActionBody(asset_id=team.id, justification="no civilian USAR team free"),
        )  # fmt: skip
        for action in (tasking.RfaAction.accept, tasking.RfaAction.start):
            tasking.act_on_rfa(s, _at(db, world, "roka", 4), rfa.id, action, tasking.RfaActionBody())
        assets.update_asset(s, _at(db, world, "roka", 6), team.id, assets.AssetUpdate(location=P1))
    return {"op": op_id, "rfa": rfa.id, "team": team.id}


def test_the_picture_at_a_past_moment_is_rebuilt_from_the_log(
    drill: dict[str, Any], db: Database, world: World, server: LiveServer
) -> None:
    coord, us = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    replay = f"/operations/{drill['op']}/replay"

    def at(client: Any, when: str) -> dict[str, Any]:
        return ok(client.get(replay, params={"at": when}))  # type: ignore[no-any-return]

    start = at(coord, "T+0h")
    assert start["at"].startswith("2026-03-01T05:00") and not start["incidents"] and not start["rfas"]
    assert [a["location"] for a in start["assets"]] == [P0]
    early = at(coord, "T+90m")
    assert [i["title"] for i in early["incidents"]] == ["Collapse in Jongno"]  # not the US-only one
    assert [i["title"] for i in at(us, "T+90m")["incidents"]] == ["Collapse in Jongno", "US-only report"]
    assert at(coord, "T+2.5h")["rfas"][0]["state"] == "submitted"
    assert at(coord, "T+3.5h")["rfas"][0]["state"] == "validated"
    underway = at(coord, "T+5h")
    assert underway["rfas"][0]["state"] == "underway" and underway["rfas"][0]["tasking"]["asset_id"] == drill["team"]
    assert underway["assets"][0]["status"] == "underway" and underway["assets"][0]["location"] == P0
    assert at(coord, "T+7h")["assets"][0]["location"] == P1
    assert at(coord, "2026-03-01T08:30:00+00:00")["rfas"][0]["state"] == "validated"  # an ISO time works too
    # A record released to the US later: out of the US replay before its release, in it (with its
    # history) after.
    with transaction(db) as s:
        hidden = cop.IncidentCreate(
            kind="fire", title="KOR-only, released later", severity="severe", location=P0, label="nation:KOR"
        )
        secret = cop.report_incident(s, _at(db, world, "coord", 1), drill["op"], hidden)
        cop.update_incident(s, _at(db, world, "coord", 2), secret.id, cop.IncidentUpdate(severity="extreme"))
        cop.release_incident(s, _at(db, world, "coord", 3), secret.id, "alliance")
    assert "KOR-only, released later" not in str(at(us, "T+2h")["incidents"])
    released = next(i for i in at(us, "T+4h")["incidents"] if i["id"] == secret.id)
    assert released["title"] == "KOR-only, released later" and released["severity"] == "extreme"
    assert released["label"] == "alliance"
    for bad in ("soon", "2026-03-01T08:30:00", "2026-02-01T00:00:00+00:00"):
        assert problem(coord.get(replay, params={"at": bad}), 422)
    assert problem(server.client(world.tokens["usav"]).get(replay, params={"at": "T+1h"}), 404)  # not a participant


def test_the_team_rewinds_the_map_with_the_time_slider(
    browser: Browser, drill: dict[str, Any], db: Database, world: World, server: LiveServer
) -> None:
    with transaction(db) as s:
        set_password(s, Context(None, source="test"), "coord", PASSWORD)
    page = sign_in(browser, server.url, "coord", lang="ko")
    page.goto(f"{server.url}/operations/{drill['op']}?at=T%2B6h")
    page.wait_for_selector("body[data-loaded=true]", state="attached", timeout=15_000)
    expect(page.get_by_test_id("replay")).to_be_visible()
    expect(page.locator("#replay-at")).to_contain_text("T+6")
    assert page.evaluate("() => window.katchi.rfas.size") == 1
    assert page.evaluate(f"() => window.katchi.rfas.get('{drill['rfa']}').state") == "underway"
    assert page.evaluate("() => window.katchi.incidents.size") == 1  # the US-only report is not in the KOR replay
    assert page.locator("#btn-report").is_hidden()  # the past is read, not acted on
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "cop-replay-ko.png"))
    # Step back to T+2h30m with the slider (15-minute steps): the RFA was only submitted then.
    page.locator("#replay-slider").evaluate("(el) => { el.value = '150'; el.dispatchEvent(new Event('change')); }")
    page.wait_for_function("() => document.body.dataset.replayAt.startsWith('2026-03-01T07:30')", timeout=5000)
    assert page.evaluate(f"() => window.katchi.rfas.get('{drill['rfa']}').state") == "submitted"
    assert "at=T%2B150m" in page.url
    assert not page.errors  # type: ignore[attr-defined]
    page.context.close()
