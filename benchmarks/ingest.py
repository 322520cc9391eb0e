"""Ingest: acknowledged, durable events/s through the service layer and through HTTP (8 clients),
beside raw SQLite inserts of the same rows at the same durability (WAL, synchronous=FULL), in one run.

    python benchmarks/ingest.py [--events 3000] [--seconds 10]

Prints one JSON line. Goal: service ≥ 50% of raw, HTTP ≥ 2,000 events/s, p99 ≤ 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import build, emit, katchi_process, percentile, principal, workdir
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import Writer, transaction, verify_log
from katchi.operations import LogCreate, post_log

USERS = {"coord": ("kor-cmoc", "KOR")}


def raw_sqlite(path: Path, n: int) -> float:
    """The floor: the same two rows per event (state row + log row), one durable commit each."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE ops (id TEXT PRIMARY KEY, operation_id TEXT, text TEXT, label TEXT, author_id TEXT,"
        " author_label TEXT, created_at TEXT)"
    )
    conn.execute(
        "CREATE TABLE log (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, occurred_at TEXT, recorded_at TEXT,"
        " operation_id TEXT, kind TEXT, subject_type TEXT, subject_id TEXT, actor_id TEXT, actor_label TEXT,"
        " source TEXT, label TEXT, payload TEXT, prev_hash TEXT, hash TEXT)"
    )
    conn.execute("CREATE INDEX ix_log_op ON log (operation_id, seq)")
    t0 = time.perf_counter()
    for i in range(n):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO ops VALUES (?,?,?,?,?,?,?)",
            (f"r{i}", "op", f"entry {i}", "alliance", "u", "coord@kor-cmoc", "2026-11-25T00:00:00"),
        )
        conn.execute(
            "INSERT INTO log VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                i + 1,
                f"e{i}",
                "2026-11-25T00:00:00",
                "2026-11-25T00:00:00",
                "op",
                "operations.log.posted",
                "ops_log",
                f"r{i}",
                "u",
                "coord@kor-cmoc",
                "bench",
                "alliance",
                '{"text": "entry"}',
                "0" * 64,
                "f" * 64,
            ),
        )
        conn.execute("COMMIT")
    dt = time.perf_counter() - t0
    conn.close()
    return n / dt


def service_serial(db: Database, ctx: Context, op_id: str, n: int) -> float:
    """One command per transaction, one thread: the per-event durable floor of the service layer."""
    t0 = time.perf_counter()
    for i in range(n):
        with transaction(db) as s:
            post_log(s, ctx, op_id, LogCreate(text=f"serial {i}"))
    return n / (time.perf_counter() - t0)


def service_group_commit(db: Database, ctx: Context, op_id: str, n: int, clients: int = 8) -> dict[str, float]:
    """The server's write path without HTTP: ``clients`` concurrent callers on an event loop (as
    the web server has), the group-commit writer, each answered after its durable commit."""
    writer = Writer(db)
    writer.start()
    latencies: list[float] = []
    per = n // clients

    async def client(c: int) -> None:
        for i in range(per):
            t = time.perf_counter()
            await asyncio.wrap_future(
                writer.submit(lambda s, i=i: post_log(s, ctx, op_id, LogCreate(text=f"group {c}-{i}")))
            )
            latencies.append(time.perf_counter() - t)

    async def run_all() -> float:
        t0 = time.perf_counter()
        await asyncio.gather(*(client(c) for c in range(clients)))
        return time.perf_counter() - t0

    dt = asyncio.run(run_all())
    writer.stop()
    return {
        "events_s": per * clients / dt,
        "p50_ms": percentile(latencies, 50) * 1e3,
        "p99_ms": percentile(latencies, 99) * 1e3,
        "commits": writer.commits,
    }


WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
wrk.body = '{"text": "Generator failure at the district shelter", "label": "alliance"}'
done = function(summary, latency, requests)
  io.write(string.format('WRKJSON {"requests": %%d, "duration_us": %%d, "non2xx": %%d, "errors": %%d,'
    .. ' "p50_us": %%d, "p90_us": %%d, "p99_us": %%d, "max_us": %%d}\\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max))
end
"""


def http_wrk(base: str, token: str, op_id: str, seconds: int, workdir: Path) -> dict[str, float]:
    script = workdir / "post.lua"
    script.write_text(WRK_SCRIPT % token)
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "-s", str(script), f"{base}/api/v1/operations/{op_id}/log"],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(ln for ln in out.stdout.splitlines() if ln.startswith("WRKJSON "))
    r = json.loads(line[len("WRKJSON ") :])
    ok = r["requests"] - r["non2xx"]
    return {
        "events_s": ok / (r["duration_us"] / 1e6),
        "acknowledged": ok,
        "non2xx": r["non2xx"],
        "errors": r["errors"],
        "p50_ms": r["p50_us"] / 1e3,
        "p90_ms": r["p90_us"] / 1e3,
        "p99_ms": r["p99_us"] / 1e3,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=3000)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    with workdir("katchi-ingest-") as work:
        raw = raw_sqlite(work / "raw.db", args.events)
        url = f"sqlite:///{work / 'katchi.db'}"
        tokens, op_id = build(url, USERS)
        db = Database(url)
        ctx = Context(principal(db, tokens["coord"]), source="bench")
        serial = service_serial(db, ctx, op_id, args.events)
        group = service_group_commit(db, ctx, op_id, args.events)
        db.dispose()
        with katchi_process(url) as base:
            http = http_wrk(base, tokens["coord"], op_id, args.seconds, work)
        db = Database(url)
        with db.read() as s:
            from sqlalchemy import func, select

            from katchi.operations import OpsLogEntry

            stored = s.scalar(select(func.count()).select_from(OpsLogEntry))
        intact = verify_log(db).ok
        db.dispose()
        # Requests still in flight when wrk stops may commit without being counted as acknowledged,
        # so the store may hold more than was acknowledged, never less.
        acknowledged = args.events + (args.events // 8) * 8 + http["acknowledged"]
        result = {
            "benchmark": "ingest",
            "durability": "sqlite WAL synchronous=FULL",
            "raw_sqlite_events_s": round(raw),
            "service_serial_events_s": round(serial),
            "service_group_commit_events_s": round(group["events_s"]),
            "service_group_commit_p99_ms": round(group["p99_ms"], 2),
            "service_vs_raw": round(group["events_s"] / raw, 2),
            "service_serial_vs_raw": round(serial / raw, 2),
            "http_clients": 8,
            "http_events_s": round(http["events_s"]),
            "http_p50_ms": round(http["p50_ms"], 2),
            "http_p99_ms": round(http["p99_ms"], 2),
            "http_non2xx": http["non2xx"],
            "http_errors": http["errors"],
            "acknowledged_lost": max(0, acknowledged - (stored or 0)),
            "audit_verify_ok": intact,
        }
        emit(result)


if __name__ == "__main__":
    main()
