"""Event kinds of the notifications domain."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from katchi.eventlog import event_kind


class RfaOverdue(BaseModel):
    #: The RFA's needed-by time, passed while it was still open.
    needed_by: datetime
    state: str


RFA_OVERDUE = event_kind(
    "notifications.rfa.overdue",
    RfaOverdue,
    "An open RFA passed its needed-by time (found by the overdue sweep, once per RFA).",
)
