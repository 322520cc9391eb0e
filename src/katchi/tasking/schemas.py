"""Input and output shapes of RFAs and taskings."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from katchi.assets import TaskCodes

Priority = Literal["critical", "high", "medium", "low"]


class RfaCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    capability: str = Field(min_length=1, max_length=64)
    quantity: int = Field(default=1, ge=1, le=1_000_000)
    location: dict[str, Any]
    priority: Priority = "medium"
    needed_by: datetime | None = None
    description: str = Field(default="", max_length=10_000)
    label: str = Field(default="alliance", max_length=80)
    #: What the task involves (e.g. ``airlift``, ``security``): an asset's caveats may exclude some.
    task_codes: TaskCodes = Field(default_factory=list, max_length=20)
    #: Submit at once instead of saving a draft.
    submit: bool = False


class RfaActionBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    asset_id: str | None = Field(default=None, max_length=32)
    justification: str = Field(default="", max_length=10_000)
    reason: str = Field(default="", max_length=10_000)
    eta: datetime | None = None
    #: How long the asset is asked for (``task``); required when its caveats set ``max_hours``.
    hours: float | None = Field(default=None, gt=0, le=24 * 366)


class TaskingRead(BaseModel):
    id: str
    rfa_id: str
    asset_id: str
    status: str
    eta: datetime | None
    hours: float | None
    last_resort: dict[str, Any]
    label: str


class RfaRead(BaseModel):
    id: str
    operation_id: str
    requesting_org: str
    title: str
    description: str
    capability: str
    quantity: int
    priority: str
    needed_by: datetime | None
    location: dict[str, Any]
    task_codes: list[str]
    state: str
    allowed_actions: list[str]
    tasking: TaskingRead | None
    label: str
    created_at: datetime
    updated_at: datetime


class ApprovalDecision(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(default="", max_length=10_000)


class ApprovalAsset(BaseModel):
    id: str
    name: str
    org: str
    nation: str
    capability: str


class ApprovalRead(BaseModel):
    """A tasking that needs (or had) its nation's approval, with what an approver must know to
    decide: the request's essentials, the asset and its caveats. Shown to approvers of the asset's
    nation whether or not their organisation takes part in the operation."""

    rfa_id: str
    tasking_id: str
    operation_id: str
    operation_name: str
    operation_mode: str
    requesting_org: str
    title: str
    capability: str
    quantity: int
    priority: str
    needed_by: datetime | None
    location: dict[str, Any]
    task_codes: list[str]
    hours: float | None
    asset: ApprovalAsset
    caveats: dict[str, Any]
    #: awaiting_approval | approved | denied
    status: str
    reason: str
    decided_by: str | None
