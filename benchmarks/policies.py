"""Response policies compared: ``optimal`` (the allocation optimiser, re-solving as needs arrive
and units free up) against ``greedy`` (nearest available, most urgent first) on the 72-hour Seoul
M6.5 earthquake, same seed. Goal: optimal better on survivors rescued, unmet urgent need-hours
and the median time from request to tasking. The optimal run is also played through the platform
(headless, into a fresh SQLite file) to show the same figures come out of it. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import emit
from katchi.exercises import load_scenario
from katchi.exercises.run import run_engine_only, run_headless

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "seoul-earthquake.yaml"
FIGURES = ("survivors_rescued", "unmet_urgent_need_hours", "rfa_tasked_p50_min")
MORE = ("needs_met_share", "rfa_tasked_p90_min", "rfa_completed_p50_min", "military_share_of_taskings", "taskings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=None, help="default: the scenario's")
    parser.add_argument("--no-platform", action="store_true", help="skip the headless platform run")
    args = parser.parse_args()
    scenario = load_scenario(SCENARIO)
    if args.seed is not None:
        scenario = scenario.model_copy(update={"seed": args.seed})
    greedy = run_engine_only(scenario, "nearest-available").metrics
    optimal = run_engine_only(scenario, "optimal").metrics
    better = {
        "survivors_rescued": optimal["survivors_rescued"] > greedy["survivors_rescued"],
        "unmet_urgent_need_hours": optimal["unmet_urgent_need_hours"] < greedy["unmet_urgent_need_hours"],
        "rfa_tasked_p50_min": optimal["rfa_tasked_p50_min"] < greedy["rfa_tasked_p50_min"],
    }
    out = {
        "benchmark": "policies",
        "scenario": scenario.name,
        "seed": scenario.seed,
        "needs": greedy["rfas"],
        "assets": greedy["assets"],
        "greedy": {k: greedy[k] for k in (*FIGURES, *MORE, "wall_s")},
        "optimal": {k: optimal[k] for k in (*FIGURES, *MORE, "wall_s")},
        "change_pct": {k: round(100.0 * (optimal[k] - greedy[k]) / greedy[k], 1) for k in FIGURES},
        "optimal_better_on_all_three": all(better.values()),
    }
    if not args.no_platform:
        platform = run_headless(scenario, "optimal").metrics
        out["optimal_platform_wall_s"] = platform["wall_s"]
        out["optimal_platform_same_figures"] = all(platform[k] == optimal[k] for k in FIGURES)
    emit(out)


if __name__ == "__main__":
    main()
