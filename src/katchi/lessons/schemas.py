"""Input and output shapes of observations, lessons and remedial actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from katchi.core.schemas import Bilingual, OptionalBilingual

SourceType = Literal["log", "decision", "incident", "exercise_observation"]
Hazard = Field(default=None, min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SourceRef(_In):
    type: SourceType
    id: str = Field(min_length=1, max_length=32)


class ObservationCreate(_In):
    title: Bilingual
    observation: Bilingual
    discussion: OptionalBilingual = Field(default_factory=OptionalBilingual)
    recommendation: OptionalBilingual = Field(default_factory=OptionalBilingual)
    #: The records it was drawn from (each must be readable by the observer).
    sources: list[SourceRef] = Field(default_factory=list, max_length=50)
    hazard: str | None = Hazard
    #: A capability code (``GET /api/v1/capabilities``).
    capability_area: str | None = Field(default=None, max_length=64)
    #: Where it was observed (GeoJSON); default: the extent of its located sources (incidents).
    area: dict[str, Any] | None = None
    #: Never wider than any of its sources' labels.
    label: str = Field(default="alliance", max_length=80)


class LessonUpdate(_In):
    """Texts to change (each replaces both languages of that field): how a lesson written in one
    language gets the other."""

    title: Bilingual | None = None
    observation: Bilingual | None = None
    discussion: OptionalBilingual | None = None
    recommendation: OptionalBilingual | None = None
    root_cause: OptionalBilingual | None = None


class Evidence(_In):
    type: Literal["exercise_objective", "operation_record"]
    #: ``exercise_objective``: ``<operation id>/<objective id>``; ``operation_record``: a log
    #: entry, decision, incident or RFA id.
    id: str = Field(min_length=1, max_length=100)


class LessonActionBody(_In):
    #: ``validate``
    root_cause: OptionalBilingual | None = None
    capability_area: str | None = Field(default=None, max_length=64)
    hazard: str | None = Hazard
    #: ``reject``
    reason: str = Field(default="", max_length=10_000)
    #: ``assign``
    owner_org: str | None = Field(default=None, max_length=63)
    due: date | None = None
    text: Bilingual | None = None
    #: ``implement``: which action (may be left out when the lesson has one open action)
    remedial_action_id: str | None = Field(default=None, max_length=32)
    #: ``verify``
    evidence: Evidence | None = None


class RemedialActionRead(BaseModel):
    id: str
    lesson_id: str
    owner_org: str
    due: date
    text: Bilingual
    status: str
    created_at: datetime
    implemented_at: datetime | None


class LessonRead(BaseModel):
    id: str
    title: OptionalBilingual
    observation: OptionalBilingual
    discussion: OptionalBilingual
    recommendation: OptionalBilingual
    root_cause: OptionalBilingual
    #: The sources this reader may read.
    sources: list[dict[str, str]]
    hazard: str | None
    capability_area: str | None
    area: dict[str, Any] | None
    state: str
    allowed_actions: list[str]
    evidence: dict[str, Any] | None
    #: Text fields with one language but not the other (``"title.ko"`` …): translation to do.
    missing_translations: list[str]
    remedial_actions: list[RemedialActionRead]
    label: str
    org: str
    author: str
    created_at: datetime
    updated_at: datetime


class SurfacedLesson(BaseModel):
    lesson: LessonRead
    #: Why it is relevant: ``{reason: hazard | capability | area, value}``, strongest first.
    why: list[dict[str, str]]
