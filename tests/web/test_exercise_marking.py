"""Everything that leaves Katchi from an exercise operation says EXERCISE: GeoJSON, KML, every HXL
export and the CoT markers TAK devices get; a real operation's exports say nothing of the kind."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
from lxml import etree

from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.interop.tak import register_device
from tests.support.api import create_operation, ok, point
from tests.support.cot import pli
from tests.support.server import LiveServer
from tests.support.tak import Client
from tests.support.world import World

KML = "{http://www.opengis.net/kml/2.2}"


def _operation_with_records(coord: httpx.Client, owner: httpx.Client, **extra: Any) -> str:
    """An operation with an incident, a facility and an RFA tasked to an asset (so every export,
    taskings and 3W included, has rows)."""
    op = create_operation(coord, ["kor-army", "kor-province", "kor-redcross"], **extra)
    where = {"location": point()}
    fire = {"kind": "fire", "title": "Fire", "severity": "minor"} | where
    ok(coord.post(f"/operations/{op['id']}/incidents", json=fire), 201)
    ok(coord.post(f"/operations/{op['id']}/facilities", json={"kind": "shelter", "name": "Gym"} | where), 201)
    need = {"title": "Water", "capability": "water_trucking", "submit": True} | where
    rfa = ok(coord.post(f"/operations/{op['id']}/rfas", json=need), 201)
    ok(coord.post(f"/rfas/{rfa['id']}/actions/validate", json={}))
    register = f"/operations/{op['id']}/assets" if extra.get("mode") == "exercise" else "/assets"
    tanker = ok(owner.post(register, json={"name": "Tanker", "capability": "water_trucking"} | where), 201)
    ok(coord.post(f"/rfas/{rfa['id']}/actions/task", json={"asset_id": tanker["id"]}))
    return str(op["id"])


def _marked(coord: httpx.Client, op_id: str) -> dict[str, bool]:
    out = {}
    for layer in ("incidents", "rfas", "facilities"):
        geo = ok(coord.get(f"/operations/{op_id}/layers/{layer}.geojson"))
        assert geo["features"]
        out[f"{layer}.geojson"] = geo.get("exercise") is True and all(
            f["properties"].get("exercise") is True for f in geo["features"]
        )
        kml = etree.fromstring(coord.get(f"/operations/{op_id}/layers/{layer}.kml").content)
        names = [n.text or "" for n in kml.iter(f"{KML}name")]
        out[f"{layer}.kml"] = len(names) > 1 and all(n.startswith("EXERCISE") for n in names)
    for what in ("incidents", "rfas", "facilities", "taskings", "3w"):
        rows = list(csv.reader(io.StringIO(coord.get(f"/operations/{op_id}/hxl/{what}.csv").text)))
        column = rows[1].index("#meta+exercise") if "#meta+exercise" in rows[1] else None
        assert rows[2:], what  # every export has rows to mark
        out[f"{what}.csv"] = column is not None and all(r[column] == "EXERCISE" for r in rows[2:])
    return out


def test_exports_of_an_exercise_say_exercise_and_a_real_operations_do_not(world: World, server: LiveServer) -> None:
    coord, owner = server.client(world.tokens["coord"]), server.client(world.tokens["redcross"])
    drill = _operation_with_records(coord, owner, mode="exercise", name="Drill")
    real = _operation_with_records(coord, owner, name="Flood")
    assert all(_marked(coord, drill).values()), _marked(coord, drill)
    assert not any(_marked(coord, real).values()), _marked(coord, real)


def test_tak_markers_of_an_exercise_say_exercise(db: Database, world: World, server: LiveServer, gateway: int) -> None:
    coord = server.client(world.tokens["coord"])
    with transaction(db) as s:
        register_device(s, Context(None, source="test"), "ANDROID-KOR-1", "roka")
    owner = server.client(world.tokens["redcross"])
    drill = _operation_with_records(coord, owner, mode="exercise", name="Drill")
    _operation_with_records(coord, owner, name="Flood")  # its markers must not say EXERCISE
    device = Client(gateway)
    device.send(pli("ANDROID-KOR-1", 37.5, 127.0))
    assert device.wait_for(b"TakControl")
    live = ok(
        coord.post(
            f"/operations/{drill}/incidents",
            json={"kind": "fire", "title": "Live fire", "severity": "minor", "location": point()},
        ),
        201,
    )
    assert device.wait_for(f"katchi-incident-{live['id']}".encode())
    events = [e for e in device.buf.split(b"</event>") if b"katchi-incident-" in e or b"katchi-rfa-" in e]
    drill_ids = {i["id"] for i in coord.get(f"/operations/{drill}/incidents").json()["items"]} | {
        r["id"] for r in coord.get(f"/operations/{drill}/rfas").json()["items"]
    }
    for event in events:
        in_drill = any(i.encode() in event for i in drill_ids)
        assert (b'callsign="EXERCISE' in event and b"<remarks>EXERCISE" in event) == in_drill, event
    assert any(any(i.encode() in e for i in drill_ids) for e in events)
    assert any(not any(i.encode() in e for i in drill_ids) for e in events)  # the real operation's, unmarked
