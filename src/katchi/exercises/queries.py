"""Reads of the exercises domain: the latest exercise clock of operations a reader already sees."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from katchi.eventlog import LogEntry
from katchi.exercises.events import CLOCK_CHANGED

#: Clock states of an exercise that is being played now.
LIVE_STATES = frozenset({"running", "paused"})


def latest_clocks(session: Session, operation_ids: Collection[str]) -> dict[str, dict[str, Any]]:
    """The last ``exercises.clock.changed`` payload of each operation that has one.

    Pass only operations the reader may see (from ``list_operations`` or ``visible_operation``):
    a clock event carries its operation's label, so seeing the operation is seeing its clock."""
    if not operation_ids:
        return {}
    last = (
        select(func.max(LogEntry.seq))
        .where(LogEntry.operation_id.in_(list(operation_ids)), LogEntry.kind == CLOCK_CHANGED.name)
        .group_by(LogEntry.operation_id)
    )
    rows = session.execute(select(LogEntry.operation_id, LogEntry.payload).where(LogEntry.seq.in_(last)))
    return {op_id: payload for op_id, payload in rows}
