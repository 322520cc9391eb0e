"""The operator's commands for roles, users, devices and operations call the same domain commands
as the console (the operator is a system context: it may act anywhere)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from katchi.accounts import User
from katchi.cli.app import app
from katchi.db import Database
from katchi.eventlog import LogEntry
from katchi.settings import get_settings
from tests.support.api import create_operation
from tests.support.server import LiveServer
from tests.support.world import World


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("KATCHI_DATABASE_URL", db_url)
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_roles_users_devices_and_operations_from_the_command_line(
    cli: CliRunner, db: Database, world: World, server: LiveServer
) -> None:
    result = cli.invoke(app, ["user", "set-role", "viewer", "contributor"])
    assert result.exit_code == 0 and "viewer is now contributor" in result.output, result.output
    assert "unknown role" in cli.invoke(app, ["user", "set-role", "viewer", "emperor"]).output
    listing = cli.invoke(app, ["user", "list", "--org", "kor-province"]).output
    assert "viewer" in listing and "contributor" in listing and "coord " not in listing
    with db.read() as s:
        assert s.scalar(select(User.role).where(User.username == "viewer")) == "contributor"

    op = create_operation(server.client(world.tokens["coord"]), ["kor-province"])
    result = cli.invoke(app, ["operation", "invite", op["id"], "kor-army"])
    assert result.exit_code == 0 and "kor-army" in result.output, result.output
    assert cli.invoke(app, ["operation", "close", op["id"], "--reason", "stood down"]).exit_code == 0
    assert "closed" in cli.invoke(app, ["operation", "list"]).output
    again = cli.invoke(app, ["operation", "close", op["id"]])
    assert again.exit_code == 1 and "already closed" in again.output
    assert cli.invoke(app, ["operation", "reopen", op["id"]]).exit_code == 0

    assert cli.invoke(app, ["tak", "add-device", "ANDROID-cli", "--user", "roka"]).exit_code == 0
    assert cli.invoke(app, ["tak", "assign-device", "ANDROID-cli", "--operation", op["id"]]).exit_code == 0
    devices = cli.invoke(app, ["tak", "devices", "--org", "kor-army"]).output
    assert "ANDROID-cli" in devices and op["id"] in devices
    with db.read() as s:
        kinds = set(s.scalars(select(LogEntry.kind).where(LogEntry.source == "cli")))
    assert {
        "accounts.user.role_set",
        "operations.operation.participants_added",
        "operations.operation.closed",
        "operations.operation.reopened",
        "interop.tak.device_assigned",
    } <= kinds
