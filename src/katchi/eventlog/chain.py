"""The hash chain: how an entry's hash is computed and how the whole log is verified."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from katchi.core.clock import iso

GENESIS = "0" * 64


def entry_hash(fields: dict[str, Any], prev_hash: str) -> str:
    """SHA-256 over the previous hash and the canonical JSON of the entry's fields."""
    canon = {k: iso(v) if isinstance(v, datetime) else v for k in HASHED_FIELDS for v in (fields[k],)}
    body = orjson.dumps(canon, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(prev_hash.encode() + body).hexdigest()


HASHED_FIELDS = (
    "seq",
    "id",
    "occurred_at",
    "recorded_at",
    "operation_id",
    "kind",
    "subject_type",
    "subject_id",
    "actor_id",
    "actor_label",
    "source",
    "label",
    "payload",
)


def fields_of(entry: Any) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    checked: int
    bad_seq: int | None = None
    reason: str | None = None


def verify_entries(entries: Iterable[Any], head: tuple[int, str] | None = None) -> VerifyResult:
    """Walk entries in ``seq`` order; report the first altered, missing or reordered one."""
    expected_seq, prev = 1, GENESIS
    checked = 0
    for entry in entries:
        if entry.seq != expected_seq:
            return VerifyResult(
                False, checked, expected_seq, f"seq {expected_seq} missing (next present is {entry.seq})"
            )
        if entry.prev_hash != prev:
            return VerifyResult(False, checked, entry.seq, "prev_hash does not match the previous entry")
        if entry_hash(fields_of(entry), prev) != entry.hash:
            return VerifyResult(False, checked, entry.seq, "contents do not match the hash")
        prev = entry.hash
        expected_seq += 1
        checked += 1
    if head is not None and head != (expected_seq - 1, prev):
        bad = min(head[0], expected_seq)
        return VerifyResult(False, checked, bad, f"log ends at seq {expected_seq - 1} but head says {head[0]}")
    return VerifyResult(True, checked)
