"""Input and output shapes of RFAs and taskings."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

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
    #: Submit at once instead of saving a draft.
    submit: bool = False


class RfaActionBody(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    asset_id: str | None = Field(default=None, max_length=32)
    justification: str = Field(default="", max_length=10_000)
    reason: str = Field(default="", max_length=10_000)
    eta: datetime | None = None


class TaskingRead(BaseModel):
    id: str
    rfa_id: str
    asset_id: str
    status: str
    eta: datetime | None
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
    state: str
    allowed_actions: list[str]
    tasking: TaskingRead | None
    label: str
    created_at: datetime
    updated_at: datetime
