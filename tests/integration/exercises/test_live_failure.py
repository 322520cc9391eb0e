"""A live exercise that fails is no longer shown as being played: its clock ends with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from katchi.cli.app import app
from katchi.db import Database
from katchi.eventlog import LogEntry
from katchi.exercises import CLOCK_CHANGED, live

SMALL = Path(__file__).resolve().parents[2] / "fixtures" / "scenario-small.yaml"


def test_a_failed_live_run_ends_its_clock(db: Database, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(engine: Any, clock: Any, **_: Any) -> float:
        engine.env.run(until=30)  # the simulator plays a little, then something breaks
        raise RuntimeError("the simulator broke")

    monkeypatch.setattr(live, "play_live", broken)
    monkeypatch.setenv("KATCHI_DATABASE_URL", db_url)
    result = CliRunner().invoke(app, ["exercise", "start", str(SMALL), "--operation", "Broken drill"])
    assert isinstance(result.exception, RuntimeError)
    with db.read() as s:
        states = s.scalars(
            select(LogEntry.payload).where(LogEntry.kind == CLOCK_CHANGED.name).order_by(LogEntry.seq)
        ).all()
    assert [p["state"] for p in states] == ["running", "ended"]
