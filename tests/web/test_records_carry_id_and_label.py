"""Every record in every list and get carries its ``id`` and ``label`` (the public contract)."""

from __future__ import annotations

from tests.support.api import create_operation, ok, point
from tests.support.server import LiveServer
from tests.support.world import World


def test_every_listed_record_has_id_and_label(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    usav = server.client(world.tokens["usav"])
    op = create_operation(coord, ["us-aviation"])
    o = op["id"]
    ok(coord.post(f"/operations/{o}/log", json={"text": "x"}), 201)
    ok(coord.post(f"/operations/{o}/decisions", json={"title": "x"}), 201)
    ok(coord.post(f"/operations/{o}/messages", json={"text": "x"}), 201)
    ok(
        coord.post(
            f"/operations/{o}/incidents", json={"kind": "fire", "title": "x", "severity": "minor", "location": point()}
        ),
        201,
    )
    fac = ok(coord.post(f"/operations/{o}/facilities", json={"kind": "shelter", "name": "x", "location": point()}), 201)
    contact = {"name": "x", "organisation": "kor-cmoc", "phone": "010-1234-5678"}
    lno = ok(coord.post(f"/operations/{o}/contacts", json=contact), 201)
    heli = ok(usav.post("/assets", json={"name": "x", "capability": "medium_helicopter", "location": point()}), 201)
    rfa = ok(
        coord.post(
            f"/operations/{o}/rfas",
            json={"title": "x", "capability": "medium_helicopter", "location": point(), "submit": True},
        ),
        201,
    )
    ok(coord.post(f"/rfas/{rfa['id']}/actions/validate"))
    ok(coord.post(f"/rfas/{rfa['id']}/actions/task", json={"asset_id": heli["id"], "justification": "x"}))
    plan = {"name": {"en": "x"}, "hazard": "flood", "area": point(), "nations": ["KOR"]}
    p = ok(coord.post("/plans", json=plan), 201)["id"]
    ok(coord.post(f"/plans/{p}/comments", json={"text": "x"}), 201)
    lists = ["/operations", "/assets", "/capabilities", "/organisations", "/plans", f"/plans/{p}/comments"] + [
        f"/operations/{o}/{p}"
        for p in ("log", "decisions", "messages", "incidents", "facilities", "contacts", "rfas", "taskings", "timeline")
    ]
    for path in lists:
        got = ok(coord.get(path))["items"]
        assert got, path
        assert all(item.get("id") and item.get("label") for item in got), path
    for path in (
        f"/operations/{o}",
        f"/rfas/{rfa['id']}",
        f"/assets/{heli['id']}",
        f"/plans/{p}",
        f"/facilities/{fac['id']}",
        f"/contacts/{lno['id']}",
    ):
        body = ok(coord.get(path))
        assert body["id"] and body["label"], path
