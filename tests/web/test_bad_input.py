"""Bad input answers a clear problem+json and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.support.api import create_operation, items, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World


@pytest.fixture
def setup(server: LiveServer, world: World) -> tuple[httpx.Client, str]:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province", "us-aviation"])
    return coord, op["id"]


def timeline_len(client: httpx.Client, op_id: str) -> int:
    return len(items(client, f"/operations/{op_id}/timeline"))


INCIDENT = {"kind": "fire", "title": "Fire", "severity": "severe", "location": point()}
RFA = {"title": "Water", "capability": "water_trucking", "location": point()}


@pytest.mark.parametrize(
    ("path", "body", "status", "needle"),
    [
        ("incidents", INCIDENT | {"location": {"type": "Point", "coordinates": [127, 91]}}, 422, "WGS84"),
        ("incidents", INCIDENT | {"location": {"type": "Point", "coordinates": [-200, 10]}}, 422, "WGS84"),
        ("incidents", INCIDENT | {"location": {"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}}, 422, "Polygon"),
        ("incidents", INCIDENT | {"label": "secret"}, 422, "unknown label"),
        ("incidents", INCIDENT | {"label": "nation:FRA"}, 422, "unknown label"),
        ("incidents", INCIDENT | {"label": "org:nobody"}, 422, "unknown label"),
        ("incidents", INCIDENT | {"label": "nation:USA"}, 422, "hide the record"),
        ("incidents", INCIDENT | {"severity": "apocalyptic"}, 422, "severity"),
        ("incidents", INCIDENT | {"unexpected": 1}, 422, "unexpected"),
        ("incidents", {"kind": "fire"}, 422, "title"),
        ("rfas", RFA | {"capability": "unicorn_cavalry"}, 422, "unknown capability"),
        ("rfas", RFA | {"quantity": 0}, 422, "quantity"),
        ("log", {"text": ""}, 422, "text"),
    ],
)
def test_invalid_bodies(
    setup: tuple[httpx.Client, str], path: str, body: dict[str, Any], status: int, needle: str
) -> None:
    client, op_id = setup
    before = timeline_len(client, op_id)
    got = problem(client.post(f"/operations/{op_id}/{path}", json=body), status)
    assert needle.lower() in (got["detail"] + str(got.get("errors", ""))).lower()
    assert timeline_len(client, op_id) == before


def test_malformed_json_is_400(setup: tuple[httpx.Client, str]) -> None:
    client, op_id = setup
    before = timeline_len(client, op_id)
    resp = client.post(
        f"/operations/{op_id}/incidents", content=b'{"kind": "fire",', headers={"content-type": "application/json"}
    )
    assert "not valid JSON" in problem(resp, 400)["detail"]
    assert timeline_len(client, op_id) == before


def test_oversized_body_is_413_by_header_and_by_stream(setup: tuple[httpx.Client, str]) -> None:
    client, op_id = setup
    before = timeline_len(client, op_id)
    big = INCIDENT | {"description": "x" * 2_000_000}
    assert problem(client.post(f"/operations/{op_id}/incidents", json=big), 413)["limit"] == 1_048_576

    def chunks():  # no Content-Length: the limit is enforced while reading
        for _ in range(40):
            yield b"x" * 65536

    resp = client.post(f"/operations/{op_id}/incidents", content=chunks(), headers={"content-type": "application/json"})
    problem(resp, 413)
    assert timeline_len(client, op_id) == before


def test_bad_bbox_and_cursor(setup: tuple[httpx.Client, str]) -> None:
    client, op_id = setup
    problem(client.get(f"/operations/{op_id}/incidents", params={"bbox": "1,2,3"}), 422)
    problem(client.get(f"/operations/{op_id}/incidents", params={"cursor": "!!!"}), 422)
    problem(client.get(f"/operations/{op_id}/incidents", params={"limit": 0}), 422)


def test_auth_errors(server: LiveServer, setup: tuple[httpx.Client, str]) -> None:
    _, op_id = setup
    body = problem(server.client().get("/operations"), 401)
    assert "Bearer" in body["detail"]
    problem(server.client("katchi_not-a-token").get(f"/operations/{op_id}"), 401)


def test_unknown_action_and_records(setup: tuple[httpx.Client, str]) -> None:
    client, op_id = setup
    rfa = ok(client.post(f"/operations/{op_id}/rfas", json=RFA), 201)
    problem(client.post(f"/rfas/{rfa['id']}/actions/teleport"), 422)
    problem(client.post("/rfas/nope/actions/submit"), 404)
    problem(client.get("/operations/nope"), 404)
    problem(client.post(f"/rfas/{rfa['id']}/actions/task", json={"asset_id": "nope"}), 409)  # draft: not taskable


def test_participant_and_role_rules(server: LiveServer, world: World, setup: tuple[httpx.Client, str]) -> None:
    _, op_id = setup
    # kor-redcross does not take part: it sees the (alliance) operation as 404 and cannot write into it.
    outsider = server.client(world.tokens["redcross"])
    problem(outsider.get(f"/operations/{op_id}"), 404)
    problem(outsider.post(f"/operations/{op_id}/incidents", json=INCIDENT), 404)
    # viewers read but never write
    viewer = server.client(world.tokens["viewer"])
    ok(viewer.get(f"/operations/{op_id}"))
    problem(viewer.post(f"/operations/{op_id}/incidents", json=INCIDENT), 403)
    # only coordinators open operations and record decisions
    province = server.client(world.tokens["province"])
    problem(province.post("/operations", json={"name": "x", "hazard": "flood"}), 403)
    problem(province.post(f"/operations/{op_id}/decisions", json={"title": "x"}), 403)


def _feature(**properties: Any) -> dict[str, Any]:
    return {"type": "Feature", "geometry": point(), "properties": properties}


@pytest.mark.parametrize(
    ("feature", "kind", "reason"),
    [
        (_feature(kind="산사태", title="x"), "other", None),  # a kind outside [a-z0-9_-]: "other"
        (_feature(kind="Volcano!", title="x"), "other", None),
        (_feature(kind=["fire"], title="x"), "other", None),
        (_feature(kind="fire", title={"en": "x"}), "fire", None),
        ({"type": "Feature", "geometry": point(), "properties": [1]}, None, "properties"),
        ({"type": "Feature", "geometry": point(), "properties": "x"}, None, "properties"),
        ("not a feature", None, "geometry"),
    ],
)
def test_odd_geojson_features_are_imported_as_other_or_skipped_never_a_500(
    setup: tuple[httpx.Client, str], feature: Any, kind: str | None, reason: str | None
) -> None:
    client, op_id = setup
    before = timeline_len(client, op_id)
    body = {"type": "FeatureCollection", "features": [feature]}
    answer = ok(client.post(f"/operations/{op_id}/geojson", json=body), 201)
    if reason is None:
        assert len(answer["created"]) == 1 and answer["skipped"] == []
        assert ok(client.get(f"/incidents/{answer['created'][0]}"))["kind"] == kind
    else:
        assert answer["created"] == [] and reason in answer["skipped"][0]["reason"]
        assert timeline_len(client, op_id) == before


@pytest.mark.parametrize("body", [[1, 2, 3], {"type": "FeatureCollection", "features": {"a": 1}}, "x"])
def test_a_document_that_is_no_feature_collection_answers_422(setup: tuple[httpx.Client, str], body: Any) -> None:
    client, op_id = setup
    problem(client.post(f"/operations/{op_id}/geojson", json=body), 422)


@pytest.mark.parametrize(
    "row",
    [
        "Shelter,inf,127,10",
        "Shelter,37.5,nan,10",
        "Shelter,37.5,127,inf",
        "Shelter,37.5,127,1e400",
        "Shelter,1e400,127,1",
    ],
)
def test_hxl_rows_with_infinite_numbers_are_skipped_never_a_500(setup: tuple[httpx.Client, str], row: str) -> None:
    client, op_id = setup
    before = timeline_len(client, op_id)
    csv = f"name,lat,lon,capacity\n#loc+name,#geo+lat,#geo+lon,#capacity\n{row}\n"
    answer = client.post(f"/operations/{op_id}/hxl/facilities", content=csv, headers={"Content-Type": "text/csv"})
    body = ok(answer, 201)
    assert body["created"] == [] and body["skipped"][0]["row"] == 1, body
    assert timeline_len(client, op_id) == before


@pytest.mark.parametrize("people", ["inf", "1e400", "nan", "-5"])
def test_hxl_needs_with_odd_numbers_never_answer_500(setup: tuple[httpx.Client, str], people: str) -> None:
    client, op_id = setup
    csv = f"sector,people,lat,lon\n#sector,#affected,#geo+lat,#geo+lon\nWASH,{people},37.5,127\n"
    answer = client.post(f"/operations/{op_id}/hxl/needs", content=csv, headers={"Content-Type": "text/csv"})
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize(
    "text", ["\U00015bfb\rõAG", 'a,"b\n#loc+name,#geo+lat\n', "#loc+name,#geo+lat,#geo+lon\nx\x00y,37.5,127\n", ""]
)
def test_hxl_that_is_no_csv_answers_422(setup: tuple[httpx.Client, str], text: str) -> None:
    client, op_id = setup
    for what in ("facilities", "needs"):
        answer = client.post(f"/operations/{op_id}/hxl/{what}", content=text, headers={"Content-Type": "text/csv"})
        assert answer.status_code == 422, answer.text


def test_text_with_nul_characters_answers_422_on_every_database(setup: tuple[httpx.Client, str]) -> None:
    """PostgreSQL cannot store NUL in text; refusing it everywhere keeps SQLite and PostgreSQL alike."""
    client, op_id = setup
    before = timeline_len(client, op_id)
    body = json.dumps(INCIDENT | {"title": "a\u0000b"})  # json.dumps writes NUL as the escape \u0000
    answer = client.post(f"/operations/{op_id}/incidents", content=body, headers={"Content-Type": "application/json"})
    assert answer.status_code == 422 and "NUL" in answer.json()["detail"], answer.text
    escaped = '{"text": "C:\\\\\\\\u0000 is a path, not a NUL"}'  # an escaped backslash, then "u0000"
    ok(client.post(f"/operations/{op_id}/log", content=escaped, headers={"Content-Type": "application/json"}), 201)
    assert timeline_len(client, op_id) == before + 1


def test_nul_in_a_form_a_query_or_a_path_answers_422(server: LiveServer, setup: tuple[httpx.Client, str]) -> None:
    client, op_id = setup
    anon = httpx.Client(base_url=server.url, timeout=10)
    form = anon.post("/login", data={"username": "a\x00b", "password": "x", "csrf_token": "y"})
    assert form.status_code == 422, form.text
    assert client.get(f"/operations/{op_id}/incidents", params={"cursor": "a\x00b"}).status_code == 422
    assert client.get("/operations/a%00b").status_code == 422
