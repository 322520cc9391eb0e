"""From impact to needs: what people in each district ask for, when, and how urgently.

A need is one request for one capability at one place: a collapse site with trapped people, a group
of injured to move, displaced people to shelter, a day's water or food for a thousand people, a
road to clear. Needs become incidents and RFAs when the engine plays them. Sizes and timings are
stated here so the numbers in an after-action report can be traced.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import shapely
from shapely.prepared import prep

from katchi.exercises.impact import DistrictImpact
from katchi.exercises.region import District

PRIORITY_RANK = {"critical": 0, "high": 1, "medium": 2, "low": 3}
URGENT = frozenset({"critical", "high"})


@dataclass(frozen=True, slots=True)
class NeedKind:
    """How a kind of need arises and what it takes: ``report_min`` is the mean delay before it is
    reported; ``work_min`` + ``work_per_person_min`` × people is the time on site."""

    key: str
    title_en: str
    title_ko: str
    incident_kind: str
    priority: str
    severity: str
    report_min: float
    work_min: float
    work_per_person_min: float
    #: The human-impact figure its people count in when it is reported (the situation board).
    impact: str | None = None


KINDS = {
    "sar": NeedKind(
        "sar",
        "People trapped",
        "매몰자 구조",
        "trapped_people",
        "critical",
        "extreme",
        45,
        90,
        45,
        impact="trapped",
    ),
    "water_rescue": NeedKind(
        "water_rescue",
        "People cut off by water",
        "고립자 구조",
        "people_cut_off",
        "critical",
        "severe",
        45,
        60,
        10,
        impact="trapped",
    ),
    "medical": NeedKind(
        "medical",
        "Injured to evacuate",
        "부상자 이송",
        "mass_casualty",
        "high",
        "severe",
        60,
        60,
        3,
        impact="injured",
    ),
    "shelter": NeedKind(
        "shelter",
        "Displaced people need shelter",
        "이재민 임시 주거",
        "displacement",
        "high",
        "moderate",
        240,
        240,
        0,
        impact="displaced",
    ),
    "water": NeedKind("water", "Drinking water", "식수 지원", "water_shortage", "medium", "moderate", 240, 120, 0),
    "food": NeedKind("food", "Food", "급식 지원", "food_shortage", "medium", "moderate", 240, 150, 0),
    "debris": NeedKind(
        "debris", "Road blocked by debris", "잔해로 도로 차단", "road_blocked", "medium", "moderate", 180, 360, 0
    ),
}

#: People per need (a packet): the size one team or one convoy takes on at a time.
SAR_MEAN_TRAPPED = 3.0
MEDICAL_TRANSPORT_SHARE = 0.3  # of the injured, those who need transport to hospital
MEDICAL_PACKET = 15
SHELTER_PACKET = 500
SUPPLY_PACKET = 1000  # people served a day's water or food by one delivery
DEBRIS_PACKET = 100  # collapsed buildings per blocked route
HEAVY_SAR_FROM = 8  # trapped people at one site that call for a heavy USAR team


@dataclass(slots=True, eq=False)
class Need:
    """One need, and what happened to it in a run (times in simulated minutes from the start)."""

    index: int
    kind: NeedKind
    capability: str
    at: float
    lon: float
    lat: float
    district_en: str
    district_ko: str
    people: int
    #: Set by the sink when the need is played: the RFA and incident it became.
    rfa: str | None = None
    incident: str | None = None
    validated_at: float | None = None
    tasked_at: float | None = None
    completed_at: float | None = None
    military: bool | None = None
    rescued: int = 0

    @property
    def priority(self) -> str:
        return self.kind.priority

    @property
    def work_min(self) -> float:
        return self.kind.work_min + self.kind.work_per_person_min * self.people


@dataclass
class _Placer:
    """Random points inside a district (rejection sampling in its bounding box)."""

    district: District
    rng: random.Random
    _prepared: object = field(init=False)

    def __post_init__(self) -> None:
        self._prepared = prep(self.district.shape)
        self._bounds = self.district.shape.bounds

    def point(self) -> tuple[float, float]:
        x0, y0, x1, y1 = self._bounds
        for _ in range(200):
            x, y = self.rng.uniform(x0, x1), self.rng.uniform(y0, y1)
            if self._prepared.contains(shapely.Point(x, y)):  # type: ignore[attr-defined]
                return (round(x, 6), round(y, 6))
        return self.district.centroid


def _packets(total: int, size: float, rng: random.Random, *, geometric: bool) -> list[int]:
    out = []
    left = total
    while left > 0:
        # geometric: 1 + Geometric(1/size), many small sites and a few large ones
        k = 1 + int(math.log(1.0 - rng.random()) / math.log(1.0 - 1.0 / size)) if geometric else int(size)
        k = max(1, min(left, k))
        out.append(k)
        left -= k
    return out


def generate_needs(
    impacts: Sequence[DistrictImpact],
    districts: Sequence[District],
    *,
    hazard: str,
    duration_min: float,
    seed: int,
    onset_min: float = 0.0,
) -> list[Need]:
    """All needs a run will see, in arrival order; the same seed gives the same list. Times count
    from the hazard's onset (``onset_min`` after the start)."""
    rng = random.Random(seed)
    by_code = {d.code: d for d in districts}
    days = max(1, math.ceil(duration_min / 1440))
    rescue = "sar" if hazard == "earthquake" else "water_rescue"
    raw: list[tuple[float, str, str, int, DistrictImpact, tuple[float, float]]] = []
    for imp in impacts:
        placer = _Placer(by_code[imp.code], rng)

        def add(
            kind: str, capability: str, at: float, people: int, imp: DistrictImpact = imp, placer: _Placer = placer
        ) -> None:
            raw.append((onset_min + at, kind, capability, people, imp, placer.point()))

        for n in _packets(imp.trapped, SAR_MEAN_TRAPPED, rng, geometric=True):
            capability = (
                "water_rescue" if rescue == "water_rescue" else ("usar_heavy" if n >= HEAVY_SAR_FROM else "usar_medium")
            )
            add(rescue, capability, rng.expovariate(1 / KINDS[rescue].report_min), n)
        for n in _packets(round(imp.injured * MEDICAL_TRANSPORT_SHARE), MEDICAL_PACKET, rng, geometric=False):
            add("medical", "mass_casualty_transport", rng.expovariate(1 / KINDS["medical"].report_min), n)
        for n in _packets(imp.displaced, SHELTER_PACKET, rng, geometric=False):
            add("shelter", "emergency_shelter", 120 + rng.expovariate(1 / KINDS["shelter"].report_min), n)
        supply = _packets(imp.displaced, SUPPLY_PACKET, rng, geometric=False)
        for day in range(days):
            for n in supply:
                add("water", "water_trucking", 360 + 1440 * day + rng.uniform(0, KINDS["water"].report_min), n)
                add("food", "food_distribution", 480 + 1440 * day + rng.uniform(0, KINDS["food"].report_min), n)
        for n in _packets(math.ceil(imp.buildings_collapsed / DEBRIS_PACKET), 1, rng, geometric=False):
            add("debris", "engineer_debris", 60 + rng.expovariate(1 / KINDS["debris"].report_min), n)
    raw = [r for r in raw if r[0] < duration_min]
    raw.sort(key=lambda r: (r[0], r[1], r[4].code))
    return [
        Need(i, KINDS[kind], capability, at, pt[0], pt[1], imp.name_en, imp.name_ko, people)
        for i, (at, kind, capability, people, imp, pt) in enumerate(raw)
    ]
