"""Event kinds of the reports domain."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from katchi.eventlog import event_kind


class SitRepTitle(BaseModel):
    en: str = ""
    ko: str = ""


class SitRepDrafted(BaseModel):
    number: int
    title: SitRepTitle
    period_start: datetime
    period_end: datetime
    scheduled: bool


class SitRepEdited(BaseModel):
    number: int
    sections: list[str]


class SitRepIssued(BaseModel):
    number: int
    title: SitRepTitle
    period_start: datetime
    period_end: datetime


class SitRepScheduleSet(BaseModel):
    times: list[str]
    timezone: str
    label: str


SITREP_DRAFTED = event_kind("reports.sitrep.drafted", SitRepDrafted, "A situation report was drafted from the record.")
SITREP_EDITED = event_kind("reports.sitrep.edited", SitRepEdited, "Sections of a draft situation report were edited.")
SITREP_ISSUED = event_kind("reports.sitrep.issued", SitRepIssued, "A situation report was issued.")
SITREP_SCHEDULE_SET = event_kind(
    "reports.sitrep.schedule_set", SitRepScheduleSet, "When the operation's situation reports are drafted changed."
)
