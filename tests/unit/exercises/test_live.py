"""The exercise clock (speed, pause, resume, jump) and the live loop paced by it."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest

from katchi.exercises import load_scenario
from katchi.exercises.engine import NullSink
from katchi.exercises.live import ExerciseClock, play_live
from katchi.exercises.prepare import hospitals_of, prepare, units_of
from katchi.exercises.run import engine_for

SMALL = load_scenario(Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "scenario-small.yaml")


class FakeWall:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += seconds


def test_clock_runs_at_speed_pauses_resumes_and_jumps() -> None:
    wall = FakeWall()
    clock = ExerciseClock(speed=60, wall=wall)
    wall.t += 30  # 30 s at 60x = 30 simulated minutes
    assert clock.now() == pytest.approx(30)
    clock.pause()
    wall.t += 100
    assert clock.now() == pytest.approx(30)
    assert math.isinf(clock.wall_seconds_until(31))
    clock.resume()
    wall.t += 60
    assert clock.now() == pytest.approx(90)
    clock.jump(360)
    assert clock.now() == pytest.approx(360)
    clock.jump(100)  # never backwards
    assert clock.now() == pytest.approx(360)
    clock.set_speed(3600)
    wall.t += 1
    assert clock.now() == pytest.approx(420)
    assert clock.wall_seconds_until(480) == pytest.approx(1.0)
    with pytest.raises(ValueError):
        clock.set_speed(0)


def test_live_loop_plays_events_when_the_clock_reaches_them() -> None:
    wall = FakeWall()
    prepared = prepare(SMALL, 120)
    units, hospitals = units_of(SMALL), hospitals_of(SMALL)
    seen: list[tuple[float, float]] = []

    class Sink(NullSink):
        def report_need(self, t, need):  # type: ignore[no-untyped-def]
            seen.append((t, clock.now()))

    engine = engine_for(prepared, "nearest-available", Sink(), units, hospitals)
    clock = ExerciseClock(speed=600, wall=wall)
    reached = play_live(engine, clock, sleep=wall.sleep, wall=wall)
    assert reached == 120 and seen
    assert all(clock_at >= t - 0.02 for t, clock_at in seen)  # never ahead of the clock (1 ms of wall)
    assert wall.t - 1000.0 == pytest.approx(120 * 60 / 600, abs=0.3)  # 2 simulated hours at 600x = 12 s


def test_live_loop_honours_a_jump_and_a_stop() -> None:
    wall = FakeWall()
    prepared = prepare(SMALL, 600)
    units, hospitals = units_of(SMALL), hospitals_of(SMALL)
    engine = engine_for(prepared, "nearest-available", NullSink(), units, hospitals)
    clock = ExerciseClock(speed=60, wall=wall)
    ticks = [0]

    def tick() -> None:
        ticks[0] += 1
        if ticks[0] == 5:
            clock.jump(300)

    import threading

    stop = threading.Event()

    def sleep(seconds: float) -> None:
        wall.sleep(seconds)
        if clock.now() > 400:
            stop.set()

    reached = play_live(engine, clock, sleep=sleep, on_tick=tick, stop=stop, wall=wall)
    assert 300 <= reached <= 401
    assert wall.t - 1000.0 < 150  # the jump skipped five hours of waiting


def test_a_loop_behind_its_clock_commits_and_gives_way_to_people() -> None:
    """Running behind, the loop never waits for the clock; it still commits every ``max_hold`` of
    work and steps aside, so people's commands get the database's write lock in between."""
    wall = FakeWall()
    prepared = prepare(SMALL, 120)
    units, hospitals = units_of(SMALL), hospitals_of(SMALL)
    events: list[tuple[str, float]] = []

    class Slow(NullSink):
        def report_need(self, t, need):  # type: ignore[no-untyped-def]
            wall.t += 0.01  # 10 ms of work per request reported

        def flush(self) -> None:
            events.append(("commit", wall.t))

    def sleep(seconds: float) -> None:
        events.append(("sleep", seconds))
        wall.sleep(seconds)

    engine = engine_for(prepared, "nearest-available", Slow(), units, hospitals)
    clock = ExerciseClock(speed=60, wall=wall)
    clock.jump(120)  # everything is due at once: the loop is behind
    play_live(engine, clock, sleep=sleep, wall=wall, max_hold=0.25, give_way=0.1)
    commits = [t for kind, t in events if kind == "commit"]
    work = sum(1 for n in prepared.needs if n.at <= 120) * 0.01
    assert work > 1.0 and len(commits) >= work / 0.3
    assert all(b - a <= 0.25 + 0.1 + 0.011 for a, b in itertools.pairwise(commits))
    gaps = [events[i + 1] for i, (kind, _) in enumerate(events[:-1]) if kind == "commit"]
    assert all(kind == "sleep" for kind, _ in gaps), "a commit with no pause lets nobody in"
