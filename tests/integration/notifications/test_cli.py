"""``katchi notifications sweep`` and ``katchi user set-email``."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from katchi import operations, tasking
from katchi.accounts import User
from katchi.cli.app import app
from katchi.core.clock import utcnow
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.notifications import Notification
from katchi.settings import get_settings
from tests.support.api import point
from tests.support.world import World, acting_as


@pytest.fixture
def cli_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KATCHI_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_sweep_from_the_command_line_reports_an_rfa_once(db: Database, world: World, cli_env: None) -> None:
    coord, prov = acting_as(db, world, "coord"), acting_as(db, world, "province")
    with transaction(db) as s:
        op = operations.create_operation(
            s,
            Context(coord.principal),
            operations.OperationCreate(name="Flood", hazard="flood", participants=["kor-province"]),
        )
    late = tasking.RfaCreate(
        title="Pumps",
        capability="water_purification",
        location=point(),
        submit=True,
        needed_by=utcnow() - timedelta(minutes=5),
    )
    with transaction(db) as s:
        tasking.create_rfa(s, Context(prov.principal), op.id, late)
    runner = CliRunner()
    first = runner.invoke(app, ["notifications", "sweep"])
    assert first.exit_code == 0 and "1 RFA(s) newly overdue" in first.output
    again = runner.invoke(app, ["notifications", "sweep"])
    assert again.exit_code == 0 and "0 RFA(s) newly overdue" in again.output
    with db.read() as s:
        told = s.scalars(select(User.username).join(Notification, Notification.user_id == User.id)).all()
    assert told == ["coord"]


def test_set_email(db: Database, world: World, cli_env: None) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["user", "set-email", "roka", "duty@army.example.kr"]).exit_code == 0
    bad = runner.invoke(app, ["user", "set-email", "roka", "not an address"])
    assert bad.exit_code == 1 and "not an e-mail address" in bad.output
    with db.read() as s:
        assert s.scalar(select(User.email).where(User.username == "roka")) == "duty@army.example.kr"
    assert runner.invoke(app, ["user", "set-email", "roka", ""]).exit_code == 0
    with db.read() as s:
        assert s.scalar(select(User.email).where(User.username == "roka")) is None
