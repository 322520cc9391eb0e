"""Exercise engine speed: the 72-hour Seoul M6.5 earthquake with the greedy policy.

Three figures from one run, on this machine:
  * raw SimPy: the same number of timeouts as the engine processes, from one process per asset
    plus one (the engine's concurrency: every asset's task chain and the arrivals), spread over the
    same 72 simulated hours (the baseline; one process per need would be slower and flatter us);
  * the engine alone (model + policy, a sink that drops everything);
  * the engine writing through Katchi's service layer into a fresh SQLite file (headless run).
Goals: engine alone ≥ 50 % of raw SimPy's event rate; with the platform, 72 h in ≤ 120 s.
Prints one JSON line.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import simpy

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import emit
from katchi.exercises import load_scenario
from katchi.exercises.run import run_engine_only, run_headless

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "seoul-earthquake.yaml"


def raw_simpy(processes: int, timeouts: int, horizon_min: float, seed: int) -> float:
    """Wall seconds for ``timeouts`` timeouts from ``processes`` processes over ``horizon_min``."""
    rng = random.Random(seed)
    env = simpy.Environment()
    per = [timeouts // processes + (1 if i < timeouts % processes else 0) for i in range(processes)]
    mean = horizon_min / max(per) if per else 1.0

    def proc(n: int):  # type: ignore[no-untyped-def]
        for _ in range(n):
            yield env.timeout(rng.expovariate(1 / mean))

    for n in per:
        env.process(proc(n))
    t0 = time.perf_counter()
    env.run()
    return time.perf_counter() - t0


def best_of(runs: int, fn):  # type: ignore[no-untyped-def]
    results = [fn() for _ in range(runs)]
    return min(results, key=lambda r: r[0])


def main() -> None:
    scenario = load_scenario(SCENARIO)
    engine = best_of(5, lambda: ((r := run_engine_only(scenario, "nearest-available")).metrics["wall_s"], r))[1]
    m = engine.metrics
    events, needs = m["sim_events"], m["rfas"]
    raw_wall = min(raw_simpy(m["assets"] + 1, events, m["sim_hours"] * 60, scenario.seed) for _ in range(5))
    platform = run_headless(scenario, "nearest-available").metrics
    sim_s = m["sim_hours"] * 3600
    engine_rate = events / m["wall_s"]
    raw_rate = events / raw_wall
    emit(
        {
            "benchmark": "exercise",
            "scenario": m["scenario"],
            "policy": m["policy"],
            "needs": needs,
            "incidents": platform["incidents"],
            "assets": m["assets"],
            "sim_hours": m["sim_hours"],
            "sim_events": events,
            "raw_simpy_wall_s": round(raw_wall, 4),
            "raw_simpy_events_per_s": round(raw_rate),
            "engine_wall_s": m["wall_s"],
            "engine_events_per_s": round(engine_rate),
            "engine_sim_s_per_wall_s": round(sim_s / m["wall_s"]),
            "engine_vs_raw": round(engine_rate / raw_rate, 3),
            "goal_engine_vs_raw": 0.5,
            "platform_wall_s": platform["wall_s"],
            "platform_commands": platform["commands"],
            "platform_commands_per_s": round(platform["commands"] / platform["wall_s"]),
            "platform_events_per_s": round(events / platform["wall_s"]),
            "platform_sim_s_per_wall_s": round(sim_s / platform["wall_s"]),
            "goal_platform_wall_s": 120,
            "same_results": all(
                platform[k] == m[k] for k in ("needs_met_share", "rfa_tasked_p50_min", "survivors_rescued")
            ),
            "log_sha256": platform["log_sha256"],
        }
    )


if __name__ == "__main__":
    main()
