"""Durability: a writer killed with SIGKILL mid-stream loses no acknowledged event and leaves a
verifiable chain; the server runs SQLite with WAL and synchronous=FULL."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from sqlalchemy import select, text

from katchi.db import Database
from katchi.operations import OpsLogEntry
from tests.support.api import create_operation
from tests.support.server import LiveServer
from tests.support.world import World

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


def test_sigkill_during_acknowledged_appends_loses_nothing(
    server: LiveServer, db: Database, db_url: str, world: World
) -> None:
    op = create_operation(server.client(world.tokens["coord"]), [])
    acked: set[str] = set()
    rng = random.Random(7)
    for round_no in range(6):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.support.crash_writer",
                db_url,
                world.tokens["coord"],
                op["id"],
                f"r{round_no}",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        want = rng.randint(20, 120)
        got = 0
        deadline = time.monotonic() + 30
        while got < want and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            if line.startswith("ACK "):
                acked.add(line.split()[1])
                got += 1
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate(timeout=10)
        acked |= {ln.split()[1] for ln in rest.splitlines() if ln.startswith("ACK ")}
        assert proc.returncode == -signal.SIGKILL
        assert got == want, f"round {round_no}: writer acknowledged only {got} entries"

    with db.read() as s:
        stored = set(s.scalars(select(OpsLogEntry.id).where(OpsLogEntry.operation_id == op["id"])))
    assert len(acked) >= 6 * 20
    assert acked <= stored, f"{len(acked - stored)} acknowledged entries missing"
    out = subprocess.run(
        [sys.executable, "-m", "katchi", "audit", "verify"],
        env=os.environ | {"KATCHI_DATABASE_URL": db_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_server_runs_sqlite_with_wal_and_synchronous_full(server: LiveServer, db_url: str) -> None:
    if not db_url.startswith("sqlite"):
        return
    rt = server.app.state.runtime
    for engine in (rt.db.write_engine, rt.db.read_engine):
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
