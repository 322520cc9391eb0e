"""What a situation report takes and gives back."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator, model_validator

from katchi.core.schemas import OptionalBilingual

#: The sections a person writes, in the order of the OCHA situation report; the figures by
#: district, the requests and the decisions are tables drawn from the record.
SECTIONS = ("title", "highlights", "overview", "needs_response", "gaps", "next_steps")
#: The longest period one report covers.
LONGEST_PERIOD_DAYS = 31


class SitRepCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: str = "alliance"
    period_start: AwareDatetime
    period_end: AwareDatetime

    @model_validator(mode="after")
    def _period(self) -> SitRepCreate:
        if self.period_end <= self.period_start:
            raise ValueError("period_end must be after period_start")
        if (self.period_end - self.period_start).days >= LONGEST_PERIOD_DAYS:
            raise ValueError(f"a situation report covers less than {LONGEST_PERIOD_DAYS} days")
        return self


class SitRepText(OptionalBilingual):
    """One section in English and Korean (either may be empty)."""


class SitRepUpdate(BaseModel):
    """The sections to replace; those not given stay as they are."""

    model_config = ConfigDict(extra="forbid")

    title: SitRepText | None = None
    highlights: SitRepText | None = None
    overview: SitRepText | None = None
    needs_response: SitRepText | None = None
    gaps: SitRepText | None = None
    next_steps: SitRepText | None = None


class SitRepRead(BaseModel):
    id: str
    operation_id: str
    number: int
    period_start: datetime
    period_end: datetime
    state: str
    scheduled: bool
    label: str
    author: str
    issued_at: datetime | None
    issued_by: str | None
    texts: dict[str, SitRepText]
    figures: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class SitRepSummary(BaseModel):
    """A report in a list: everything but its texts and tables."""

    id: str
    number: int
    period_start: datetime
    period_end: datetime
    state: str
    scheduled: bool
    label: str
    title: SitRepText
    issued_at: datetime | None
    created_at: datetime


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


class ScheduleSet(BaseModel):
    """Local times of day (``HH:MM``) at which a draft for the period since the previous one is
    prepared; no times ends the schedule."""

    model_config = ConfigDict(extra="forbid")

    times: list[str] = Field(default_factory=list, max_length=24)
    timezone: str = "Asia/Seoul"
    label: str = "alliance"

    @field_validator("times")
    @classmethod
    def _times(cls, value: list[str]) -> list[str]:
        for t in value:
            if not _TIME.match(t):
                raise ValueError(f"{t!r} is not a time of day HH:MM")
        if len(set(value)) != len(value):
            raise ValueError("a time is given twice")
        return sorted(value)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value


class ScheduleRead(BaseModel):
    operation_id: str
    times: list[str]
    timezone: str
    label: str
    last_slot: datetime | None
