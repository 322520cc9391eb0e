"""Shared set-up for benchmarks: a migrated database with a small world, and a server subprocess."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repo: reuse tests/support
from tests.support.server import free_port, katchi_process, wait_until_up

import katchi.tables  # noqa: F401
from katchi.accounts import OrganisationCreate, UserCreate, add_org, add_user, create_token, principal_for_token
from katchi.core.access import Principal, Role
from katchi.core.context import Context
from katchi.db import Database, upgrade_schema
from katchi.eventlog import transaction
from katchi.operations import OperationCreate, create_operation

__all__ = ["build", "emit", "free_port", "katchi_process", "percentile", "principal", "wait_until_up", "workdir"]


def migrate(url: str) -> None:
    upgrade_schema(url)


def build(url: str, users: dict[str, tuple[str, str]]) -> tuple[dict[str, str], str]:
    """Orgs ``{username: (org_slug, nation)}`` with one coordinator each, and an operation of them all."""
    migrate(url)
    db = Database(url)
    ctx = Context(None, source="bench")
    tokens: dict[str, str] = {}
    with transaction(db) as s:
        for username, (slug, nation) in users.items():
            add_org(s, ctx, OrganisationCreate(slug=slug, name_en=slug, nation=nation, kind="civil"))
            add_user(s, ctx, UserCreate(username=username, org=slug, role=Role.coordinator))
            tokens[username] = create_token(s, ctx, username)
    first = next(iter(users))
    with transaction(db) as s:
        p = principal_for_token(s, tokens[first])
        op = create_operation(
            s,
            Context(p, source="bench"),
            OperationCreate(name="bench", hazard="earthquake", participants=[slug for slug, _ in users.values()]),
        )
    db.dispose()
    return tokens, op.id


def principal(db: Database, token: str) -> Principal:
    with db.read() as s:
        p = principal_for_token(s, token)
    assert p is not None
    return p


@contextmanager
def workdir(prefix: str) -> Iterator[Path]:
    """A scratch directory for one benchmark run, removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def emit(result: dict[str, Any]) -> None:
    """Print the benchmark's one JSON line (with the machine's core count)."""
    print(orjson.dumps(result | {"cpus": os.cpu_count()}).decode())


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]
