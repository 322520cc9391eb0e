"""Input and output shapes of plans, their versions, sign-offs, comments and gap analysis."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from katchi.assets import TaskCodes
from katchi.core.schemas import Bilingual

Priority = Literal["critical", "high", "medium", "low"]
Phase = Literal["0-6h", "6-24h", "24-72h"]
Nation = Field(pattern=r"^[A-Z]{3}$")

#: The response phases a plan's tasks fall in, hours from the plan's T0 (the hazard's onset).
PHASES: dict[str, tuple[float, float]] = {"0-6h": (0.0, 6.0), "6-24h": (6.0, 24.0), "24-72h": (24.0, 72.0)}
#: A task's priority when the plan does not give one: the earlier the phase, the more urgent.
PHASE_PRIORITY: dict[str, str] = {"0-6h": "critical", "6-24h": "high", "24-72h": "medium"}
#: The longest a task may run (hours from T0); phases cover the first 72 hours.
LATEST_END_H = 24.0 * 30


def phase_of(start_h: float) -> str:
    """The phase a task starting at ``start_h`` belongs to."""
    for name, (lo, hi) in PHASES.items():
        if lo <= start_h < hi:
            return name
    raise ValueError(f"start_h {start_h:g} is past the last phase (tasks start within 72 h)")


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class PlanTaskIn(_In):
    """A task of the plan: a capability needed in a window of the response. Give ``phase``, or
    ``start_h`` and ``end_h`` (hours from T0), or both when they agree."""

    #: Keep a task's id across edits (so versions compare task by task); omit for a new task.
    id: str | None = Field(default=None, max_length=32)
    title: Bilingual
    capability: str = Field(min_length=1, max_length=64)
    #: In the catalogue's unit for the capability; each asset supplies its ``capacity``.
    quantity: int = Field(ge=1, le=1_000_000)
    phase: Phase | None = None
    start_h: float | None = Field(default=None, ge=0)
    end_h: float | None = Field(default=None, gt=0, le=LATEST_END_H)
    lead_org: str = Field(min_length=1, max_length=63)
    support_orgs: list[str] = Field(default_factory=list, max_length=50)
    priority: Priority | None = None
    task_codes: TaskCodes = Field(default_factory=list, max_length=20)
    #: Where the task is done (GeoJSON); default: the plan's area.
    location: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _window(self) -> PlanTaskIn:
        if self.start_h is None and self.end_h is None:
            if self.phase is None:
                raise ValueError("give the task's phase, or its start_h and end_h")
            self.start_h, self.end_h = PHASES[self.phase]
        elif self.start_h is None or self.end_h is None:
            raise ValueError("give both start_h and end_h")
        if self.end_h <= self.start_h:
            raise ValueError("end_h must be after start_h")
        derived = phase_of(self.start_h)
        if self.phase is not None and self.phase != derived:
            raise ValueError(f"phase {self.phase} does not match start_h {self.start_h:g} (phase {derived})")
        self.phase = derived  # type: ignore[assignment]
        self.priority = self.priority or PHASE_PRIORITY[derived]  # type: ignore[assignment]
        return self


class PlanCreate(_In):
    name: Bilingual
    hazard: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")
    #: The area the plan covers (GeoJSON Polygon or MultiPolygon, or a Point).
    area: dict[str, Any]
    label: str = Field(default="alliance", max_length=80)
    #: The nations that prepare and sign the plan (ISO 3166 alpha-3); each must sign.
    nations: list[str] = Field(min_length=1, max_length=10)
    objectives: list[Bilingual] = Field(default_factory=list, max_length=50)
    tasks: list[PlanTaskIn] = Field(default_factory=list, max_length=500)


class PlanUpdate(_In):
    """Fields to change; any change makes a new version, returns the plan to draft and clears
    its signatures."""

    name: Bilingual | None = None
    hazard: str | None = Field(default=None, min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_-]*$")
    area: dict[str, Any] | None = None
    nations: list[str] | None = Field(default=None, min_length=1, max_length=10)
    objectives: list[Bilingual] | None = Field(default=None, max_length=50)
    tasks: list[PlanTaskIn] | None = Field(default=None, max_length=500)


class PlanTaskRead(BaseModel):
    id: str
    title: Bilingual
    capability: str
    quantity: int
    phase: str
    start_h: float
    end_h: float
    lead_org: str
    support_orgs: list[str]
    priority: str
    task_codes: list[str]
    location: dict[str, Any] | None


class SignatureRead(BaseModel):
    nation: str
    version: int
    decision: str  # approve | reject
    by: str
    at: datetime
    reason: str


class PlanRead(BaseModel):
    id: str
    name: Bilingual
    hazard: str
    area: dict[str, Any]
    label: str
    nations: list[str]
    objectives: list[Bilingual]
    tasks: list[PlanTaskRead]
    status: str
    version: int
    #: The signatures of the current version (an edit clears them).
    signatures: list[SignatureRead]
    #: Nations whose approvers have yet to sign the current version.
    awaiting: list[str]
    allowed_actions: list[str]
    owner_org: str
    #: The operation it was activated into, where the reader may see that operation.
    operation_id: str | None
    created_by: str
    created_at: datetime
    updated_at: datetime


class PlanActionBody(_In):
    #: ``reject``: why; ``approve``: a note.
    reason: str = Field(default="", max_length=10_000)
    #: ``approve``/``reject``: the version the approver read; refused (409) if the plan has
    #: changed since, so nobody signs what they did not read.
    version: int | None = Field(default=None, ge=1, le=2**31 - 1)
    #: ``activate``: the operation whose draft RFAs the tasks become.
    operation_id: str | None = Field(default=None, max_length=32)
    #: ``activate``: the plan's T0, the hazard's onset (default: when the operation was opened);
    #: each draft RFA is needed by T0 plus its task's end.
    t0: datetime | None = None


class PlanVersionRead(BaseModel):
    number: int
    author: str
    created_at: datetime
    #: Nations that approved this version.
    approved_by: list[str]
    content: dict[str, Any] | None = None


class CommentCreate(_In):
    text: str = Field(min_length=1, max_length=10_000)
    #: Default: the plan's label; never wider than it.
    label: str | None = Field(default=None, max_length=80)


class CommentRead(BaseModel):
    id: str
    plan_id: str
    version: int
    text: str
    author: str
    org: str
    label: str
    created_at: datetime


class GapRead(BaseModel):
    capability: str
    names: dict[str, str]
    unit: str
    phase: str
    required: int
    available: int
    shortfall: int
    #: Capacity by nation of the military assets that count, and of all civilian ones together.
    by_nation: dict[str, int]
    #: Hours from T0 when the first asset that counts can arrive (None: none can).
    earliest_arrival_h: float | None
    #: How many assets count.
    assets: int
