"""What a reader gets of their notifications."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel


class SubjectRef(BaseModel):
    type: str
    id: str


class NotificationRead(BaseModel):
    id: str
    #: asset_tasked | approval_awaited | rfa_changed | rfa_overdue | message | sitrep_issued
    kind: str
    subject: SubjectRef
    operation_id: str | None
    #: In the reader's language (``?lang=``, else the console's language).
    text: str
    created_at: datetime
    read_at: datetime | None


class NotificationPage(BaseModel):
    items: list[NotificationRead]
    next: str | None
    #: How many of the reader's notifications are unread (all of them, not only this page).
    unread: int


class Unread(BaseModel):
    unread: int


class MarkedRead(BaseModel):
    marked: int
    unread: int


class SweepResult(BaseModel):
    #: Open RFAs newly found past their needed-by time (each is reported once).
    overdue: int
