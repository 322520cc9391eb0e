"""Three people play a live exercise while the engine runs at 60x: the Seoul M6.5 earthquake into
a `katchi serve` on SQLite, with the city (the lead), the Korean Red Cross and USFK played by
people (``--play``), so the simulator validates and tasks nothing and plays the other owners. For
60 s the city's coordinator validates the oldest submitted request every second, the Red Cross
reports an incident every second and the US liaison posts to the ops log every second, all over
HTTP. Figures: the engine's lag behind its exercise clock over the events it played (p50, p99, max,
in wall seconds, from the run's own metrics line) and the players' write latencies. Goal: lag p99
≤ 1 s. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import emit, free_port, percentile, wait_until_up, workdir

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "seoul-earthquake.yaml"
SPEED, SECONDS, EVERY = 60, 60.0, 1.0
PLAYERS = {"city-player": "seoul-city", "krcs-player": "krcs", "us-player": "usfk"}


def _katchi(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "katchi", *args], env=env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def _play(name: str, client: httpx.Client, op: str, latencies: list[float], stop: float) -> None:
    """One person's second-by-second work until ``stop`` (a monotonic time)."""
    n = 0
    while time.monotonic() < stop:
        n += 1
        t0 = time.perf_counter()
        if name == "city-player":
            submitted = client.get(f"/operations/{op}/rfas", params={"state": "submitted", "limit": 1}).json()
            if submitted.get("items"):
                answer = client.post(f"/rfas/{submitted['items'][0]['id']}/actions/validate", json={})
                assert answer.status_code in (200, 409), answer.text  # 409: the request moved on meanwhile
        elif name == "krcs-player":
            answer = client.post(
                f"/operations/{op}/incidents",
                json={
                    "kind": "displacement",
                    "title": f"Shelter report {n}",
                    "severity": "moderate",
                    "location": {"type": "Point", "coordinates": [126.97 + n * 1e-4, 37.56]},
                },
            )
            assert answer.status_code == 201, answer.text
        else:
            answer = client.post(f"/operations/{op}/log", json={"text": f"USFK liaison update {n}"})
            assert answer.status_code == 201, answer.text
        latencies.append(time.perf_counter() - t0)
        time.sleep(max(0.0, EVERY - (time.perf_counter() - t0)))


def main() -> None:
    with workdir("katchi-bench-players-") as tmp:
        env = os.environ | {"KATCHI_DATABASE_URL": f"sqlite:///{tmp / 'katchi.db'}"}
        _katchi(env, "db", "upgrade")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "katchi", "serve", "--port", str(port), "--log-level", "warning"], env=env
        )
        exercise = subprocess.Popen(
            [sys.executable, "-m", "katchi", "exercise", "start", str(SCENARIO), "--operation", "Bench players",
             "--speed", str(SPEED), "--play", ",".join(PLAYERS.values())],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )  # fmt: skip
        latencies: dict[str, list[float]] = {name: [] for name in PLAYERS}
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz", server)  # type: ignore[arg-type]
            tokens: dict[str, str] = {}
            deadline = time.monotonic() + 120
            while True:  # the run creates the scenario's organisations: then people can join them
                try:
                    for name, org in PLAYERS.items():
                        if name not in tokens:
                            _katchi(env, "user", "add", name, "--org", org, "--role", "coordinator")
                            tokens[name] = _katchi(env, "token", "create", name)
                    break
                except subprocess.CalledProcessError:
                    assert time.monotonic() < deadline, "the exercise did not create its organisations"
                    time.sleep(0.5)
            url = f"http://127.0.0.1:{port}/api/v1"
            clients = {
                n: httpx.Client(base_url=url, headers={"Authorization": f"Bearer {t}"}, timeout=60)
                for n, t in tokens.items()
            }
            while not (ops := clients["city-player"].get("/operations").json()["items"]):
                assert time.monotonic() < deadline, "the exercise did not open its operation"
                time.sleep(0.2)
            op = ops[0]["id"]
            stop = time.monotonic() + SECONDS
            threads = [threading.Thread(target=_play, args=(n, c, op, latencies[n], stop)) for n, c in clients.items()]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            assert exercise.stdin is not None
            exercise.stdin.write("quit\n")
            exercise.stdin.close()
            out = exercise.stdout.read() if exercise.stdout else ""
            exercise.wait(timeout=300)
            server.terminate()
            server.wait(timeout=30)
    metrics: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    writes = [x for values in latencies.values() for x in values]
    emit(
        {
            "benchmark": "players_in_exercise",
            "speed": SPEED,
            "players": len(PLAYERS),
            "seconds": SECONDS,
            "sim_hours_played": round(metrics["sim_hours"], 2),
            "clock_lag_p50_s": metrics["clock_lag_p50_s"],
            "clock_lag_p99_s": metrics["clock_lag_p99_s"],
            "clock_lag_max_s": metrics["clock_lag_max_s"],
            "player_writes": len(writes),
            "write_p50_ms": round(percentile(writes, 50) * 1000),
            "write_p99_ms": round(percentile(writes, 99) * 1000),
            "refused_commands": metrics.get("refused_commands"),
            "goal_lag_p99_s": 1.0,
        }
    )


if __name__ == "__main__":
    main()
