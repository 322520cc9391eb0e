"""COP layers as GeoJSON and KML (releasability exactly as the API), and USGS GeoJSON imported."""

from __future__ import annotations

from pathlib import Path

from katchi.interop.xml import parse_xml
from tests.support.api import create_operation, ok, point
from tests.support.server import LiveServer
from tests.support.world import World

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "geojson"
KML = "{http://www.opengis.net/kml/2.2}"


def test_layers_export_what_each_reader_may_see(server: LiveServer, world: World) -> None:
    coord, us = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    op = create_operation(coord, ["kor-province", "us-liaison"], name="Quake")
    for title, label, client in (("Collapse", "alliance", coord), ("KOR only", "nation:KOR", coord),
                                 ("US only", "nation:USA", us)):  # fmt: skip
        body = {"kind": "building_collapse", "title": title, "severity": "severe", "location": point(), "label": label}
        ok(client.post(f"/operations/{op['id']}/incidents", json=body), 201)
    for client, expected in ((coord, {"Collapse", "KOR only"}), (us, {"Collapse", "US only"})):
        geo = client.get(f"/operations/{op['id']}/layers/incidents.geojson")
        assert geo.status_code == 200 and geo.headers["content-type"] == "application/geo+json"
        fc = geo.json()
        assert fc["type"] == "FeatureCollection"
        assert {f["properties"]["title"] for f in fc["features"]} == expected
        assert all(f["geometry"]["type"] == "Point" for f in fc["features"])
        kml = client.get(f"/operations/{op['id']}/layers/incidents.kml")
        root = parse_xml(kml.content)
        assert {p.findtext(f"{KML}name") for p in root.iter(f"{KML}Placemark")} == expected
    assert coord.get(f"/operations/{op['id']}/layers/secrets.geojson").status_code == 422
    for layer in ("facilities", "rfas", "assets"):
        assert coord.get(f"/operations/{op['id']}/layers/{layer}.geojson").json()["type"] == "FeatureCollection"


def test_usgs_feed_becomes_incidents(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province"], name="Quakes abroad")
    feed = (FIXTURES / "4.5_week.geojson").read_bytes()
    result = ok(
        coord.post(f"/operations/{op['id']}/geojson", content=feed, headers={"Content-Type": "application/json"}), 201
    )
    assert len(result["created"]) == 71 and result["skipped"] == []
    items = coord.get(f"/operations/{op['id']}/incidents", params={"limit": 1000}).json()["items"]
    assert len(items) == 71 and {i["kind"] for i in items} == {"earthquake"}
    assert all(i["title"].startswith("M ") and "Imported from GeoJSON" in i["description"] for i in items)
    bad = coord.post(
        f"/operations/{op['id']}/geojson", content=b'{"type": "Point"}', headers={"Content-Type": "application/json"}
    )
    assert bad.status_code == 422
    broken = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [500, 1]}}],
    }
    assert ok(coord.post(f"/operations/{op['id']}/geojson", json=broken), 201)["skipped"][0]["index"] == 0
