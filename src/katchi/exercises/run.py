"""Headless runs: play a scenario into a database as fast as possible and measure the result."""

from __future__ import annotations

import hashlib
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.db import Database, upgrade_schema
from katchi.eventlog import LogEntry, LogHead, transaction
from katchi.exercises.aar import objective_met
from katchi.exercises.engine import Delivery, Engine, Hospital, NullSink, Sink, Unit
from katchi.exercises.metrics import RfaTimes, from_log, from_needs, summarise
from katchi.exercises.platform import ServiceSink, setup_world
from katchi.exercises.policies import make_policy
from katchi.exercises.prepare import Prepared, hospitals_of, prepare, units_of, visible_to_lead
from katchi.exercises.scenario import Scenario

_ID = re.compile(r"^[0-9a-f]{32}$")


def canonical_log_sha256(session: Session, after_seq: int) -> str:
    """SHA-256 of the log entries after ``after_seq``, with what varies between equal runs taken
    out: ids become their order of first appearance, wall-clock ``recorded_at`` and the chain hash
    (which covers both) are left out. Equal seeds therefore give equal hashes."""
    ids: dict[str, str] = {}

    def norm(value: Any) -> Any:
        if isinstance(value, str) and _ID.match(value):
            return ids.setdefault(value, f"#{len(ids)}")
        if isinstance(value, dict):
            return {k: norm(v) for k, v in value.items()}
        if isinstance(value, list):
            return [norm(v) for v in value]
        return value

    digest = hashlib.sha256()
    rows = session.execute(
        select(
            LogEntry.kind,
            LogEntry.occurred_at,
            LogEntry.subject_type,
            LogEntry.subject_id,
            LogEntry.label,
            LogEntry.actor_id,
            LogEntry.actor_label,
            LogEntry.source,
            LogEntry.payload,
        )
        .where(LogEntry.seq > after_seq)
        .order_by(LogEntry.seq)
    )
    for kind, at, stype, sid, label, actor, actor_label, source, payload in rows:
        line = [kind, at.isoformat(), stype, norm(sid), label, norm(actor), actor_label, source, norm(payload)]
        digest.update(orjson.dumps(line, option=orjson.OPT_SORT_KEYS))
        digest.update(b"\n")
    return digest.hexdigest()


@dataclass
class RunResult:
    """A finished run: its metrics line and what the after-action report draws from."""

    metrics: dict[str, Any]
    prepared: Prepared
    units: list[Unit]
    hospitals: list[Hospital]
    times: list[RfaTimes]


def _impact_figures(prepared: Prepared) -> dict[str, Any]:
    t = prepared.totals
    return {
        "deaths": t.deaths,
        "injured": t.injured,
        "buildings_collapsed": t.buildings_collapsed,
        "displaced": t.displaced,
        "trapped": t.trapped,
    }


def engine_for(
    prepared: Prepared,
    policy: str,
    sink: Sink,
    units: list[Unit],
    hospitals: list[Hospital],
    *,
    played: frozenset[str] = frozenset(),
    coordination_played: bool = False,
    adopt_every_min: float | None = None,
    injects: Sequence[Delivery] | None = None,
) -> Engine:
    """The engine for a prepared scenario: its needs, injects, hospitals, seed and releasability;
    ``played``: organisations people play (see ``Engine``); ``injects``: the exercise's MSEL as
    loaded into Katchi (default: the scenario's own, for a run without Katchi)."""
    sc = prepared.scenario
    if injects is None:
        injects = [Delivery(i.at, i.kind, i.title, i.payload, i.label) for i in sc.injects]
    return Engine(
        prepared.needs,
        units,
        make_policy(policy),
        sink,
        prepared.until_min,
        sc.seed,
        injects=injects,
        hospitals=hospitals,
        visible=visible_to_lead(sc),
        onset_min=prepared.onset_min,
        played=played,
        coordination_played=coordination_played,
        adopt_every_min=adopt_every_min,
    )


def run_engine_only(scenario: Scenario, policy: str, until_min: float | None = None) -> RunResult:
    """The engine with a sink that drops everything: the model's own speed and results."""
    prepared = prepare(scenario, until_min)
    units, hospitals = units_of(scenario), hospitals_of(scenario)
    engine = engine_for(prepared, policy, NullSink(), units, hospitals)
    t0 = time.perf_counter()
    engine.run()
    wall = time.perf_counter() - t0
    times = from_needs(prepared.needs, prepared.until_min)
    metrics = metrics_of(scenario, policy, prepared, engine, times, wall, incidents=None, log_sha256=None)
    return RunResult(metrics, prepared, units, hospitals, times)


def run_headless(
    scenario: Scenario,
    policy: str,
    *,
    until_min: float | None = None,
    database_url: str | None = None,
    operation_name: str | None = None,
    batch: int = 5000,
) -> RunResult:
    """Play the scenario through Katchi's commands into ``database_url`` (default: a fresh SQLite
    file in a temporary directory) and measure the run from the event log."""
    with tempfile.TemporaryDirectory(prefix="katchi-exercise-") as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'exercise.db'}"
        if database_url is None:
            upgrade_schema(url)
        db = Database(url)
        try:
            return _play(db, scenario, policy, until_min, operation_name, batch)
        finally:
            db.dispose()


def _play(
    db: Database, scenario: Scenario, policy: str, until_min: float | None, operation_name: str | None, batch: int
) -> RunResult:
    prepared = prepare(scenario, until_min)
    units, hospitals = units_of(scenario), hospitals_of(scenario)
    name = operation_name or f"EXERCISE {scenario.name} (seed {scenario.seed})"
    with transaction(db) as session:
        head = session.scalar(select(LogHead.seq).where(LogHead.id == 1)) or 0
        world = setup_world(session, scenario, name, units, hospitals)
    sink = ServiceSink(db, world, batch=batch)
    engine = engine_for(prepared, policy, sink, units, hospitals, injects=world.msel)
    t0 = time.perf_counter()
    engine.run()
    sink.close()
    wall = time.perf_counter() - t0
    with db.read() as session:
        times, incidents = from_log(session, world.operation_id, world.start)
        log_hash = canonical_log_sha256(session, head)
    metrics = metrics_of(scenario, policy, prepared, engine, times, wall, incidents=incidents, log_sha256=log_hash)
    metrics["operation_id"] = world.operation_id
    metrics["commands"] = sink.commands
    metrics["refused_commands"] = sink.refused
    sink.results(prepared.until_min, metrics, objective_results(scenario, metrics))
    return RunResult(metrics, prepared, units, hospitals, times)


def metrics_of(
    scenario: Scenario,
    policy: str,
    prepared: Prepared,
    engine: Engine,
    times: list[RfaTimes],
    wall: float,
    *,
    incidents: int | None,
    log_sha256: str | None = None,
) -> dict[str, Any]:
    """The JSON line of a run: identity, speed, response metrics, impact totals, objectives."""
    summary = summarise(times, prepared.until_min)
    sim_hours = prepared.until_min / 60
    out: dict[str, Any] = {
        "scenario": scenario.name,
        "policy": make_policy(policy).name,
        "seed": scenario.seed,
        "sim_hours": round(sim_hours, 2),
        "wall_s": round(wall, 3),
        "sim_speedup": round(sim_hours * 3600 / wall) if wall > 0 else None,
        "sim_events": engine.events,
        "incidents": incidents if incidents is not None else len(times),
        **summary,
        "survivors_rescued": sum(n.rescued for n in prepared.needs),
        "asset_utilisation": round(engine.utilisation(), 4),
        "assets": len(engine.units),
        # In a live exercise people act too: the simulator's steps they took first, and the
        # requests they took over.
        "skipped_actions": dict(sorted(engine.skipped.items())),
        "needs_left_to_people": engine.left_to_people,
        "units_taken_by_people": engine.units_taken,
        **_impact_figures(prepared),
        "log_sha256": log_sha256,
    }
    out["objectives"] = {
        f"{o.metric} {'<=' if o.direction == 'max' else '>='} {o.target:g}": _objective_met(out.get(o.metric), o)
        for o in scenario.objectives
    }
    return out


def objective_results(scenario: Scenario, metrics: dict[str, Any]) -> list[dict[str, Any]]:
    """Each objective with the value the run measured and whether it met its target."""
    return [
        {
            **o.model_dump(),
            "value": metrics.get(o.metric),
            "met": _objective_met(metrics.get(o.metric), o),
        }
        for o in scenario.objectives
    ]


def _objective_met(value: Any, objective: Any) -> bool:
    return objective_met(value, objective.target, objective.direction)
