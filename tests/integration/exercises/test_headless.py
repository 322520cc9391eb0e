"""Headless runs through Katchi's commands: reproducible log hash, metrics read back from the log,
everything marked as exercise, injects on time, releasability kept, an intact audit chain."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

import katchi.tables  # noqa: F401
from katchi.assets import Asset
from katchi.cop import Incident
from katchi.db import Database
from katchi.eventlog import LogEntry, verify_log
from katchi.exercises import load_scenario
from katchi.exercises.run import run_engine_only, run_headless
from katchi.operations import Operation
from katchi.tasking import Rfa, Tasking

SMALL = load_scenario(Path(__file__).resolve().parents[2] / "fixtures" / "scenario-small.yaml")
FOUR_HOURS = 240.0


def test_same_seed_same_log_hash_another_seed_another() -> None:
    a = run_headless(SMALL, "nearest-available", until_min=FOUR_HOURS).metrics
    b = run_headless(SMALL, "nearest-available", until_min=FOUR_HOURS).metrics
    assert a["log_sha256"] == b["log_sha256"] and len(a["log_sha256"]) == 64
    assert a["operation_id"] != b["operation_id"]  # different ids, same canonical log
    c = run_headless(SMALL.model_copy(update={"seed": 8}), "nearest-available", until_min=FOUR_HOURS).metrics
    assert c["log_sha256"] != a["log_sha256"]


def test_greedy_beats_none_through_the_platform() -> None:
    none = run_headless(SMALL, "none", until_min=FOUR_HOURS).metrics
    greedy = run_headless(SMALL, "nearest-available", until_min=FOUR_HOURS).metrics
    assert none["rfas"] == greedy["rfas"] > 0
    assert greedy["needs_met_share"] > none["needs_met_share"] == 0
    assert greedy["unmet_urgent_need_hours"] < none["unmet_urgent_need_hours"]
    assert greedy["survivors_rescued"] > none["survivors_rescued"] == 0
    assert none["rfa_tasked_p50_min"] is None and greedy["rfa_tasked_p50_min"] is not None


def test_a_run_into_the_database(db_url: str) -> None:
    result = run_headless(SMALL, "nearest-available", until_min=6 * 60, database_url=db_url)
    m = result.metrics
    engine_only = run_engine_only(SMALL, "nearest-available", 6 * 60).metrics
    for key in (
        "rfas",
        "needs_met_share",
        "unmet_urgent_need_hours",
        "rfa_tasked_p50_min",
        "rfa_completed_p90_min",
        "taskings",
        "military_share_of_taskings",
        "survivors_rescued",
        "deaths",
    ):
        assert m[key] == engine_only[key], key  # read back from the log = what the engine did
    db = Database(db_url)
    try:
        assert verify_log(db).ok
        with db.read() as s:
            op = s.get(Operation, m["operation_id"])
            assert op is not None and op.mode == "exercise" and "EXERCISE" in op.description
            entries = s.scalars(select(LogEntry).where(LogEntry.source == "sim").order_by(LogEntry.seq)).all()
            assert entries and {e.source for e in s.scalars(select(LogEntry)).all()} == {"sim"}
            assert {e.operation_id for e in entries if e.operation_id} == {op.id}
            incidents = s.scalars(select(Incident)).all()
            assert len(incidents) == m["incidents"] and {i.operation_id for i in incidents} == {op.id}
            assert {r.operation_id for r in s.scalars(select(Rfa)).all()} == {op.id}
            assets = s.scalars(select(Asset)).all()
            assert len(assets) == m["assets"] and all(a.name.startswith("[EX] ") for a in assets)
            start = SMALL.start
            for inj in SMALL.injects:
                hits = [
                    e for e in entries if e.kind == "exercises.inject.delivered" and e.payload["title"] == inj.title
                ]
                assert len(hits) == 1, inj.title
                assert hits[0].occurred_at == start + inj.at
                assert hits[0].label == inj.label
            us_only = next(e for e in entries if e.kind == "exercises.inject.delivered" and e.label == "nation:USA")
            assert us_only.actor_label.startswith("sim-t-usfk")
            hidden = {a.id for a in assets if a.label == "nation:USA"}
            assert hidden and not [t for t in s.scalars(select(Tasking)).all() if t.asset_id in hidden]
            overloads = [i for i in incidents if i.kind == "hospital_overload"]
            assert overloads
    finally:
        db.dispose()


def test_each_run_plays_twins_of_its_own(db_url: str) -> None:
    """An exercise's assets belong to it: a second run registers its own and never touches the
    first run's (nor any real asset)."""
    first = run_headless(SMALL, "nearest-available", until_min=60, database_url=db_url).metrics
    second = run_headless(SMALL, "nearest-available", until_min=60, database_url=db_url).metrics
    assert first["operation_id"] != second["operation_id"]
    db = Database(db_url)
    try:
        with db.read() as s:
            assets = s.scalars(select(Asset)).all()
            by_op = {
                op: [a for a in assets if a.operation_id == op]
                for op in (first["operation_id"], second["operation_id"])
            }
            assert len(by_op[first["operation_id"]]) == len(by_op[second["operation_id"]]) == first["assets"]
            assert all(a.operation_id is not None for a in assets)  # no real asset was made or used
            tasked = {t.asset_id: t.operation_id for t in s.scalars(select(Tasking)).all()}
            owner = {a.id: a.operation_id for a in assets}
            assert all(owner[asset] == op for asset, op in tasked.items())  # each run tasks only its own
            assert verify_log(db).ok
    finally:
        db.dispose()
    assert timedelta(minutes=60) < SMALL.duration


def test_the_scenario_names_its_lead_and_coordinators_and_the_run_records_its_results(db_url: str) -> None:
    """``lead`` and ``coordinators`` of a scenario become the exercise operation's lead and
    co-coordinators; the run loads its injects as the MSEL, and records what it measured for the
    after-action report, each objective by its id."""
    from katchi.exercises.models import ExerciseInject
    from katchi.operations import coordinating_slugs, operation_read

    scenario = SMALL.model_copy(update={"lead": "t-fire", "coordinators": ["t-usfk"]})
    m = run_headless(scenario, "nearest-available", until_min=300, database_url=db_url).metrics
    db = Database(db_url)
    try:
        with db.read() as s:
            op = s.get(Operation, m["operation_id"])
            assert op is not None
            assert operation_read(s, op).lead == "t-fire"
            assert sorted(coordinating_slugs(s, op.id)) == ["t-fire", "t-usfk"]
            msel = s.scalars(select(ExerciseInject).where(ExerciseInject.operation_id == op.id)).all()
            assert [(i.number, i.status, i.source) for i in sorted(msel, key=lambda i: i.number)] == [
                (n, "delivered", "scenario") for n in range(1, len(SMALL.injects) + 1)
            ]
            finished = s.scalars(
                select(LogEntry).where(LogEntry.operation_id == op.id, LogEntry.kind == "exercises.run.finished")
            ).one()
            assert [o["id"] for o in finished.payload["objectives"]] == ["O1", "O2"]
            # Shared with every participant: the model's figures, never counts of records.
            assert finished.payload["metrics"]["deaths"] == m["deaths"]
            assert not {"rfas", "incidents", "taskings", "assets", "rfa_tasked_p50_min"} & set(
                finished.payload["metrics"]
            )
            assert "value" not in finished.payload["objectives"][0]  # rfa_tasked_p50_min: each reader's own
    finally:
        db.dispose()
