"""Tables of the planning domain: contingency plans, each version of them, the nations'
signatures and the planners' comments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base
from katchi.operations.links import linkable


class Plan(Base):
    """A contingency plan prepared together by the organisations of its nations. Its current
    content is ``content`` (``name``, ``hazard``, ``area``, ``nations``, ``objectives``,
    ``tasks``); every version of it is kept in ``plan_versions``."""

    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    #: The organisation that created it (its coordinators and those of its nations' organisations edit it).
    owner_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    hazard: Mapped[str] = mapped_column(String(64), index=True)
    content: Mapped[dict[str, Any]]
    #: Who must sign (ISO 3166 alpha-3), copied from ``content`` for queries.
    nations: Mapped[list[str]] = mapped_column(JSON)
    #: draft | submitted | approved | rejected | active | archived (``states.py``)
    status: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer)
    #: The operation it was activated into.
    operation_id: Mapped[str | None] = mapped_column(ForeignKey("operations.id"), default=None)
    label: Mapped[str] = mapped_column(String(80))
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class PlanVersion(Base):
    """The plan's content as one edit left it; kept for ever, so signed versions can be read and
    compared."""

    __tablename__ = "plan_versions"
    __table_args__ = (Index("ix_plan_versions_plan_number", "plan_id", "number", unique=True),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"))
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]]
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class PlanSignature(Base):
    """A nation's approval or rejection of one version, by one of its approvers. Only the current
    version's signatures count; older ones stay as history."""

    __tablename__ = "plan_signatures"
    __table_args__ = (Index("ix_plan_signatures_plan_version", "plan_id", "version"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"))
    version: Mapped[int] = mapped_column(Integer)
    nation: Mapped[str] = mapped_column(String(3))
    #: approve | reject
    decision: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text, default="")
    signer_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    signer_label: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime]


class PlanComment(Base):
    """A planner's comment on a version of the plan, under a label never wider than the plan's."""

    __tablename__ = "plan_comments"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plan_id: Mapped[str] = mapped_column(ForeignKey("plans.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]


linkable("plan", Plan)
