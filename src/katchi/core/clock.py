"""UTC time, in one place, so tests and the exercise engine can control it."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware current UTC time."""
    return datetime.now(UTC)


def iso(dt: datetime) -> str:
    """ISO 8601 with an explicit UTC offset; naive datetimes are taken as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat().replace("+00:00", "Z")
