"""When scheduled situation reports fall due: local times of day in a time zone (pure)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo


def _slots_around(times: list[str], zone: ZoneInfo, at: datetime) -> list[datetime]:
    """Every slot of the day before ``at`` (local), its day and the next, in UTC order."""
    day = at.astimezone(zone).date()
    slots = []
    for offset in (-2, -1, 0, 1):
        for text in times:
            hour, minute = (int(x) for x in text.split(":"))
            slots.append(datetime.combine(day + timedelta(days=offset), time(hour, minute), tzinfo=zone))
    return sorted(slots)


def latest_slot(times: list[str], zone: ZoneInfo, at: datetime) -> datetime | None:
    """The last scheduled time at or before ``at`` (None without times)."""
    past = [s for s in _slots_around(times, zone, at) if s <= at]
    return past[-1] if past else None


def previous_slot(times: list[str], zone: ZoneInfo, slot: datetime) -> datetime:
    """The scheduled time before ``slot``: where the period ending at ``slot`` starts."""
    earlier = [s for s in _slots_around(times, zone, slot) if s < slot]
    return earlier[-1]
