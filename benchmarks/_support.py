"""Shared set-up for benchmarks: a migrated database with a small world, and a server subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources

import httpx

import katchi.tables  # noqa: F401
from katchi.accounts import OrganisationCreate, UserCreate, add_org, add_user, create_token, principal_for_token
from katchi.core.access import Principal, Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.operations import OperationCreate, create_operation


def migrate(url: str) -> None:
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("katchi") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url)
    command.upgrade(cfg, "head")


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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def katchi_server(url: str) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "katchi", "serve", "--port", str(port), "--log-level", "warning"],
        env=os.environ | {"KATCHI_DATABASE_URL": url},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base + "/healthz", proc)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def wait_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start")


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, round(q / 100 * (len(s) - 1)))]
