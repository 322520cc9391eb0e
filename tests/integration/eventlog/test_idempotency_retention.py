"""Answers kept for ``Idempotency-Key`` retries are dropped once old."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from katchi.db import Database
from katchi.eventlog import IdempotencyRecord, prune_answers, transaction
from katchi.eventlog.idempotency import remember_answer
from tests.support.world import World, acting_as


def test_old_answers_are_pruned_and_recent_ones_kept(db: Database, world: World) -> None:
    user = acting_as(db, world, "coord").require().user_id
    with transaction(db) as s:
        remember_answer(s, user, "old", "f", 201, b"{}")
        remember_answer(s, user, "new", "f", 201, b"{}")
        s.flush()
        s.get(IdempotencyRecord, (user, "old")).created_at = datetime.now(UTC) - timedelta(days=2)  # type: ignore[union-attr]
    with transaction(db) as s:
        assert prune_answers(s, datetime.now(UTC) - timedelta(hours=24)) == 1
    with db.read() as s:
        assert s.scalars(select(IdempotencyRecord.key)).all() == ["new"]
        assert s.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1
