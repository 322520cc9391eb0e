"""The engine with the model alone: reproducible, injects on time, the greedy policy beats doing
nothing, military assets only as a last resort, and invisible assets never tasked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from katchi.exercises import load_scenario
from katchi.exercises.engine import Hospital, NullSink, Outcome, Unit
from katchi.exercises.needs import Need
from katchi.exercises.prepare import hospitals_of, prepare, units_of
from katchi.exercises.run import engine_for, run_engine_only
from katchi.exercises.scenario import Inject

ROOT = Path(__file__).resolve().parents[3]
SEOUL = load_scenario(ROOT / "scenarios" / "seoul-earthquake.yaml")
SMALL = load_scenario(ROOT / "tests" / "fixtures" / "scenario-small.yaml")


class Recorder(NullSink):
    """Remembers every action with its simulated time, and which units were free at each tasking."""

    def __init__(self) -> None:
        self.actions: list[tuple[float, str, Any]] = []
        self.free_civil_at_military_tasking: list[int] = []
        self.units: list[Unit] = []

    def task(self, t: float, need: Need, unit: Unit) -> Outcome:
        self.actions.append((t, "task", (need.index, unit.index)))
        if unit.military:
            self.free_civil_at_military_tasking.append(
                sum(1 for u in self.units if not u.military and not u.busy and u.capability == unit.capability)
            )
        return Outcome.done

    def complete(self, t: float, need: Need, unit: Unit) -> Outcome:
        self.actions.append((t, "complete", need.index))
        return Outcome.done

    def inject(self, t: float, inject: Inject) -> None:
        self.actions.append((t, "inject", inject.title))

    def hospital_overloaded(self, t: float, hospital: Hospital) -> None:
        self.actions.append((t, "overload", hospital.name))


def play(scenario: Any, policy: str = "nearest-available") -> tuple[Recorder, Any]:
    prepared = prepare(scenario)
    units, hospitals = units_of(scenario), hospitals_of(scenario)
    sink = Recorder()
    sink.units = units
    engine = engine_for(prepared, policy, sink, units, hospitals)
    engine.run()
    return sink, engine


def test_same_seed_same_run_and_another_seed_differs() -> None:
    a, b = play(SMALL)[0].actions, play(SMALL)[0].actions
    assert a == b and len(a) > 50
    c = play(SMALL.model_copy(update={"seed": 8}))[0].actions
    assert c != a


def test_injects_arrive_at_their_simulated_time() -> None:
    sink, _ = play(SMALL)
    injects = [(t, title) for t, kind, title in sink.actions if kind == "inject"]
    assert injects == [(i.at.total_seconds() / 60, i.title) for i in SMALL.injects]


def test_greedy_beats_none_on_every_metric() -> None:
    for scenario in (SEOUL, SMALL):
        none = run_engine_only(scenario, "none").metrics
        greedy = run_engine_only(scenario, "nearest-available").metrics
        assert none["needs_met_share"] == 0 and none["rfa_tasked_p50_min"] is None
        assert greedy["needs_met_share"] > none["needs_met_share"]
        assert greedy["unmet_urgent_need_hours"] < none["unmet_urgent_need_hours"]
        assert greedy["survivors_rescued"] > none["survivors_rescued"]
        assert greedy["rfa_tasked_p50_min"] is not None and greedy["rfa_completed_p50_min"] is not None
        assert greedy["asset_utilisation"] > none["asset_utilisation"]


def test_military_units_only_when_no_civilian_one_is_free() -> None:
    sink, _engine = play(SEOUL)
    assert sink.free_civil_at_military_tasking, "the Seoul scenario needs military help"
    assert set(sink.free_civil_at_military_tasking) == {0}


def test_units_the_coordinator_may_not_see_are_never_tasked() -> None:
    sink, engine = play(SMALL)
    hidden = {u.index for u in engine.units if u.label == "nation:USA"}
    assert hidden
    assert not [a for a in sink.actions if a[1] == "task" and a[2][1] in hidden]


def test_hospitals_overload_is_reported_once_each() -> None:
    sink, _engine = play(SMALL)
    overloads = [name for _, kind, name in sink.actions if kind == "overload"]
    assert overloads and len(overloads) == len(set(overloads))


def test_survivors_fall_when_the_response_is_slower() -> None:
    fast = run_engine_only(SMALL, "nearest-available").metrics["survivors_rescued"]
    prepared = prepare(SMALL)
    units, hospitals = units_of(SMALL), hospitals_of(SMALL)
    engine = engine_for(prepared, "nearest-available", NullSink(), units, hospitals)
    engine.timings.review = (120.0, 180.0)  # coordinators take two hours to validate
    engine.run()
    assert sum(n.rescued for n in prepared.needs) < fast


def test_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown policy"):
        run_engine_only(SMALL, "telepathy")


class PeopleActFirst(Recorder):
    """People acted before the simulator: they took every third request over, validated every
    fifth themselves, and had tasked one unit when the simulator first wanted it."""

    def __init__(self, taken_unit: int) -> None:
        super().__init__()
        self.taken_unit = taken_unit
        self.rechecks = 0
        self.reviewed: list[int] = []

    def validate(self, t: float, need: Need) -> Outcome:
        self.reviewed.append(need.index)
        if need.index % 3 == 0:
            return Outcome.gone
        return Outcome.already if need.index % 5 == 0 else Outcome.done

    def task(self, t: float, need: Need, unit: Unit) -> Outcome:
        if unit.index == self.taken_unit and not self.rechecks:
            return Outcome.busy
        return super().task(t, need, unit)

    def unit_free(self, unit: Unit) -> bool:
        self.rechecks += 1
        return True


def test_the_engine_heeds_what_people_did_first() -> None:
    prepared = prepare(SMALL)
    units, hospitals = units_of(SMALL), hospitals_of(SMALL)
    sink = PeopleActFirst(taken_unit=0)
    sink.units = units
    engine = engine_for(prepared, "nearest-available", sink, units, hospitals)
    engine.run()
    reviewed = sink.reviewed
    assert len(reviewed) > 100
    tasked = [need for _t, kind, (need, _unit) in (a for a in sink.actions if a[1] == "task")]
    assert engine.left_to_people == sum(1 for i in reviewed if i % 3 == 0)
    assert engine.skipped["validate"] == sum(1 for i in reviewed if i % 5 == 0 and i % 3)
    assert not {i for i in tasked if i % 3 == 0}, "a request people took over was tasked"
    assert any(i % 5 == 0 for i in tasked), "a request people validated first was never tasked"
    # The unit people had taken was rechecked, found free, and used again.
    assert engine.units_taken == 1 and sink.rechecks == 1
    assert any(unit == 0 for _t, kind, (_need, unit) in (a for a in sink.actions if a[1] == "task"))
