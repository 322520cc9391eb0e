"""What the assets could bring to a plan's tasks, phase by phase, and the shortfall (pure).

An asset counts toward a group of tasks (one capability in one phase) when it has the
capability, can arrive before one of those tasks ends, and its owner's caveats allow that task:
its permitted area covers the task's place (as tasking checks: an asset that may work in only
part of the area could not be tasked to the whole), no task code it excludes, and a longest
commitment that covers the task's window. Counting is capacity, in the catalogue's unit for the capability,
each asset once per group. Whatever its current status: a plan is checked against what exists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from katchi.planning.optimiser.assign import arrival_min


@dataclass(frozen=True, slots=True)
class Need:
    """A plan task as the gap analysis sees it; ``place``: a shapely geometry (its location or
    the plan's area), ``lon``/``lat``: the point assets travel to."""

    capability: str
    phase: str
    start_h: float
    end_h: float
    quantity: int
    lon: float
    lat: float
    place: Any
    task_codes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Supplier:
    """An asset: ``side`` is its nation's code for a military asset, ``civilian`` otherwise."""

    id: str
    capability: str
    capacity: int
    lon: float
    lat: float
    speed_kmh: float
    side: str
    air: bool = False
    mobilise_min: float = 15.0
    excluded_tasks: frozenset[str] = frozenset()
    max_hours: float | None = None
    #: The permitted area (a shapely geometry) or None for anywhere.
    area: Any = None


@dataclass(frozen=True, slots=True)
class Gap:
    capability: str
    phase: str
    required: int
    available: int
    shortfall: int
    by_side: dict[str, int]
    earliest_arrival_h: float | None
    assets: int


def _allowed(s: Supplier, n: Need) -> bool:
    if s.excluded_tasks & n.task_codes:
        return False
    if s.max_hours is not None and s.max_hours < n.end_h - n.start_h:
        return False
    return s.area is None or bool(s.area.covers(n.place))


def gaps(needs: Sequence[Need], suppliers: Sequence[Supplier], phases: Sequence[str]) -> list[Gap]:
    """One row per capability and phase the needs ask for, in ``phases`` order then capability."""
    groups: dict[tuple[str, str], list[Need]] = {}
    for n in needs:
        groups.setdefault((n.capability, n.phase), []).append(n)
    by_capability: dict[str, list[Supplier]] = {}
    for s in suppliers:
        by_capability.setdefault(s.capability, []).append(s)
    rows = []
    for (capability, phase), group in sorted(groups.items(), key=lambda kv: (phases.index(kv[0][1]), kv[0][0])):
        candidates = by_capability.get(capability, [])
        arrival = _arrival_h(group, candidates)
        counted: dict[str, tuple[Supplier, float]] = {}
        for j, s in enumerate(candidates):
            for i, n in enumerate(group):
                if arrival[i, j] <= n.end_h and _allowed(s, n):
                    best = counted.get(s.id)
                    if best is None or arrival[i, j] < best[1]:
                        counted[s.id] = (s, float(arrival[i, j]))
        by_side: dict[str, int] = {}
        for s, _ in counted.values():
            by_side[s.side] = by_side.get(s.side, 0) + max(0, s.capacity)
        required = sum(n.quantity for n in group)
        available = sum(by_side.values())
        rows.append(
            Gap(
                capability=capability,
                phase=phase,
                required=required,
                available=available,
                shortfall=max(0, required - available),
                by_side=dict(sorted(by_side.items())),
                earliest_arrival_h=round(min(h for _, h in counted.values()), 2) if counted else None,
                assets=len(counted),
            )
        )
    return rows


def _arrival_h(group: Sequence[Need], candidates: Sequence[Supplier]) -> np.ndarray:
    """Hours from T0 for each candidate (columns) to reach each need (rows)."""
    if not candidates:
        return np.zeros((len(group), 0))
    minutes = arrival_min(
        np.array([n.lon for n in group])[:, None],
        np.array([n.lat for n in group])[:, None],
        np.array([s.lon for s in candidates])[None, :],
        np.array([s.lat for s in candidates])[None, :],
        speed=np.array([s.speed_kmh for s in candidates])[None, :],
        air=np.array([s.air for s in candidates])[None, :],
        mobilise=np.array([s.mobilise_min for s in candidates])[None, :],
    )
    return minutes / 60.0
