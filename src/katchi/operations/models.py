"""Operations and what happens inside them: ops log, decisions, messages, the liaison directory."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base


class Operation(Base):
    """A response (``real``) or a training run (``exercise``); exercise data never mixes with real."""

    __tablename__ = "operations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The name in Korean (NULL: the console shows ``name`` in both languages).
    name_ko: Mapped[str | None] = mapped_column(String(200), default=None)
    #: real | exercise
    mode: Mapped[str] = mapped_column(String(16))
    #: earthquake, typhoon, flood, … (free vocabulary, lower case)
    hazard: Mapped[str] = mapped_column(String(64))
    #: active | closed
    status: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    #: Where the response is (GeoJSON Polygon or MultiPolygon; NULL: not said): the COP opens on it.
    area: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    #: The civilian organisation that leads (Oslo Guidelines: civilian lead).
    lead_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    label: Mapped[str] = mapped_column(String(80))
    created_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime]


class OperationParticipant(Base):
    """An organisation taking part; its users read the operation's ``alliance``/``nation`` records.

    ``coordinating``: the lead and the co-coordinators it names; only their coordinators validate,
    reject and task the operation's requests (coordinators of other participants do not)."""

    __tablename__ = "operation_participants"

    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True, index=True)
    coordinating: Mapped[bool] = mapped_column(default=False, server_default=false())


class OpsLogEntry(Base):
    """A line in the operation's running log, written by a person (not the event log)."""

    __tablename__ = "ops_log_entries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(80))
    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Decision(Base):
    """What was decided, why, by whom, and the records it concerns."""

    __tablename__ = "decisions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    rationale: Mapped[str] = mapped_column(Text)
    links: Mapped[dict[str, Any]]
    label: Mapped[str] = mapped_column(String(80))
    decided_by: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Message(Base):
    """Operation chat; ``parent_id`` threads replies."""

    __tablename__ = "messages"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("messages.id"))
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(80))
    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    author_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    #: Organisations (slugs) it is addressed to, all participants: their users are notified.
    to_orgs: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")


class Contact(Base):
    """A liaison officer of the operation's directory: who speaks for which organisation, and how
    to reach them (phone, radio call sign, the languages they work in)."""

    __tablename__ = "contacts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"))
    name: Mapped[str] = mapped_column(String(200))
    #: Free text: "LNO to 2ID", "Shelter cluster lead".
    role: Mapped[str] = mapped_column(String(200), default="")
    #: The organisation they represent: its contributors keep its own contacts current.
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    phone: Mapped[str] = mapped_column(String(40), default="")
    radio_call_sign: Mapped[str] = mapped_column(String(40), default="")
    #: ISO 639-1 codes (ko, en …), in the order given.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    email: Mapped[str] = mapped_column(String(254), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    label: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (Index("ix_contacts_op_id", "operation_id", "id"),)
