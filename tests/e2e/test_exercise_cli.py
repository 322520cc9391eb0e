"""``katchi exercise`` as an exercise controller uses it: validate, a headless run with its report,
and a live run into a running server watched over the operation's stream."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from katchi.accounts import create_token
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.server import LiveServer
from tests.support.sse import open_stream

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "scenario-small.yaml"
REQUIRED = {
    "scenario",
    "policy",
    "seed",
    "sim_hours",
    "wall_s",
    "incidents",
    "rfas",
    "needs_met_share",
    "unmet_urgent_need_hours",
    "survivors_rescued",
    "rfa_tasked_p50_min",
    "rfa_completed_p50_min",
    "deaths",
    "injured",
    "buildings_collapsed",
    "displaced",
    "log_sha256",
}


def katchi(*args: str, db_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = os.environ | ({"KATCHI_DATABASE_URL": db_url} if db_url else {})
    return subprocess.run(
        [sys.executable, "-m", "katchi", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_validate_names_the_bad_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace("magnitude: 5.7", "magnitude: 15"))
    out = katchi("exercise", "validate", str(SMALL), str(bad))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[0] == f"{SMALL}\tvalid"
    assert lines[1].startswith(f"{bad}\tinvalid\t") and ":11:" in lines[1] and "magnitude" in lines[1]


def test_headless_run_prints_one_json_line_and_writes_the_report(tmp_path: Path) -> None:
    out = katchi(
        "exercise", "run", str(SMALL), "--headless", "--policy", "greedy", "--until", "3h", "--report", str(tmp_path)
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    metrics = json.loads(lines[0])
    assert set(metrics) >= REQUIRED
    assert metrics["policy"] == "nearest-available" and metrics["sim_hours"] == 3 and metrics["seed"] == 7
    assert (tmp_path / "report.html").stat().st_size > 10_000
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    bad = katchi("exercise", "run", str(SMALL), "--policy", "telepathy")
    assert bad.returncode == 2 and "unknown policy" in bad.stderr


def start_live(db_url: str, operation: str, *options: str) -> subprocess.Popen[str]:
    """``katchi exercise start`` of the small scenario, driven through its stdin."""
    return subprocess.Popen(
        [sys.executable, "-m", "katchi", "exercise", "start", str(SMALL), "--operation", operation, *options],
        env=os.environ | {"KATCHI_DATABASE_URL": db_url},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_live_run_streams_into_a_running_server(db_url: str) -> None:
    with LiveServer.start(db_url) as server:
        proc = start_live(db_url, "Live test", "--speed", "1200", "--until", "2h")
        try:
            assert proc.stderr is not None and proc.stdin is not None
            first = proc.stderr.readline()
            assert first.startswith("operation "), first
            op_id = first.split()[1].rstrip(":")
            threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep the pipe drained
            db = Database(db_url)
            with transaction(db) as s:
                token = create_token(s, Context(None, source="test"), "sim-t-city")
            db.dispose()
            with open_stream(server.url, token, op_id, last_event_id=0, read_timeout=20) as stream:
                events = stream.until(lambda e: e.kind == "cop.incident.reported", timeout=30)
                assert events[0].kind == "operations.operation.created"
                proc.stdin.write("pause\n")
                proc.stdin.flush()
                paused = stream.until(
                    lambda e: e.kind == "exercises.clock.changed" and e.data["payload"]["state"] == "paused", timeout=30
                )
                assert paused
                proc.stdin.write("resume\n")
                proc.stdin.flush()
                ended = stream.until(
                    lambda e: e.kind == "exercises.clock.changed" and e.data["payload"]["state"] == "ended", timeout=60
                )
                seen = events + paused + ended
                assert any(e.kind == "tasking.rfa.tasked" for e in seen)
                assert all(e.data["label"] != "nation:USA" for e in seen)  # a Korean city user's stream
            out, _ = proc.communicate(timeout=60)
            assert proc.returncode == 0
            metrics = json.loads(out.strip().splitlines()[-1])
            assert metrics["operation_id"] == op_id and metrics["rfas"] > 0
        finally:
            if proc.poll() is None:
                proc.kill()


def test_a_live_run_quit_early_reports_the_time_it_reached(db_url: str) -> None:
    """Metrics of a stopped exercise cover what was played, not the scenario's planned length."""
    with LiveServer.start(db_url):
        proc = start_live(db_url, "Quit test", "--speed", "60", "--until", "2h")
        try:
            assert proc.stderr is not None
            assert proc.stderr.readline().startswith("operation ")
            time.sleep(1.0)
            out, _ = proc.communicate("quit\n", timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0
    metrics = json.loads(out.strip().splitlines()[-1])
    assert 0 < metrics["sim_hours"] < 0.5  # a few simulated minutes at 60x, not the planned 2 h
    assert metrics["sim_speedup"] < 200
