"""`katchi audit verify` exits 0 on an intact log and 1 naming the first bad seq after tampering."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from katchi.db import Database
from tests.support.audit import drop_log_guards
from tests.support.world import World


def verify(db_url: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"KATCHI_DATABASE_URL": db_url}
    return subprocess.run(
        [sys.executable, "-m", "katchi", "audit", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def tamper(db: Database, sql: str) -> None:
    """An insider with write access to the database: the log's triggers dropped, then ``sql``."""
    drop_log_guards(db)
    with db.write_engine.begin() as conn:
        conn.execute(text(sql))


def test_the_log_refuses_update_and_delete(db: Database, world: World) -> None:
    for sql in ("UPDATE log_entries SET label = 'public' WHERE seq = 7", "DELETE FROM log_entries WHERE seq = 20"):
        with pytest.raises(DBAPIError, match="append-only"), db.write_engine.begin() as conn:
            conn.execute(text(sql))


def test_intact_log_verifies(db: Database, db_url: str, world: World) -> None:
    out = verify(db_url)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "ok: 20 entries" in out.stdout  # 6 orgs + 7 users + 7 tokens


@pytest.mark.parametrize(
    ("sql", "bad_seq"),
    [
        ('UPDATE log_entries SET payload = \'{"slug": "evil"}\' WHERE seq = 4', 4),
        ("UPDATE log_entries SET label = 'public' WHERE seq = 7", 7),
        ("DELETE FROM log_entries WHERE seq = 5", 5),
        ("DELETE FROM log_entries WHERE seq = 20", 20),
        # reorder: swap the contents of two rows (seq stays, contents move)
        (
            "UPDATE log_entries SET seq = -1 WHERE seq = 9; UPDATE log_entries SET seq = 9 WHERE seq = 10;"
            " UPDATE log_entries SET seq = 10 WHERE seq = -1",
            9,
        ),
    ],
)
def test_tampering_is_named_by_seq(db: Database, db_url: str, world: World, sql: str, bad_seq: int) -> None:
    for stmt in sql.split(";"):
        tamper(db, stmt)
    out = verify(db_url)
    assert out.returncode == 1, out.stdout
    assert f"FAILED at seq {bad_seq}:" in out.stdout
