"""HXL: facilities in from an HXL CSV, every export with correct hashtags, a round trip through
another operation, and cells that would run as spreadsheet formulas neutralised."""

from __future__ import annotations

import csv
import io

from katchi.interop.hxl import neutralise, read_hxl
from tests.support.api import create_operation, ok, point
from tests.support.server import LiveServer
from tests.support.world import World

SHELTERS = """Shelter,Type,Capacity,Latitude,Longitude
#loc+name,#loc+type,#capacity,#geo+lat,#geo+lon
Gangnam Sports Complex,shelter,800,37.5006,127.0590
Severance Hospital,hospital,300,37.5622,126.9408
No position,shelter,100,,
"""
CSV = {"Content-Type": "text/csv"}


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_facilities_in_exports_out_and_round_trip(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province", "kor-redcross", "us-aviation"], name="Quake")
    made = ok(coord.post(f"/operations/{op['id']}/hxl/facilities", content=SHELTERS.encode(), headers=CSV), 201)
    assert len(made["created"]) == 2 and made["skipped"][0]["row"] == 3
    out = coord.get(f"/operations/{op['id']}/hxl/facilities.csv")
    assert out.status_code == 200 and out.headers["content-type"].startswith("text/csv")
    table = rows(out.text)
    assert table[1][:3] == ["#loc+name", "#loc+type", "#capacity"]
    copy = create_operation(coord, ["kor-province"], name="Copy")
    again = ok(coord.post(f"/operations/{copy['id']}/hxl/facilities", content=out.content, headers=CSV), 201)
    assert len(again["created"]) == 2 and again["skipped"] == []
    names = {
        f["name"]: (f["kind"], f["capacity"]) for f in coord.get(f"/operations/{copy['id']}/facilities").json()["items"]
    }
    assert names == {"Gangnam Sports Complex": ("shelter", 800), "Severance Hospital": ("hospital", 300)}
    # Incidents, RFAs, taskings and 3W.
    formula = {"kind": "fire", "title": '=HYPERLINK("http://x")', "severity": "severe", "location": point()}
    ok(coord.post(f"/operations/{op['id']}/incidents", json=formula), 201)
    red = server.client(world.tokens["redcross"])
    asset = ok(
        red.post("/assets", json={"name": "KRCS shelter 1", "capability": "emergency_shelter", "location": point()}),
        201,
    )
    prov = server.client(world.tokens["province"])
    body = {"title": "+Tents", "capability": "emergency_shelter", "location": point(127.0, 37.5), "submit": True}
    rfa = ok(prov.post(f"/operations/{op['id']}/rfas", json=body), 201)
    ok(coord.post(f"/rfas/{rfa['id']}/actions/validate", json={}))
    ok(coord.post(f"/rfas/{rfa['id']}/actions/task", json={"asset_id": asset["id"]}))
    incidents = rows(coord.get(f"/operations/{op['id']}/hxl/incidents.csv").text)
    assert incidents[1][0] == "#event+id" and incidents[2][1] == '\'=HYPERLINK("http://x")'
    rfas = rows(coord.get(f"/operations/{op['id']}/hxl/rfas.csv").text)
    assert rfas[2][1] == "'+Tents" and "#geo+lat" in rfas[1]
    taskings = rows(coord.get(f"/operations/{op['id']}/hxl/taskings.csv").text)
    assert taskings[2][3:5] == ["KRCS shelter 1", "kor-redcross"]
    three_w = rows(coord.get(f"/operations/{op['id']}/hxl/3w.csv").text)
    assert three_w[1][:2] == ["#org+implementing", "#sector+capability"]
    assert three_w[2][:4] == ["kor-redcross", "emergency_shelter", "1", "0"]
    for table in (incidents, rfas, taskings, three_w):
        out_csv = io.StringIO()
        csv.writer(out_csv, quoting=csv.QUOTE_ALL).writerows(table)
        assert read_hxl(out_csv.getvalue()).columns
    assert coord.get(f"/operations/{op['id']}/hxl/secrets.csv").status_code == 422
    untagged = coord.post(f"/operations/{op['id']}/hxl/facilities", content=b"a,b\n1,2\n", headers=CSV)
    assert untagged.status_code == 422


def test_neutralise() -> None:
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(cell) == "'" + cell
    assert neutralise("Seoul") == "Seoul" and neutralise(None) == "" and neutralise(3) == "3"


NEEDS = """Place,Sector,People in need,Latitude,Longitude
#loc+name,#sector,#inneed,#geo+lat,#geo+lon
Gangnam-gu,Shelter,1200,37.5172,127.0473
Mapo-gu,WASH,800,37.5663,126.9019
Jongno-gu,Astrology,5,37.5730,126.9794
Nowhere,Health,10,,
"""


def test_needs_come_in_as_rfas(server: LiveServer, world: World) -> None:
    province = server.client(world.tokens["province"])
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province"], name="Needs")
    made = ok(province.post(f"/operations/{op['id']}/hxl/needs", content=NEEDS.encode(), headers=CSV), 201)
    assert len(made["created"]) == 2
    assert [s["row"] for s in made["skipped"]] == [3, 4] and "Astrology".lower() in made["skipped"][0]["reason"]
    rfas = {r["title"]: r for r in coord.get(f"/operations/{op['id']}/rfas").json()["items"]}
    assert rfas["shelter: Gangnam-gu"]["capability"] == "emergency_shelter"
    assert rfas["shelter: Gangnam-gu"]["quantity"] == 1200 and rfas["shelter: Gangnam-gu"]["state"] == "submitted"
    assert rfas["wash: Mapo-gu"]["requesting_org"] == "kor-province"
