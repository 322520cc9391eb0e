"""Signed checkpoints: the log's head (seq, hash, time) signed with this node's Ed25519 key, kept
outside the database. The hash chain alone anchors only to itself — an insider who can write the
database can cut the tail or rewrite an entry and recompute every later hash; a checkpoint stored
elsewhere (or handed to a partner nation) proves what the log was, so ``katchi audit verify
--checkpoint FILE`` catches both.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select

from katchi.core.clock import iso, utcnow
from katchi.db import Database
from katchi.eventlog.chain import VerifyResult
from katchi.eventlog.models import LogEntry, LogHead
from katchi.eventlog.verify import verify_log

VERSION = 1


class CheckpointError(Exception):
    """The key or the checkpoint file cannot be used (not a verdict on the log)."""


def default_key_path() -> Path:
    """``$KATCHI_AUDIT_KEY``, else the user's configuration directory (never beside the database)."""
    if os.environ.get("KATCHI_AUDIT_KEY"):
        return Path(os.environ["KATCHI_AUDIT_KEY"])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "katchi" / "audit-ed25519.pem"


def node_key(path: Path, database_url: str) -> Ed25519PrivateKey:
    """This node's signing key, created (readable by its owner only) on first use. Refused beside
    a SQLite database: whoever copies or rewrites the database must not get the key with it."""
    db_file = _sqlite_file(database_url)
    if db_file is not None and path.resolve().parent == db_file.resolve().parent:
        raise CheckpointError(f"the audit key {path} must not sit beside the database {db_file}; set KATCHI_AUDIT_KEY")
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise CheckpointError(f"{path} is not an Ed25519 private key")
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    return key


def _sqlite_file(url: str) -> Path | None:
    if not url.startswith("sqlite:///") or url in ("sqlite:///:memory:", "sqlite://"):
        return None
    return Path(url.removeprefix("sqlite:///"))


def _signed_bytes(seq: int, hash_: str, time: str) -> bytes:
    return f"katchi-checkpoint-v{VERSION}\n{seq}\n{hash_}\n{time}".encode()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def make_checkpoint(db: Database, key: Ed25519PrivateKey, *, now: datetime | None = None) -> dict[str, Any]:
    """The signed head of the log as it is now."""
    with db.read() as s:
        row = s.execute(select(LogHead.seq, LogHead.hash).where(LogHead.id == 1)).first()
    seq, hash_ = (row.seq, row.hash) if row else (0, "0" * 64)
    time = iso(now or utcnow())
    public = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return {
        "katchi_checkpoint": VERSION,
        "seq": seq,
        "hash": hash_,
        "time": time,
        "public_key": _b64(public),
        "signature": _b64(key.sign(_signed_bytes(seq, hash_, time))),
    }


def dumps(checkpoint: dict[str, Any]) -> str:
    """One line of JSON, to store elsewhere or hand over."""
    return orjson.dumps(checkpoint, option=orjson.OPT_SORT_KEYS).decode()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    seq: int
    hash: str
    time: str
    public_key: bytes


def read_checkpoint(text: str, *, trusted_key: Ed25519PublicKey | None = None) -> Checkpoint:
    """Parse and check a checkpoint's signature (and, given ``trusted_key``, that this node made it)."""
    try:
        doc = orjson.loads(text)
        seq, hash_, time = int(doc["seq"]), str(doc["hash"]), str(doc["time"])
        public = base64.b64decode(doc["public_key"], validate=True)
        signature = base64.b64decode(doc["signature"], validate=True)
        if doc.get("katchi_checkpoint") != VERSION:
            raise ValueError("unknown version")
        key = Ed25519PublicKey.from_public_bytes(public)
    except (ValueError, KeyError, TypeError) as exc:
        raise CheckpointError(f"not a Katchi checkpoint: {exc}") from None
    if (
        trusted_key is not None
        and trusted_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw) != public
    ):
        raise CheckpointError("the checkpoint was not signed by this node's audit key")
    try:
        key.verify(signature, _signed_bytes(seq, hash_, time))
    except InvalidSignature:
        raise CheckpointError("the checkpoint's signature does not match its contents") from None
    return Checkpoint(seq, hash_, time, public)


def verify_extends(db: Database, checkpoint: Checkpoint) -> VerifyResult:
    """Whether the log, intact as a chain, still extends the checkpoint: the entry at its seq is
    there with its hash. Entries cut from the tail or rewritten (and re-chained) are named."""
    chain = verify_log(db)
    if not chain.ok:
        return chain
    if checkpoint.seq == 0:
        return chain
    with db.read() as s:
        found = s.scalar(select(LogEntry.hash).where(LogEntry.seq == checkpoint.seq))
    if found is None:
        return VerifyResult(
            False,
            chain.checked,
            checkpoint.seq,
            f"entries removed: the checkpoint of {checkpoint.time} covers seq {checkpoint.seq}, "
            f"the log ends at seq {chain.checked}",
        )
    if found != checkpoint.hash:
        return VerifyResult(
            False,
            chain.checked,
            checkpoint.seq,
            f"rewritten: the log up to seq {checkpoint.seq} is not the one signed at {checkpoint.time} "
            "(entries changed and the chain recomputed)",
        )
    return chain
