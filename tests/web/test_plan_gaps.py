"""A plan's gap analysis counts the assets its reader may see, whatever their status, where they
can arrive in time and their owners' caveats allow; ``?without=`` is the what-if; HXL CSV too."""

from __future__ import annotations

from typing import Any

import httpx

from katchi.interop.hxl import read_hxl
from tests.support.api import ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World
from tests.web.test_plans import SEOUL, plan_body

BUSAN = point(129.04, 35.18)  # ~325 km from Seoul: ~7.6 h by road at 60 km/h
NEAR = point(127.0, 37.5)  # in Seoul
PYEONGTAEK = point(127.03, 36.96)  # Camp Humphreys, ~67 km: a helicopter is there in under an hour
JEJU = {"type": "Polygon", "coordinates": [[[126.1, 33.1], [127.0, 33.1], [127.0, 33.6], [126.1, 33.6], [126.1, 33.1]]]}


def _asset(client: httpx.Client, name: str, capability: str, where: dict[str, Any], **extra: Any) -> str:
    body = {"name": name, "capability": capability, "location": where} | extra
    return str(ok(client.post("/assets", json=body), 201)["id"])


def _gaps(client: httpx.Client, plan_id: str, **params: Any) -> dict[tuple[str, str], dict[str, Any]]:
    rows = ok(client.get(f"/plans/{plan_id}/gaps", params=params))["items"]
    return {(g["capability"], g["phase"]): g for g in rows}


def test_gaps_count_what_can_arrive_under_caveats_and_answer_what_if(server: LiveServer, world: World) -> None:
    coord, roka = server.client(world.tokens["coord"]), server.client(world.tokens["roka"])
    redcross, usav = server.client(world.tokens["redcross"]), server.client(world.tokens["usav"])
    _asset(roka, "ROKA USAR 1", "usar_heavy", NEAR, capacity=2)
    _asset(roka, "ROKA USAR (own eyes only)", "usar_heavy", NEAR, capacity=5, label="org:kor-army")
    _asset(redcross, "KRC USAR", "usar_heavy", NEAR, status="unavailable")  # counts: a plan checks what exists
    _asset(redcross, "KRC USAR Busan", "usar_heavy", BUSAN)  # cannot arrive within 6 h
    _asset(usav, "Blackhawk flight", "medium_helicopter", PYEONGTAEK, capacity=4, speed_kmh=250)
    _asset(usav, "Jeju-only flight", "medium_helicopter", PYEONGTAEK, capacity=6, speed_kmh=250, caveats={"area": JEJU})
    _asset(
        usav, "Short-stay flight", "medium_helicopter", PYEONGTAEK, capacity=3, speed_kmh=250, caveats={"max_hours": 12}
    )  # fmt: skip  (the 6-24 h task runs 18 h)
    _asset(roka, "ROKA Surion", "medium_helicopter", BUSAN, capacity=1, speed_kmh=250)  # 6.5 h < 24 h: counts
    pid = ok(coord.post("/plans", json=plan_body()), 201)["id"]

    gaps = _gaps(coord, pid)
    assert list(gaps) == [("usar_heavy", "0-6h"), ("medium_helicopter", "6-24h")]
    usar = gaps[("usar_heavy", "0-6h")]
    assert (usar["required"], usar["available"], usar["shortfall"]) == (40, 3, 37)
    assert usar["by_nation"] == {"KOR": 2, "civilian": 1} and usar["assets"] == 2
    assert usar["unit"] == "team" and usar["names"]["ko"].startswith("도시탐색구조팀")
    assert 0.25 <= usar["earliest_arrival_h"] < 0.6  # mobilisation and a few km by road
    heli = gaps[("medium_helicopter", "6-24h")]
    assert (heli["required"], heli["available"], heli["by_nation"]) == (12, 5, {"KOR": 1, "USA": 4})
    assert heli["shortfall"] == 7 and 0.25 < heli["earliest_arrival_h"] < 1

    # What-if: without the US aviation brigade the helicopter gap widens.
    without = _gaps(coord, pid, without="us-aviation")[("medium_helicopter", "6-24h")]
    assert (without["available"], without["shortfall"], without["by_nation"]) == (1, 11, {"KOR": 1})
    problem(coord.get(f"/plans/{pid}/gaps", params={"without": "nobody"}), 422)

    # Two-sided: ROK Army's planner also counts the asset only ROK Army may see.
    assert _gaps(roka, pid)[("usar_heavy", "0-6h")]["by_nation"] == {"KOR": 7, "civilian": 1}

    csv = coord.get(f"/plans/{pid}/gaps.csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    data = read_hxl(csv.text)
    rows = {(r.get("#capacity+type"), r.get("#meta+phase")): r for r in data}
    heli_row = rows[("medium_helicopter", "6-24h")]
    assert heli_row.get("#capacity+num+shortfall") == "7" and heli_row.get("#capacity+num+usa") == "4"
    assert rows[("usar_heavy", "0-6h")].get("#capacity+num+civilian") == "1"
    assert "#capacity+name+i_ko" in [c.display_tag for c in data.columns]


def test_a_plans_area_is_what_area_caveats_are_checked_against(server: LiveServer, world: World) -> None:
    coord, usav = server.client(world.tokens["coord"]), server.client(world.tokens["usav"])
    _asset(usav, "Seoul-only flight", "medium_helicopter", PYEONGTAEK, capacity=2, speed_kmh=250,
           caveats={"area": SEOUL})  # fmt: skip
    seoul = ok(coord.post("/plans", json=plan_body()), 201)["id"]
    assert _gaps(coord, seoul)[("medium_helicopter", "6-24h")]["available"] == 2
    jeju = ok(coord.post("/plans", json=plan_body(area=JEJU)), 201)["id"]
    assert _gaps(coord, jeju)[("medium_helicopter", "6-24h")]["available"] == 0
