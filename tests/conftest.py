"""Shared fixtures: a migrated database per test (SQLite, or PostgreSQL via KATCHI_TEST_DATABASE_URL),
a world of organisations and users, and a real uvicorn server on a free loopback port."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from katchi.db import Database, upgrade_schema
from tests.support.audit import restore_log_guards_postgres
from tests.support.commands import people  # noqa: F401  (a fixture: the world's people as contexts)
from tests.support.server import LiveServer
from tests.support.tak import gateway  # noqa: F401  (a fixture for the TAK tests)
from tests.support.world import World, build_world


def _worker_database(url: str) -> str:
    """Each pytest-xdist worker gets a PostgreSQL database of its own (``<name>_gw0`` …, created
    on first use in the same cluster): tests empty their database, so workers may not share one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not url or not worker:
        return url
    base, _, name = url.rpartition("/")
    own = f"{name}_{worker}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own}) is None:
                conn.execute(text(f'CREATE DATABASE "{own}"'))
    finally:
        engine.dispose()
    return f"{base}/{own}"


PG_URL = _worker_database(os.environ.get("KATCHI_TEST_DATABASE_URL", ""))


def migrate(url: str) -> None:
    upgrade_schema(url)


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A migrated database: a SQLite file to copy, or the PostgreSQL database to truncate."""
    if PG_URL:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        migrate(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "katchi.db"
    migrate(f"sqlite:///{path}")
    return str(path)


def _pg_reset(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        tables = [
            r[0]
            for r in conn.execute(
                text("SELECT tablename FROM pg_tables WHERE schemaname='public' AND tablename <> 'alembic_version'")
            )
        ]
        conn.execute(text(f"TRUNCATE {', '.join(tables)} CASCADE"))
        conn.execute(text("INSERT INTO log_head (id, seq, hash) VALUES (1, 0, :h)"), {"h": "0" * 64})
        restore_log_guards_postgres(conn)
    engine.dispose()


@pytest.fixture
def db_url(_template: str, tmp_path: Path) -> str:
    """A fresh, migrated, empty database for one test."""
    if PG_URL:
        _pg_reset(PG_URL)
        return PG_URL
    path = tmp_path / "katchi.db"
    shutil.copy(_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url)
    yield database
    database.dispose()


@pytest.fixture
def world(db: Database) -> World:
    """Four organisations of two nations (KOR civil + military, USA military, KOR NGO) and their users."""
    return build_world(db)


@pytest.fixture
def server(db_url: str, world: World) -> Iterator[LiveServer]:
    with LiveServer.start(db_url) as srv:
        yield srv


def pytest_report_header() -> str:
    return f"katchi database: {'PostgreSQL ' + PG_URL.rsplit('@', 1)[-1] if PG_URL else 'SQLite (per-test file)'}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if PG_URL:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set KATCHI_TEST_DATABASE_URL")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


# `pytest --hypothesis-profile=noshrink` reports a failing example at once (shrinking end-to-end
# examples through a live server can take many minutes).
def _register_profiles() -> None:
    from hypothesis import Phase, settings

    settings.register_profile("noshrink", phases=[Phase.explicit, Phase.reuse, Phase.generate])


_register_profiles()
