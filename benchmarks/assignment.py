"""The allocation optimiser on 2,000 validated requests × 300 available assets around Seoul: its
wall time (cost matrix with capability, caveats, deadlines and the Oslo cost, then the exact
assignment) against bare SciPy ``linear_sum_assignment`` on the same cost matrix, in the same run,
and both objective values (they must be equal). Goal: ≤ 1.5× bare SciPy. Prints one JSON line.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

from scipy.optimize import linear_sum_assignment

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import emit
from katchi.planning.optimiser import Candidate, Request, cost_matrix, recommend

CAPABILITIES = ["usar_medium", "mass_casualty_transport", "emergency_shelter", "water_trucking", "medium_helicopter"]
PRIORITIES = ["critical", "high", "medium", "low"]
RFAS, ASSETS, RUNS = 2000, 300, 5


def instance(seed: int) -> tuple[list[Request], list[Candidate]]:
    rng = random.Random(seed)
    requests = [
        Request(
            f"r{i}",
            rng.choice(CAPABILITIES),
            rng.randint(1, 20),
            rng.choice(PRIORITIES),
            rng.uniform(126.8, 127.2),
            rng.uniform(37.43, 37.7),
            deadline_min=rng.choice([None, rng.uniform(60, 720)]),
            task_codes=frozenset(rng.sample(["airlift", "security", "medical"], rng.randint(0, 1))),
        )
        for i in range(RFAS)
    ]
    candidates = [
        Candidate(
            f"a{j}",
            f"asset {j}",
            capability := rng.choice(CAPABILITIES),
            rng.randint(1, 20),
            rng.uniform(126.6, 127.4),
            rng.uniform(37.0, 37.9),
            rng.uniform(30, 60) if capability != "medium_helicopter" else 250.0,
            military=rng.random() < 0.3,
            air=capability == "medium_helicopter",
            excluded_tasks=frozenset({"security"}) if rng.random() < 0.2 else frozenset(),
        )
        for j in range(ASSETS)
    ]
    return requests, candidates


def main() -> None:
    requests, candidates = instance(20261201)
    costs = cost_matrix(requests, candidates)
    ours, bare = [], []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        got = recommend(requests, candidates)
        ours.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        rows, cols = linear_sum_assignment(costs.cost)
        bare.append(time.perf_counter() - t0)
    index = {r.id: i for i, r in enumerate(requests)}, {c.id: j for j, c in enumerate(candidates)}
    ours_value = sum(costs.cost[index[0][g.rfa_id], index[1][g.asset_id]] for g in got)
    bare_value = float(costs.cost[rows, cols].sum())
    emit(
        {
            "benchmark": "assignment",
            "rfas": RFAS,
            "assets": ASSETS,
            "recommended": len(got),
            "military": sum(1 for g in got if g.military),
            "optimiser_median_s": round(statistics.median(ours), 4),
            "bare_scipy_median_s": round(statistics.median(bare), 4),
            "ratio": round(statistics.median(ours) / statistics.median(bare), 2),
            "same_objective": bool(abs(ours_value - bare_value) <= 1e-6 * abs(bare_value)),
            "goal_ratio": 1.5,
        }
    )


if __name__ == "__main__":
    main()
