"""The migrations build exactly the schema the models describe (hand-written migrations included)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, text

import katchi.tables
from katchi.db import Database, upgrade_schema


def test_migrations_match_the_models(db: Database) -> None:
    engine = create_engine(db.url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"include_name": katchi.tables.described_by_models}),
                katchi.tables.metadata,
            )
    finally:
        engine.dispose()
    assert diff == []


NOW = datetime(2026, 11, 30, tzinfo=UTC)
BOX = {"min_lon": 0, "min_lat": 0, "max_lon": 0, "max_lat": 0, "location": {}}
STAMPS = {"created_at": NOW, "updated_at": NOW}


def _database_at(tmp_path: Any, revision: str) -> tuple[str, Any, Any]:
    """A SQLite database migrated only up to ``revision``: its URL, engine and tables as they were."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade_schema(url, revision)
    engine = create_engine(url)
    old = MetaData()
    old.reflect(engine)
    return url, engine, old.tables


def test_upgrading_turns_pending_taskings_into_requests(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Before consent, a tasking set its asset ``tasked`` at once; after the upgrade an asset whose
    taskings all still await the owner is ``requested``, so the owner can accept (not a 409)."""
    url, engine, t = _database_at(tmp_path, "e5b8d2f4a613")
    with engine.begin() as conn:
        org = {"id": "o", "slug": "kor-army", "name_en": "ROKA", "name_ko": "ROKA", "nation": "KOR", "kind": "military"}
        conn.execute(t["organisations"].insert(), [org | {"created_at": NOW}])
        conn.execute(
            t["operations"].insert(),
            [{"id": "op", "name": "x", "mode": "real", "hazard": "flood", "status": "active", "description": "",
              "lead_org_id": "o", "label": "alliance", "created_at": NOW}],
        )  # fmt: skip
        for aid, tstatus in (("pending", "tasked"), ("busy", "accepted")):
            common = {"capability": "water_purification", "label": "alliance"} | STAMPS
            conn.execute(
                t["assets"].insert(),
                [{"id": aid, "org_id": "o", "name": aid, "capacity": 1, "status": "tasked", "home_base": "",
                  "speed_kmh": 60} | BOX | common],
            )  # fmt: skip
            conn.execute(
                t["rfas"].insert(),
                [{"id": f"r-{aid}", "operation_id": "op", "requesting_org_id": "o", "title": "t", "description": "",
                  "quantity": 1, "priority": "high", "state": "tasked"} | BOX | common],
            )  # fmt: skip
            conn.execute(
                t["taskings"].insert(),
                [{"id": f"t-{aid}", "operation_id": "op", "rfa_id": f"r-{aid}", "asset_id": aid, "status": tstatus,
                  "last_resort": {}, "label": "alliance"} | STAMPS],
            )  # fmt: skip
    upgrade_schema(url)
    with engine.connect() as conn:
        statuses = dict(conn.execute(text("SELECT id, status FROM assets")).all())
    engine.dispose()
    assert statuses == {"pending": "requested", "busy": "tasked"}


def test_upgrading_gives_earlier_exercise_assets_to_their_exercise(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An "[EX] " asset of an earlier run goes to the exercise that last tasked it, else to the
    newest exercise its organisation takes part in; a real asset, or an unused one, stays real."""
    url, engine, t = _database_at(tmp_path, "c2d8e4f6a173")
    with engine.begin() as conn:
        for oid in ("o1", "o2"):
            conn.execute(
                t["organisations"].insert(),
                [
                    {
                        "id": oid,
                        "slug": oid,
                        "name_en": oid,
                        "name_ko": oid,
                        "nation": "KOR",
                        "kind": "civil",
                        "created_at": NOW,
                    }
                ],
            )
        for op_id, mode in (("op1", "exercise"), ("op2", "exercise"), ("op3", "real")):
            conn.execute(
                t["operations"].insert(),
                [
                    {
                        "id": op_id,
                        "name": op_id,
                        "mode": mode,
                        "hazard": "flood",
                        "status": "active",
                        "description": "",
                        "lead_org_id": "o1",
                        "label": "alliance",
                        "created_at": NOW,
                    }
                ],
            )
            conn.execute(
                t["operation_participants"].insert(), [{"operation_id": op_id, "org_id": "o1", "coordinating": True}]
            )
        for aid, name, org in (
            ("a", "[EX] A", "o1"),
            ("b", "[EX] B", "o1"),
            ("c", "[EX] C", "o2"),
            ("r", "Real", "o1"),
        ):
            conn.execute(
                t["assets"].insert(),
                [
                    {
                        "id": aid,
                        "org_id": org,
                        "name": name,
                        "capacity": 1,
                        "status": "available",
                        "home_base": "",
                        "speed_kmh": 60,
                        "capability": "water_purification",
                        "label": "alliance",
                    }
                    | BOX
                    | STAMPS
                ],
            )
        conn.execute(
            t["rfas"].insert(),
            [
                {
                    "id": "rf",
                    "operation_id": "op1",
                    "requesting_org_id": "o1",
                    "title": "t",
                    "description": "",
                    "quantity": 1,
                    "priority": "high",
                    "state": "tasked",
                    "capability": "water_purification",
                    "label": "alliance",
                }
                | BOX
                | STAMPS
            ],
        )
        conn.execute(
            t["taskings"].insert(),
            [
                {
                    "id": "tk",
                    "operation_id": "op1",
                    "rfa_id": "rf",
                    "asset_id": "a",
                    "status": "completed",
                    "last_resort": {},
                    "label": "alliance",
                }
                | STAMPS
            ],
        )
    upgrade_schema(url)
    with engine.connect() as conn:
        owners = dict(conn.execute(text("SELECT id, operation_id FROM assets")).all())
    engine.dispose()
    assert owners == {"a": "op1", "b": "op2", "c": None, "r": None}


def test_upgrading_places_earlier_incidents_in_their_municipality(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Incidents reported before districts existed are placed by their location on upgrade."""
    url, engine, t = _database_at(tmp_path, "7a3e5c19b2d4")
    with engine.begin() as conn:
        org = {"id": "o", "slug": "kor-cmoc", "name_en": "x", "name_ko": "x", "nation": "KOR", "kind": "civil"}
        conn.execute(t["organisations"].insert(), [org | {"created_at": NOW}])
        conn.execute(
            t["operations"].insert(),
            [{"id": "op", "name": "x", "mode": "real", "hazard": "earthquake", "status": "active", "description": "",
              "lead_org_id": "o", "label": "alliance", "created_at": NOW}],
        )  # fmt: skip
        for iid, lon, lat in (("seoul", 126.9770, 37.5796), ("tokyo", 139.69, 35.69)):
            conn.execute(
                t["incidents"].insert(),
                [{"id": iid, "operation_id": "op", "kind": "collapse", "title": iid, "description": "",
                  "severity": "severe", "status": "open", "people_affected": 0, "reported_by_org_id": "o",
                  "location": {"type": "Point", "coordinates": [lon, lat]}, "min_lon": lon, "max_lon": lon,
                  "min_lat": lat, "max_lat": lat, "label": "alliance"} | STAMPS],
            )  # fmt: skip
    upgrade_schema(url)
    with engine.connect() as conn:
        placed = dict(conn.execute(text("SELECT id, district_code FROM incidents")).all())
    engine.dispose()
    assert placed == {"seoul": "11010", "tokyo": None}
