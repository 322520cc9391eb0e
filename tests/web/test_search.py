"""Search in Korean and English: morphemes and stems match on either database, results are ranked
and snippeted, and nobody finds a record they may not read — nor misses one they may."""

from __future__ import annotations

from typing import Any

import httpx

from katchi.core.pagination import encode_cursor
from katchi.db import Database
from tests.support.api import create_operation, ok, problem
from tests.support.server import LiveServer
from tests.support.world import World, user_token


def _hits(client: httpx.Client, q: str, **params: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = ok(client.get("/search", params={"q": q, "limit": 3, **params} | ({"cursor": cursor} if cursor else {})))
        out += page["items"]
        cursor = page["next"]
        if cursor is None:
            return out


def _ids(client: httpx.Client, q: str, **params: Any) -> set[str]:
    return {h["id"] for h in _hits(client, q, **params)}


def test_korean_is_matched_by_morpheme_and_english_by_stem(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-redcross"])["id"]
    opened = ok(coord.post(f"/operations/{op}/log", json={"text": "수원 실내체육관 대피소를 추가로 개설함"}), 201)["id"]
    water = ok(coord.post(f"/operations/{op}/decisions", json={"title": "대피소에서 급수 지원", "rationale": "단수"}),
               201)["id"]  # fmt: skip
    full = "Shelters in Suwon are full; 300 people waiting"
    english = ok(coord.post(f"/operations/{op}/messages", json={"text": full}), 201)["id"]
    ok(coord.post(f"/operations/{op}/log", json={"text": "헬기 2대 출동 대기"}), 201)

    assert _ids(coord, "대피소") == {opened, water}
    assert _ids(coord, "대피소에서") == {opened, water}  # the particle is dropped from the query too
    assert _ids(coord, "대피소를 개설") == {opened}  # every word must match
    assert _ids(coord, "sheltering") == {english}
    assert _ids(coord, "SHELTER people") == {english}
    assert _ids(coord, "대피소", type=["decision"]) == {water}

    (hit,) = _hits(coord, "sheltering")
    assert (hit["type"], hit["operation_id"], hit["exercise"], hit["label"]) == ("message", op, False, "alliance")
    assert hit["title"].startswith("Shelters in Suwon")
    start, end = hit["highlights"][0]
    assert hit["snippet"][start:end] == "Shelters" and hit["score"] > 0
    (log_hit,) = [h for h in _hits(coord, "대피소를") if h["id"] == opened]
    start, end = log_hit["highlights"][0]
    assert log_hit["snippet"][start:end] == "대피소"

    problem(coord.get("/search", params={"q": "the of !!"}), 422)  # nothing left to search for
    problem(coord.get("/search", params={"q": "대피소", "cursor": "nonsense"}), 422)
    problem(coord.get("/search", params={"q": "대피소", "cursor": encode_cursor(10**30)}), 422)
    problem(coord.get("/search", params={"q": "대피소", "type": "tweet"}), 422)
    problem(server.client(None).get("/search", params={"q": "대피소"}), 401)


def test_more_mentions_rank_higher(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, [])["id"]
    text = "Water delivered to the school, roads open, power back"
    once = ok(coord.post(f"/operations/{op}/log", json={"text": text}), 201)["id"]
    thrice = ok(coord.post(f"/operations/{op}/log", json={"text": "Water, water, water: the shelter needs water"}),
                201)["id"]  # fmt: skip
    assert [h["id"] for h in _hits(coord, "water")] == [thrice, once]


def test_lessons_are_found_in_either_language_and_follow_their_edits(
    server: LiveServer, world: World, db: Database
) -> None:
    krc = server.client(world.tokens["redcross"])
    manager = server.client(user_token(db, "ll-manager", "kor-cmoc", "lessons_manager"))
    body = {
        "title": {"ko": "대피소 명단이 9시간 늦게 전달됨"},
        "observation": {"ko": "팩스로 보냈다"},
        "label": "nation:KOR",
    }
    lid = ok(krc.post("/observations", json=body), 201)["id"]
    assert [(h["type"], h["id"]) for h in _hits(krc, "대피소")] == [("observation", lid)]
    assert _ids(krc, "shelter") == set()

    ok(
        manager.patch(
            f"/lessons/{lid}", json={"title": {"en": "Shelter lists arrived 9 hours late", "ko": body["title"]["ko"]}}
        )
    )
    ok(manager.post(f"/lessons/{lid}/actions/validate", json={"root_cause": {"en": "Lists went by fax"}}))
    (hit,) = _hits(krc, "sheltering lists", lang="en")
    assert (hit["type"], hit["id"], hit["title"]) == ("lesson", lid, "Shelter lists arrived 9 hours late")
    assert _ids(krc, "faxes") == {lid}
    (ko_hit,) = _hits(krc, "대피소", lang="ko")
    assert ko_hit["title"] == "대피소 명단이 9시간 늦게 전달됨"
    # A lesson labelled for one nation is not found by the other.
    assert _ids(server.client(world.tokens["uscoord"]), "shelter") == set()
