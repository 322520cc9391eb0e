"""The situation by district: incidents' human impact summed per municipality (시·군·구) with
totals, against a hand-computed fixture, and two-sided: each reader's figures hold exactly the
records their labels let them read."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.api import create_operation, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World

JONGNO = point(126.9770, 37.5796)  # Gyeongbokgung, Jongno-gu (11010)
BUSAN_DONG = point(129.0403, 35.1152)  # Busan station, Dong-gu (21030)
TOKYO = point(139.69, 35.69)  # outside Korea's municipalities
JONGNO_AREA = {"type": "Polygon", "coordinates": [[[126.975, 37.578], [126.979, 37.578], [126.979, 37.581],
                                                   [126.975, 37.581], [126.975, 37.578]]]}  # fmt: skip


def _incident(client: httpx.Client, op: str, location: dict[str, Any], **figures: Any) -> str:
    body = {"kind": "collapse", "title": "Collapse", "severity": "severe", "location": location} | figures
    return str(ok(client.post(f"/operations/{op}/incidents", json=body), 201)["id"])


def _rfa(client: httpx.Client, op: str, location: dict[str, Any], **extra: Any) -> str:
    body = {"title": "Rescue team", "capability": "usar_medium", "location": location, "submit": True} | extra
    return str(ok(client.post(f"/operations/{op}/rfas", json=body), 201)["id"])


def _rows(client: httpx.Client, op: str) -> tuple[dict[str | None, dict[str, Any]], dict[str, Any]]:
    board = ok(client.get(f"/operations/{op}/situation"))
    return {row["code"]: row for row in board["items"]}, board["totals"]


def test_figures_are_summed_by_district_as_each_reader_may_read_them(server: LiveServer, world: World) -> None:
    coord, us = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    op = create_operation(coord, ["kor-province", "us-liaison"])["id"]
    _incident(coord, op, JONGNO, dead=2, injured=5, trapped=1)
    _incident(coord, op, JONGNO_AREA, injured=3, displaced=100)
    _incident(coord, op, BUSAN_DONG, missing=4, in_need=50)
    _incident(coord, op, TOKYO, dead=1)
    _incident(us, op, JONGNO, dead=10, label="nation:USA")
    _rfa(coord, op, JONGNO)
    cancelled = _rfa(coord, op, BUSAN_DONG)
    ok(coord.post(f"/rfas/{cancelled}/actions/cancel"))
    _rfa(us, op, JONGNO, label="nation:USA")

    rows, totals = _rows(coord, op)
    assert list(rows) == ["11010", "21030", None]
    jongno = rows["11010"]
    assert jongno["name"] == {"en": "Jongno-gu", "ko": "종로구"}
    assert {k: jongno[k] for k in ("dead", "injured", "missing", "trapped", "displaced", "in_need")} == {
        "dead": 2, "injured": 8, "missing": 0, "trapped": 1, "displaced": 100, "in_need": 0}  # fmt: skip
    assert (jongno["incidents"], jongno["open_rfas"]) == (2, 1)
    assert (rows["21030"]["missing"], rows["21030"]["in_need"], rows["21030"]["open_rfas"]) == (4, 50, 0)
    assert (rows[None]["name"], rows[None]["dead"], rows[None]["incidents"]) == (None, 1, 1)
    assert totals == {"dead": 3, "injured": 8, "missing": 4, "trapped": 1, "displaced": 100, "in_need": 50,
                      "incidents": 4, "open_rfas": 1}  # fmt: skip

    # The US liaison reads its own nation's figures too, and none of Korea's nation-only ones.
    us_rows, us_totals = _rows(us, op)
    assert (us_rows["11010"]["dead"], us_rows["11010"]["incidents"], us_rows["11010"]["open_rfas"]) == (12, 3, 2)
    assert us_totals["dead"] == 13
    _incident(coord, op, BUSAN_DONG, dead=7, label="nation:KOR")
    assert _rows(us, op)[1]["dead"] == 13 and _rows(coord, op)[1]["dead"] == 10

    # An operation the reader may not read answers as if it did not exist.
    secret = create_operation(us, [])["id"]
    problem(coord.get(f"/operations/{secret}/situation"), 404)


def test_figures_are_optional_non_negative_counts_kept_by_updates(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, [])["id"]
    body = {"kind": "collapse", "title": "x", "severity": "minor", "location": JONGNO}
    problem(coord.post(f"/operations/{op}/incidents", json=body | {"dead": -1}), 422)
    incident = ok(coord.post(f"/operations/{op}/incidents", json=body), 201)
    assert incident["dead"] is None and incident["district_code"] == "11010"
    updated = ok(coord.patch(f"/incidents/{incident['id']}", json={"dead": 3, "missing": 2}))
    assert (updated["dead"], updated["missing"], updated["injured"]) == (3, 2, None)
    assert _rows(coord, op)[1]["dead"] == 3
