"""The SitRep rule (``reports.sitrep.issued``), applied to a hand-made log entry: every user of the
operation's participant organisations who may read the SitRep's label, nobody else."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

import katchi.tables  # noqa: F401
from katchi import notifications, operations
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.eventlog.record import PENDING
from tests.support.world import World, acting_as, user_token


def sitrep_entry(op_id: str, label: str) -> dict[str, Any]:
    return {
        "seq": 10_000,
        "id": "0" * 32,
        "occurred_at": datetime(2026, 12, 2, 6, 0, tzinfo=UTC),
        "operation_id": op_id,
        "kind": "reports.sitrep.issued",
        "subject_type": "sitrep",
        "subject_id": "sitrep-7",
        "actor_id": None,
        "actor_label": "system (test)",
        "source": "test",
        "label": label,
        "payload": {"title": {"en": "SitRep 7", "ko": "상황보고 7호"}, "period_end": "2026-12-02T06:00:00+00:00"},
    }


def test_a_sitrep_notifies_the_participants_users_who_may_read_it(db: Database, world: World) -> None:
    user_token(db, "outsider", "kor-redcross", "viewer")  # kor-redcross does not take part
    coord = acting_as(db, world, "coord")
    with transaction(db) as s:
        op = operations.create_operation(
            s,
            Context(coord.principal),
            operations.OperationCreate(name="Flood", hazard="flood", participants=["kor-province", "us-aviation"]),
        )
    with db.read() as s:
        wide = {c[0].username: n for c, kind, n in notifications.notices(s, sitrep_entry(op.id, "alliance"))}
        korean = {c[0].username for c, _kind, _n in notifications.notices(s, sitrep_entry(op.id, "nation:KOR"))}
        kinds = {kind for _c, kind, _n in notifications.notices(s, sitrep_entry(op.id, "alliance"))}
    assert sorted(wide) == ["coord", "province", "usav", "viewer"]
    assert korean == {"coord", "province", "viewer"}  # not the US participant's user
    assert kinds == {"sitrep_issued"}
    assert wide["usav"].en == "SitRep issued: SitRep 7 (to 2026-12-02 06:00 UTC)"
    assert wide["usav"].ko == "상황보고서 발행: 상황보고 7호 (2026-12-02 06:00 UTC까지)"
    assert "reports.sitrep.issued" in notifications.RULES


def test_a_rule_that_cannot_read_its_entry_never_refuses_the_command(
    db: Database, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """A SitRep entry without the fields its rule reads: the transaction commits, with no
    notification, and the fault is logged."""
    coord = acting_as(db, world, "coord")
    with transaction(db) as s:
        op = operations.create_operation(
            s,
            Context(coord.principal),
            operations.OperationCreate(name="Flood", hazard="flood", participants=["kor-province"]),
        )
    broken = sitrep_entry(op.id, "alliance") | {"payload": {"title": {"en": "No period"}, "period_end": 7}}
    with transaction(db) as s:
        # Seen by the hook as one of the transaction's log rows; marked written, so the log's own
        # flush leaves it out of the chain.
        s.info.setdefault(PENDING, []).append(broken | {"_written": True})
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(notifications.Notification)) == 0
    assert "no notifications for log entry 10000 (reports.sitrep.issued)" in caplog.text
