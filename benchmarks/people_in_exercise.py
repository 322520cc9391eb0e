"""A person's write while a live exercise plays: the Seoul M6.5 earthquake at 240x (its first hour
reports ~3,800 needs, more than the simulator can play on time, so it runs behind its clock and
writes without pause) into a `katchi serve` on SQLite, while a coordinator posts to the ops log
every 0.2 s for 40 s. Figures: the person's write latency p50/p99/max. The live loop commits every
250 ms of work and gives way for 100 ms; without that, back-to-back batches kept SQLite's write lock
(p99 ≈ 1.2 s measured before). Prints one JSON line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import emit, free_port, percentile, wait_until_up, workdir

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "seoul-earthquake.yaml"
PLAY = ["--participants", "mois,seoul-dsh,gyeonggi-dsh,nfa,kfs,krc,rok-jcs,rok-army,us-2cab"]
SPEED, SECONDS, EVERY = 240, 40.0, 0.2


def main() -> None:
    with workdir("katchi-bench-people-") as tmp:
        env = os.environ | {"KATCHI_DATABASE_URL": f"sqlite:///{tmp / 'katchi.db'}"}
        katchi = [sys.executable, "-m", "katchi"]
        for args in (["db", "upgrade"], ["seed", "demo"]):
            subprocess.run(katchi + args, env=env, check=True, capture_output=True)
        token = subprocess.run(
            [*katchi, "token", "create", "kim.cmoc"], env=env, check=True, capture_output=True, text=True
        ).stdout.strip()
        port = free_port()
        server = subprocess.Popen([*katchi, "serve", "--port", str(port), "--log-level", "warning"], env=env)
        exercise = subprocess.Popen(
            [*katchi, "exercise", "start", str(SCENARIO), "--operation", "Bench", "--speed", str(SPEED), *PLAY],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", server)  # type: ignore[arg-type]
            with httpx.Client(
                base_url=f"http://127.0.0.1:{port}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=60
            ) as kim:
                deadline = time.monotonic() + 120
                while not (ops := kim.get("/operations").json()["items"]):
                    assert time.monotonic() < deadline, "the exercise did not open its operation"
                    time.sleep(0.2)
                op = ops[0]["id"]
                latencies: list[float] = []
                end = time.monotonic() + SECONDS
                while time.monotonic() < end:
                    t0 = time.perf_counter()
                    answer = kim.post(f"/operations/{op}/log", json={"text": "person at the console"})
                    latencies.append(time.perf_counter() - t0)
                    assert answer.status_code == 201, answer.text
                    time.sleep(EVERY)
        finally:
            if exercise.stdin is not None:
                exercise.stdin.write("quit\n")
                exercise.stdin.close()
            exercise.wait(timeout=120)
            server.terminate()
            server.wait(timeout=30)
    emit(
        {
            "benchmark": "people_in_exercise",
            "speed": SPEED,
            "writes": len(latencies),
            "write_p50_ms": round(percentile(latencies, 50) * 1000),
            "write_p99_ms": round(percentile(latencies, 99) * 1000),
            "write_max_ms": round(max(latencies) * 1000),
        }
    )


if __name__ == "__main__":
    main()
