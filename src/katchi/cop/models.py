"""Incidents and facilities: the layers of the common operating picture."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base
from katchi.operations.links import linkable


class Incident(Base):
    """Something that happened at a point or over an area (collapse, fire, flood, landslide …)."""

    __tablename__ = "incidents"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"))
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    #: minor | moderate | severe | extreme (CAP severity vocabulary)
    severity: Mapped[str] = mapped_column(String(16))
    #: open | closed
    status: Mapped[str] = mapped_column(String(16))
    people_affected: Mapped[int] = mapped_column(Integer, default=0)
    #: Human impact as reported (None: not known); the situation board sums them by district.
    dead: Mapped[int | None] = mapped_column(Integer, default=None)
    injured: Mapped[int | None] = mapped_column(Integer, default=None)
    missing: Mapped[int | None] = mapped_column(Integer, default=None)
    trapped: Mapped[int | None] = mapped_column(Integer, default=None)
    displaced: Mapped[int | None] = mapped_column(Integer, default=None)
    in_need: Mapped[int | None] = mapped_column(Integer, default=None)
    #: The municipality (KOSTAT code) a point of its location lies in; None outside Korea.
    district_code: Mapped[str | None] = mapped_column(String(8), default=None)
    location: Mapped[dict[str, Any]]
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    reported_by_org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    label: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_incidents_op_id", "operation_id", "id"),
        Index("ix_incidents_op_env", "operation_id", "min_lon", "max_lon"),
        Index("ix_incidents_op_district", "operation_id", "district_code"),
    )


class Facility(Base):
    """A place that serves the response: shelter, hospital, airport, port, staging area."""

    __tablename__ = "facilities"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    operation_id: Mapped[str] = mapped_column(ForeignKey("operations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(300))
    capacity: Mapped[int] = mapped_column(Integer, default=0)
    occupancy: Mapped[int] = mapped_column(Integer, default=0)
    #: open | full | closed | damaged
    status: Mapped[str] = mapped_column(String(16))
    #: Beds free now (hospitals, shelters with cots); None when not known or not reported.
    beds_available: Mapped[int | None] = mapped_column(Integer, default=None)
    #: What the facility is short of now, a few short items ("water", "generator fuel").
    needs: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    location: Mapped[dict[str, Any]]
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    #: The owning organisation: its contributors keep the status current.
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    label: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


linkable("incident", Incident)
linkable("facility", Facility)
