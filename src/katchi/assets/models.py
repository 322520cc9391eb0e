"""Assets: what an organisation can put at the response's disposal, where it is, and its state."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base
from katchi.operations.links import linkable


class Asset(Base):
    """A unit, team, vehicle or stock owned by one organisation."""

    __tablename__ = "assets"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    #: The exercise it is played in (an exercise's twin of an asset); NULL: a real asset.
    #: (No foreign-key constraint: adding one would make SQLite rebuild the table; see the migration.)
    operation_id: Mapped[str | None] = mapped_column(String(32), index=True, default=None)
    #: The real asset an exercise's twin plays (lent by its owner); the real one is never touched.
    twin_of: Mapped[str | None] = mapped_column(String(32), default=None)
    name: Mapped[str] = mapped_column(String(200))
    #: Catalogue code (``katchi/data/capabilities.json``).
    capability: Mapped[str] = mapped_column(String(64), index=True)
    #: In the catalogue's unit for this capability.
    capacity: Mapped[int] = mapped_column(Integer)
    #: available | requested | tasked | underway | unavailable
    status: Mapped[str] = mapped_column(String(16))
    #: Current position (GeoJSON Point) and its envelope for bbox queries.
    location: Mapped[dict[str, Any]]
    min_lon: Mapped[float] = mapped_column(Float)
    min_lat: Mapped[float] = mapped_column(Float)
    max_lon: Mapped[float] = mapped_column(Float)
    max_lat: Mapped[float] = mapped_column(Float)
    home_base: Mapped[str] = mapped_column(String(200), default="")
    #: Typical speed, km/h (the exercise engine moves assets with it).
    speed_kmh: Mapped[float] = mapped_column(Float, default=60.0)
    label: Mapped[str] = mapped_column(String(80))
    #: National caveats set by its owner (``schemas.Caveats``): they bind every tasking.
    caveats: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    #: Where the log last recorded it (``report_position`` logs a move only beyond a threshold).
    logged_location: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    #: When its track last gained a point.
    track_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_assets_capability_status", "capability", "status"),)


class AssetPosition(Base):
    """A point of a moving asset's track: positions are state with a history, kept apart from the
    hash-chained log, thinned and then dropped by ``prune_positions``."""

    __tablename__ = "asset_positions"
    __table_args__ = (Index("ix_asset_positions_asset_at", "asset_id", "at"), Index("ix_asset_positions_at", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    asset_id: Mapped[str] = mapped_column(ForeignKey("assets.id"))
    at: Mapped[datetime]
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    #: Where it came from: ``interop:cot`` (a TAK device), ``web`` …
    source: Mapped[str] = mapped_column(String(32))


linkable("asset", Asset)
