"""Recommend which available asset serves which validated request: exact for one asset per
request, by SciPy's ``linear_sum_assignment`` on one cost matrix built with numpy.

What the recommendation optimises, in this order (lexicographic, through the costs' scales):
1. the priority-weighted number of requests served within their deadlines (a request without
   ``needed_by`` gets its priority's default deadline);
2. among plans that serve as much, as few military assets as possible — the Oslo Guidelines'
   last resort, as a cost: a military asset is recommended only where no civilian one is left
   that can arrive in time (a smaller civilian asset comes first: it serves, and the rest of the
   need can be asked again), and its reason says which;
3. then the largest share of each request's quantity served (an asset's capacity over it);
4. then the earliest arrivals.
A pair is possible only if the asset has the capability, its owner may read the request, its
caveats allow the request (excluded task codes, longest commitment, a permitted area that covers
the request's place, as tasking checks) and it arrives before the deadline. At most one asset per
request and no asset twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import shapely
from scipy.optimize import linear_sum_assignment

#: How much serving a request counts, by priority.
PRIORITY_WEIGHT = {"critical": 8, "high": 4, "medium": 2, "low": 1}
#: Minutes from now by which a request without ``needed_by`` must be reached, by priority.
DEFAULT_DEADLINE_MIN = {"critical": 120.0, "high": 360.0, "medium": 1440.0, "low": 4320.0}
#: Ground routes are longer than the great circle (road-distance factor for Korean cities).
ROAD_FACTOR = 1.35
#: Served share in thousandths: the primary objective is an integer, so the order is exact.
SHARE_UNITS = 1000
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Request:
    """A validated request as the optimiser sees it; ``deadline_min``: minutes from now."""

    id: str
    capability: str
    quantity: int
    priority: str
    lon: float
    lat: float
    deadline_min: float | None = None
    task_codes: frozenset[str] = frozenset()
    hours: float | None = None
    #: Its releasability label, where candidates say which labels their owners read.
    label: str | None = None
    #: Its place (a shapely geometry) when it is more than the point ``lon``/``lat`` (an area):
    #: an asset's permitted area must cover all of it.
    place: Any = None

    @property
    def deadline(self) -> float:
        return self.deadline_min if self.deadline_min is not None else DEFAULT_DEADLINE_MIN[self.priority]


@dataclass(frozen=True, slots=True)
class Candidate:
    """An available asset with what binds it: its owner's caveats and its home base."""

    id: str
    name: str
    capability: str
    capacity: int
    lon: float
    lat: float
    speed_kmh: float
    military: bool
    air: bool = False
    mobilise_min: float = 15.0
    excluded_tasks: frozenset[str] = frozenset()
    max_hours: float | None = None
    #: The permitted area (a shapely geometry) or None for anywhere.
    area: Any = None
    #: The labels its owner reads (None: any): a tasking is a request to the owner, who must be
    #: able to read the request it answers.
    owner_reads: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Recommendation:
    rfa_id: str
    asset_id: str
    eta_min: float
    military: bool
    #: The reason in words (English; recorded as the tasking's justification).
    reason: str
    #: The reason as a code, for readers in other languages: ``civilian_first``,
    #: ``no_civilian_in_time`` or ``civilians_needed_elsewhere``.
    why: str = "civilian_first"


@dataclass
class Costs:
    """The cost matrix (requests × candidates) and what it was built from; ``value``: the
    priority weight a possible pair serves (0 where impossible)."""

    cost: np.ndarray
    possible: np.ndarray
    eta: np.ndarray
    value: np.ndarray = field(repr=False)


def _km(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    """Equirectangular distance: within 0.1 % of the great circle at the scale of a response
    (a few hundred km), and several times cheaper on a matrix of every pair."""
    k = np.radians(1.0) * EARTH_RADIUS_KM
    dx = (lon2 - lon1) * (np.cos(np.radians(lat1)) * k)
    dy = (lat2 - lat1) * k
    return np.sqrt(dx * dx + dy * dy)


def arrival_min(
    lon: np.ndarray,
    lat: np.ndarray,
    from_lon: np.ndarray,
    from_lat: np.ndarray,
    *,
    speed: np.ndarray,
    air: np.ndarray,
    mobilise: np.ndarray,
) -> np.ndarray:
    """Minutes for assets at ``from_*`` to reach ``lon``/``lat`` (broadcast): mobilisation, then
    the distance at the asset's speed, longer by road than by air."""
    km = _km(lon, lat, from_lon, from_lat)
    return mobilise + 60.0 * km * np.where(air, 1.0, ROAD_FACTOR) / speed


def cost_matrix(requests: Sequence[Request], candidates: Sequence[Candidate]) -> Costs:
    """Costs of every pair; an impossible pair costs 0 (as good as leaving the request unserved),
    a possible one is negative, so the solver never prefers an impossible pair to a possible one."""
    n, m = len(requests), len(candidates)
    if n == 0 or m == 0:
        z = np.zeros((n, m))
        return Costs(z, z.astype(bool), z, z)
    rlon = np.array([r.lon for r in requests])[:, None]
    rlat = np.array([r.lat for r in requests])[:, None]
    clon = np.array([c.lon for c in candidates])[None, :]
    clat = np.array([c.lat for c in candidates])[None, :]
    air = np.array([c.air for c in candidates])[None, :]
    speed = np.array([c.speed_kmh for c in candidates])[None, :]
    mobilise = np.array([c.mobilise_min for c in candidates])[None, :]
    eta = arrival_min(rlon, rlat, clon, clat, speed=speed, air=air, mobilise=mobilise)
    deadline = np.array([r.deadline for r in requests])[:, None]
    caps = {
        code: i for i, code in enumerate(sorted({r.capability for r in requests} | {c.capability for c in candidates}))
    }
    possible = (
        np.array([caps[r.capability] for r in requests])[:, None]
        == np.array([caps[c.capability] for c in candidates])[None, :]
    )
    possible &= eta <= deadline
    for code in sorted({t for r in requests for t in r.task_codes}):  # excluded task codes
        barred = np.array([code in c.excluded_tasks for c in candidates])
        if barred.any():
            possible &= ~(np.array([code in r.task_codes for r in requests])[:, None] & barred[None, :])
    hours = np.array([r.hours if r.hours is not None else 0.0 for r in requests])[:, None]
    longest = np.array([c.max_hours if c.max_hours is not None else np.inf for c in candidates])[None, :]
    possible &= hours <= longest
    places = None
    for j, c in enumerate(candidates):
        if c.area is not None:
            if places is None:
                places = np.array([r.place if r.place is not None else shapely.Point(r.lon, r.lat) for r in requests])
            possible[:, j] &= shapely.covers(c.area, places)
        if c.owner_reads is not None:
            possible[:, j] &= np.array([r.label in c.owner_reads for r in requests])
    quantity = np.array([max(1, r.quantity) for r in requests])[:, None]
    capacity = np.array([max(0, c.capacity) for c in candidates])[None, :]
    share = np.minimum(SHARE_UNITS, np.floor(SHARE_UNITS * capacity / quantity))
    possible &= share > 0
    weight = np.array([PRIORITY_WEIGHT[r.priority] for r in requests], dtype=float)[:, None]
    value = np.where(possible, weight, 0.0)
    # Lexicographic through scales. At most ``p`` pairs are chosen: the arrival terms (each < 1)
    # sum to less than ``k_share``; one share unit outweighs them, one military asset every share
    # and arrival term, one unit of priority weight every military, share and arrival term.
    p = float(min(n, m))
    k_share = p + 1.0
    k_mil = k_share * (SHARE_UNITS * p + 1.0)
    k_value = k_mil * (p + 2.0)
    military = np.array([c.military for c in candidates], dtype=float)[None, :]
    scale = float(eta[possible].max()) + 1.0 if possible.any() else 1.0
    cost = np.where(possible, -value * k_value + military * k_mil - share * k_share + eta / scale, 0.0)
    return Costs(cost, possible, eta, value)


def recommend(requests: Sequence[Request], candidates: Sequence[Candidate]) -> list[Recommendation]:
    """The best assignment of ``candidates`` to ``requests`` (see the module's docstring), each
    with its arrival time and the reason for its choice.

    Only an asset of the capability asked for can serve a request, so the problem splits into one
    independent block per capability; each is solved exactly, and the blocks' optima make the
    whole's (the objective is a sum over blocks)."""
    by_capability: dict[str, tuple[list[Request], list[Candidate]]] = {}
    for r in requests:
        by_capability.setdefault(r.capability, ([], []))[0].append(r)
    for c in candidates:
        if c.capability in by_capability:
            by_capability[c.capability][1].append(c)
    out: list[Recommendation] = []
    for block_requests, block_candidates in by_capability.values():
        if block_candidates:
            out += _solve(block_requests, block_candidates)
    return out


def _solve(requests: Sequence[Request], candidates: Sequence[Candidate]) -> list[Recommendation]:
    costs = cost_matrix(requests, candidates)
    if not costs.possible.any():
        return []
    rows, cols = linear_sum_assignment(costs.cost)
    out = []
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if not costs.possible[i, j]:
            continue
        r, c = requests[i], candidates[j]
        eta = float(costs.eta[i, j])
        why, reason = _reason(r, c, eta, costs, i, candidates)
        out.append(Recommendation(r.id, c.id, round(eta, 1), c.military, reason, why))
    return out


def _reason(
    r: Request, c: Candidate, eta: float, costs: Costs, i: int, candidates: Sequence[Candidate]
) -> tuple[str, str]:
    within = f"within {r.deadline:.0f} min"
    if not c.military:
        return "civilian_first", f"civilian first: {c.name} arrives in {eta:.0f} min, {within}"
    civilian_in_time = any(costs.possible[i, j] and not k.military for j, k in enumerate(candidates))
    if not civilian_in_time:
        code, why = "no_civilian_in_time", f"no civilian {r.capability} asset can arrive {within}"
    else:
        code = "civilians_needed_elsewhere"
        why = f"the civilian {r.capability} assets that could arrive {within} are recommended for other requests"
    return code, f"military last resort: {why}; {c.name} arrives in {eta:.0f} min"
