"""The hash chain detects altered, deleted and reordered entries (pure, no database)."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from katchi.eventlog.chain import GENESIS, entry_hash, fields_of, verify_entries


@dataclass
class E:
    seq: int
    id: str
    payload: dict[str, Any]
    occurred_at: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    recorded_at: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    operation_id: str | None = "op"
    kind: str = "k"
    subject_type: str = "s"
    subject_id: str = "x"
    actor_id: str | None = None
    actor_label: str = "a"
    source: str = "test"
    label: str = "alliance"
    prev_hash: str = ""
    hash: str = field(default="")


def chain(n: int) -> list[E]:
    out, prev = [], GENESIS
    for i in range(1, n + 1):
        e = E(seq=i, id=f"id{i}", payload={"n": i})
        e.prev_hash = prev
        e.hash = entry_hash(fields_of(e), prev)
        prev = e.hash
        out.append(e)
    return out


def test_intact_chain_verifies() -> None:
    log = chain(5)
    assert verify_entries(log, (5, log[-1].hash)).ok


def test_altered_payload_is_caught_at_its_seq() -> None:
    log = chain(5)
    log[2].payload = {"n": 999}
    result = verify_entries(log)
    assert not result.ok and result.bad_seq == 3


def test_deleted_entry_is_caught() -> None:
    log = chain(5)
    del log[1]
    result = verify_entries(log)
    assert not result.ok and result.bad_seq == 2


def test_reordered_entries_are_caught() -> None:
    log = chain(5)
    a, b = copy.copy(log[1]), copy.copy(log[2])
    a.seq, b.seq = 3, 2
    result = verify_entries([log[0], b, a, log[3], log[4]])
    assert not result.ok and result.bad_seq == 2


def test_truncated_tail_is_caught_against_the_head() -> None:
    log = chain(5)
    result = verify_entries(log[:4], (5, log[-1].hash))
    assert not result.ok and result.bad_seq == 5
