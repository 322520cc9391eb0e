"""Releasing (widening) a label: only a coordinator of the owning organisation, only wider, logged."""

from __future__ import annotations

from tests.support.api import create_operation, items, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World


def test_release_widens_audience_and_is_logged(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])  # kor-cmoc coordinator
    us = server.client(world.tokens["uscoord"])
    province = server.client(world.tokens["province"])
    op = create_operation(coord, ["kor-province", "us-liaison"])
    inc = ok(
        coord.post(
            f"/operations/{op['id']}/incidents",
            json={
                "kind": "collapse",
                "title": "KOR-only first report",
                "severity": "severe",
                "location": point(),
                "label": "nation:KOR",
            },
        ),
        201,
    )
    problem(us.get(f"/incidents/{inc['id']}"), 404)
    problem(us.post(f"/incidents/{inc['id']}/release", json={"label": "alliance"}), 404)  # cannot even see it
    problem(province.post(f"/incidents/{inc['id']}/release", json={"label": "alliance"}), 403)  # not a coordinator
    problem(coord.post(f"/incidents/{inc['id']}/release", json={"label": "org:kor-cmoc"}), 422)  # narrower
    released = ok(coord.post(f"/incidents/{inc['id']}/release", json={"label": "alliance"}))
    assert released["label"] == "alliance"
    assert ok(us.get(f"/incidents/{inc['id']}"))["title"] == "KOR-only first report"
    us_events = items(us, f"/operations/{op['id']}/timeline")
    assert [e["kind"] for e in us_events][-1] == "cop.incident.released"
    assert us_events[-1]["payload"] == {"from_label": "nation:KOR", "to_label": "alliance"}


def test_release_of_rfa_and_asset(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    us = server.client(world.tokens["uscoord"])
    op = create_operation(coord, ["us-liaison"])
    rfa = ok(
        coord.post(
            f"/operations/{op['id']}/rfas",
            json={
                "title": "Generators",
                "capability": "power_generation",
                "location": point(),
                "label": "org:kor-cmoc",
            },
        ),
        201,
    )
    problem(us.get(f"/rfas/{rfa['id']}"), 404)
    ok(coord.post(f"/rfas/{rfa['id']}/release", json={"label": "public"}))
    assert ok(us.get(f"/rfas/{rfa['id']}"))["label"] == "public"
    usav = server.client(world.tokens["usav"])
    heli = ok(
        usav.post(
            "/assets",
            json={"name": "UH-60", "capability": "medium_helicopter", "location": point(), "label": "nation:USA"},
        ),
        201,
    )
    problem(coord.get(f"/assets/{heli['id']}"), 404)
    problem(
        usav.post(f"/assets/{heli['id']}/release", json={"label": "alliance"}), 403
    )  # asset manager, not coordinator
    problem(us.post(f"/assets/{heli['id']}/release", json={"label": "alliance"}), 403)  # coordinator of another org
