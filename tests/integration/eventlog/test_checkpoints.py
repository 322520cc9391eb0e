"""Signed checkpoints anchor the log outside the database: an insider who cuts the tail or rewrites
an entry and recomputes the chain passes `katchi audit verify`, but not `--checkpoint FILE`."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from katchi.db import Database
from katchi.eventlog import LogEntry
from katchi.eventlog.chain import GENESIS, entry_hash, fields_of
from tests.support.audit import drop_log_guards
from tests.support.server import LiveServer
from tests.support.world import World


def katchi(db_url: str, key: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"KATCHI_DATABASE_URL": db_url, "KATCHI_AUDIT_KEY": str(key)}
    return subprocess.run(
        [sys.executable, "-m", "katchi", "audit", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def rechain(db: Database, *, keep: int | None = None, rewrite_seq: int | None = None) -> None:
    """The insider: drop the triggers, cut the log after ``keep`` or rewrite ``rewrite_seq``'s
    payload, then recompute every hash and the head so the chain is intact again."""
    drop_log_guards(db)
    with db.write_engine.begin() as conn:
        if keep is not None:
            conn.execute(text("DELETE FROM log_entries WHERE seq > :k"), {"k": keep})
        if rewrite_seq is not None:
            conn.execute(text("UPDATE log_entries SET label = 'public' WHERE seq = :s"), {"s": rewrite_seq})
    with Session(db.write_engine) as s, s.begin():
        prev, last = GENESIS, 0
        for entry in s.scalars(select(LogEntry).order_by(LogEntry.seq)).all():
            entry.prev_hash, entry.hash = prev, entry_hash(fields_of(entry), prev)
            prev, last = entry.hash, entry.seq
        s.execute(text("UPDATE log_head SET seq = :q, hash = :h WHERE id = 1"), {"q": last, "h": prev})


@pytest.fixture
def key(tmp_path: Path) -> Path:
    return tmp_path / "config" / "katchi" / "audit-ed25519.pem"


def test_checkpoint_is_signed_kept_outside_and_verified(db: Database, db_url: str, world: World, key: Path) -> None:
    out = katchi(db_url, key, "checkpoint", "--out", str(key.parent.parent / "cp.json"))
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["seq"] == 20 and len(doc["hash"]) == 64 and doc["signature"] and doc["public_key"]
    assert stat.S_IMODE(key.stat().st_mode) == 0o600  # created on first use, for its owner only
    cp = key.parent.parent / "cp.json"
    ok = katchi(db_url, key, "verify", "--checkpoint", str(cp))
    assert ok.returncode == 0 and "extends the checkpoint" in ok.stdout, ok.stdout + ok.stderr
    forged = cp.with_name("forged.json")
    forged.write_text(json.dumps(doc | {"seq": 19}))
    bad = katchi(db_url, key, "verify", "--checkpoint", str(forged))
    assert bad.returncode == 2 and "signature" in bad.stderr


@pytest.mark.parametrize(
    ("insider", "reason"),
    [({"keep": 17}, "entries removed"), ({"rewrite_seq": 4}, "rewritten")],
)
def test_a_rechained_log_passes_alone_but_not_against_the_checkpoint(
    db: Database, db_url: str, world: World, key: Path, insider: dict[str, int], reason: str
) -> None:
    cp = key.parent.parent / "cp.json"
    assert katchi(db_url, key, "checkpoint", "--out", str(cp)).returncode == 0
    rechain(db, **insider)
    assert katchi(db_url, key, "verify").returncode == 0  # the chain alone is fooled
    out = katchi(db_url, key, "verify", "--checkpoint", str(cp))
    assert out.returncode == 1 and reason in out.stdout, out.stdout + out.stderr


def test_the_key_never_sits_beside_the_database(db: Database, db_url: str, world: World) -> None:
    if not db_url.startswith("sqlite:///"):
        pytest.skip("a SQLite database file")
    beside = Path(db_url.removeprefix("sqlite:///")).parent / "audit.pem"
    out = katchi(db_url, beside, "checkpoint")
    assert out.returncode == 1 and "beside the database" in out.stderr
    assert not beside.exists()


def test_the_server_writes_checkpoints_periodically(
    db_url: str, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = tmp_path / "keys" / "audit.pem"
    monkeypatch.setenv("KATCHI_AUDIT_KEY", str(key))
    where = tmp_path / "checkpoints"
    with LiveServer.start(db_url, audit_checkpoint_dir=str(where), audit_checkpoint_seconds=0.3):
        deadline = time.monotonic() + 10
        while len(list(where.glob("checkpoint-*.json"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
    files = sorted(where.glob("checkpoint-*.json"))
    assert len(files) >= 2
    out = katchi(db_url, key, "verify", "--checkpoint", str(files[-1]))
    assert out.returncode == 0, out.stdout + out.stderr
