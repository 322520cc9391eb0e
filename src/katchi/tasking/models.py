"""Requests for assistance and the taskings that answer them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base
from katchi.operations.links import linkable


class Rfa(Base):
    """A request for assistance: an organisation asks for a capability at a place, by a time."""

    __tablename__ = "rfas"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"), index=True)
    requesting_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    capability: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    #: critical | high | medium | low
    priority: Mapped[str] = mapped_column(String(16))
    needed_by: Mapped[datetime | None]
    location: Mapped[dict[str, Any]]
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    #: See ``tasking/states.py``.
    state: Mapped[str] = mapped_column(String(16), index=True)
    current_tasking_id: Mapped[str | None] = mapped_column(String(32))
    #: What the task involves (free codes, e.g. ``airlift``, ``security``): assets' caveats may exclude some.
    task_codes: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    label: Mapped[str] = mapped_column(String(80))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class Tasking(Base):
    """An asset assigned to an RFA, with the Oslo last-resort check recorded when it is military."""

    __tablename__ = "taskings"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"), index=True)
    rfa_id: Mapped[str] = mapped_column(ForeignKey("rfas.id"), index=True)
    asset_id: Mapped[str] = mapped_column(ForeignKey("assets.id"), index=True)
    #: awaiting_approval | tasked (awaiting the owner) | accepted | declined | denied | underway |
    #: completed | cancelled
    status: Mapped[str] = mapped_column(String(24))
    eta: Mapped[datetime | None]
    #: How long the asset is asked for (checked against its ``max_hours`` caveat).
    hours: Mapped[float | None] = mapped_column(Float, default=None)
    #: The approver of the asset's nation who approved or denied it, and why.
    decided_by: Mapped[str | None] = mapped_column(String(32), default=None)
    decision_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: ``{"military": bool, "alternatives": [...], "justification": str}``
    last_resort: Mapped[dict[str, Any]]
    #: The stricter of the RFA's and the asset's labels.
    label: Mapped[str] = mapped_column(String(80))
    tasked_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


linkable("rfa", Rfa)
linkable("tasking", Tasking)
