"""Replay for the hotwash: rebuild the Seoul M6.5 earthquake's COP at T+24h from the log of its
full 72-hour run (played headless through Katchi's commands into a fresh SQLite file), as the
exercise lead's coordinator reads it. The log is the only source: nothing is snapshotted.

Figures: the run's log size, the events the replay reads, and the rebuild's wall time (best and
median of 5), with the picture's record counts. Goal: ≤ 2 s. Prints one JSON line.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import emit, workdir
from katchi.accounts import User, principal_for_user
from katchi.cop import picture_at
from katchi.db import Database, upgrade_schema
from katchi.eventlog import LogEntry
from katchi.exercises import load_scenario
from katchi.exercises.run import run_headless
from katchi.operations import visible_operation

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "seoul-earthquake.yaml"
AT = timedelta(hours=24)


def main() -> None:
    scenario = load_scenario(SCENARIO)
    with workdir("katchi-bench-replay-") as tmp:
        url = f"sqlite:///{tmp / 'katchi.db'}"
        upgrade_schema(url)
        t0 = time.perf_counter()
        metrics = run_headless(scenario, "nearest-available", database_url=url).metrics
        play_s = time.perf_counter() - t0
        db = Database(url)
        try:
            with db.read() as s:
                op_id = metrics["operation_id"]
                lead = s.scalar(select(User.id).where(User.username == "sim-seoul-city"))
                assert lead is not None
                principal = principal_for_user(s, lead)
                view = visible_operation(s, principal, op_id)
                log_entries = s.scalar(select(func.count()).select_from(LogEntry).where(LogEntry.operation_id == op_id))
                read = s.scalar(
                    select(func.count())
                    .select_from(LogEntry)
                    .where(LogEntry.operation_id == op_id, LogEntry.occurred_at <= scenario.start + AT)
                )
            times: list[float] = []
            for _ in range(5):
                with db.read() as s:
                    view = visible_operation(s, principal, op_id)
                    t1 = time.perf_counter()
                    picture = picture_at(s, principal, view, scenario.start + AT)
                    times.append(time.perf_counter() - t1)
        finally:
            db.dispose()
    emit(
        {
            "benchmark": "replay",
            "scenario": scenario.name,
            "at_h": AT.total_seconds() / 3600,
            "play_72h_s": round(play_s, 1),
            "log_entries": log_entries,
            "entries_up_to_at": read,
            "incidents": len(picture["incidents"]),
            "rfas": len(picture["rfas"]),
            "open_rfas": sum(1 for r in picture["rfas"] if r["state"] not in ("completed", "rejected", "cancelled")),
            "assets": len(picture["assets"]),
            "rebuild_best_s": round(min(times), 3),
            "rebuild_median_s": round(statistics.median(times), 3),
            "goal_s": 2.0,
        }
    )


if __name__ == "__main__":
    main()
