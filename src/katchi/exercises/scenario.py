"""The scenario format: YAML validated by Pydantic, with errors that name the file line.

A scenario describes a disaster to play into Katchi: where and when, the hazard, who takes part
with which assets, the facilities that matter, timed injects and the objectives to evaluate.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from katchi.core.errors import Invalid

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d)\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: Any) -> timedelta:
    """``90m``, ``3h``, ``2.5d`` or a number of seconds."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and value >= 0:
        return timedelta(seconds=value)
    m = _DURATION.match(str(value))
    if not m:
        raise ValueError(f"{value!r} is not a duration like 90m, 3h or 2d")
    return timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2)])


Duration = Annotated[timedelta, Field(description="e.g. 90m, 3h, 2d")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LonLat(_Strict):
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, v: Any) -> Any:
        if isinstance(v, list | tuple):
            if len(v) != 2:
                raise ValueError("a position is [lon, lat]")
            return {"lon": v[0], "lat": v[1]}
        return v


class Earthquake(_Strict):
    kind: Literal["earthquake"]
    magnitude: float = Field(gt=0, le=9.5)
    epicentre: LonLat
    depth_km: float = Field(gt=0, le=700)
    #: Why this epicentre and depth: the source, fault or scenario study it follows.
    rationale: str = Field(min_length=1)


class Typhoon(_Strict):
    kind: Literal["typhoon"]
    #: Track points with the time offset at which the centre passes them.
    track: list[tuple[Duration, LonLat]] = Field(min_length=2)
    max_wind_ms: float = Field(gt=0, le=100)
    radius_max_wind_km: float = Field(gt=0, le=300)
    rationale: str = Field(min_length=1)

    @field_validator("track", mode="before")
    @classmethod
    def _track(cls, v: Any) -> Any:
        if not isinstance(v, list):
            return v
        return [(parse_duration(p.get("at")), p.get("position")) if isinstance(p, dict) else p for p in v]


class Flood(_Strict):
    kind: Literal["flood"]
    river: str = Field(min_length=1)
    #: The river's centreline through the region, upstream to downstream.
    centreline: list[LonLat] = Field(min_length=2)
    #: Water level above flood stage at the peak, metres.
    peak_stage_m: float = Field(gt=0, le=30)
    peak_at: Duration
    rationale: str = Field(min_length=1)

    @field_validator("peak_at", mode="before")
    @classmethod
    def _dur(cls, v: Any) -> timedelta:
        return parse_duration(v)


Hazard = Annotated[Earthquake | Typhoon | Flood, Field(discriminator="kind")]


class ScenarioOrg(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    name_en: str
    name_ko: str
    nation: str = Field(pattern=r"^[A-Z]{3}$")
    kind: Literal["military", "civil", "ngo", "io"]


class ScenarioAsset(_Strict):
    org: str
    name: str
    capability: str
    count: int = Field(default=1, ge=1, le=1000)
    capacity: int = Field(default=1, ge=0)
    base: LonLat
    speed_kmh: float = Field(gt=0, le=2000)
    label: str = "alliance"


class ScenarioFacility(_Strict):
    kind: Literal["shelter", "hospital", "airport", "port", "staging_area", "warehouse", "cmoc"]
    name: str
    location: LonLat
    capacity: int = Field(default=0, ge=0)


class Inject(_Strict):
    """A timed event of the MSEL; ``payload`` holds its place (``position``) and its effects on the
    simulation (``travel_time_factor``, ``facility``, ``capacity``, ``severity``)."""

    at: Duration
    kind: str = Field(pattern=r"^[a-z][a-z0-9_-]*$")
    title: str
    payload: dict[str, Any] = Field(default_factory=dict)
    label: str = "alliance"
    #: The scenario organisation it is addressed to (none: the whole exercise).
    to: str | None = None
    #: What the players are expected to do (for controllers and evaluators; never delivered).
    expected_action: str = ""
    #: The id of the objective it tests.
    objective: str | None = None

    @field_validator("at", mode="before")
    @classmethod
    def _dur(cls, v: Any) -> timedelta:
        return parse_duration(v)


class Objective(_Strict):
    """An exercise objective: a measured target, and the criteria evaluators judge it by (an
    HSEEP-style exercise evaluation guide)."""

    #: How injects and evaluators' observations name it (default O1, O2, … in order).
    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
    title: str = ""
    title_ko: str = ""
    criteria: list[str] = Field(default_factory=list)
    metric: str
    target: float
    #: ``max``: the measured value should not exceed the target; ``min``: it should reach it.
    direction: Literal["max", "min"] = "max"


class Scenario(_Strict):
    name: str = Field(min_length=1)
    name_ko: str = Field(min_length=1)
    region: str = Field(min_length=1)
    start: datetime
    duration: Duration
    seed: int
    hazard: Hazard
    organisations: list[ScenarioOrg] = Field(min_length=1)
    assets: list[ScenarioAsset] = Field(default_factory=list)
    facilities: list[ScenarioFacility] = Field(default_factory=list)
    injects: list[Inject] = Field(default_factory=list)
    objectives: list[Objective] = Field(default_factory=list)
    #: Published figures the impact totals were checked against (DESIGN: say which).
    calibration: list[str] = Field(default_factory=list)
    #: The organisation that leads (default: the first civilian one, as the Oslo Guidelines ask).
    lead: str | None = None
    #: Organisations whose coordinators validate and task requests with the lead.
    coordinators: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _objective_ids(cls, data: Any) -> Any:
        """Objectives written without an id are O1, O2, … in the order given."""
        if isinstance(data, dict) and isinstance(data.get("objectives"), list):
            data = {
                **data,
                "objectives": [
                    {"id": f"O{i + 1}", **o} if isinstance(o, dict) and "id" not in o else o
                    for i, o in enumerate(data["objectives"])
                ],
            }
        return data

    @field_validator("duration", mode="before")
    @classmethod
    def _dur(cls, v: Any) -> timedelta:
        return parse_duration(v)

    @field_validator("region")
    @classmethod
    def _known_region(cls, v: str) -> str:
        from katchi.exercises.region import REGIONS

        if v not in REGIONS:
            raise ValueError(f"unknown region {v!r}; known: {', '.join(sorted(REGIONS))}")
        return v

    @field_validator("start")
    @classmethod
    def _aware(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("start needs a time zone, e.g. 2026-03-01T05:00:00+09:00")
        return v

    @model_validator(mode="after")
    def _references(self) -> Scenario:
        slugs = {o.slug for o in self.organisations}
        if len(slugs) != len(self.organisations):
            raise ValueError("organisation slugs must be unique")
        for i, a in enumerate(self.assets):
            if a.org not in slugs:
                raise ValueError(f"assets[{i}]: unknown organisation {a.org!r}")
        objectives = [o.id for o in self.objectives]
        if len(set(objectives)) != len(objectives):
            raise ValueError("objective ids must be unique")
        for i, inj in enumerate(self.injects):
            if inj.at > self.duration:
                raise ValueError(f"injects[{i}]: at {inj.at} is after the scenario ends ({self.duration})")
            if inj.to is not None and inj.to not in slugs:
                raise ValueError(f"injects[{i}]: to names unknown organisation {inj.to!r}")
            if inj.objective is not None and inj.objective not in objectives:
                raise ValueError(f"injects[{i}]: unknown objective {inj.objective!r}")
        if self.lead is not None and self.lead not in slugs:
            raise ValueError(f"lead: unknown organisation {self.lead!r}")
        for slug in self.coordinators:
            if slug not in slugs:
                raise ValueError(f"coordinators: unknown organisation {slug!r}")
        return self


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario; every problem is reported as ``file:line: field: message``."""
    path = Path(path)
    text = path.read_text("utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise Invalid(f"{where}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if not isinstance(data, dict):
        raise Invalid(f"{path}:1: a scenario is a mapping of fields")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        problems: list[dict[str, Any]] = []
        lines: list[str] = []
        for err in exc.errors():
            loc = [p for p in err["loc"] if not (isinstance(p, str) and p in ("earthquake", "typhoon", "flood"))]
            line = _line_of(root, loc)
            field = ".".join(str(p) for p in loc) or "(scenario)"
            problems.append({"line": line, "loc": loc, "msg": err["msg"]})
            lines.append(f"{path}:{line}: {field}: {err['msg']}")
        raise Invalid("\n".join(lines), errors=problems) from None


def _line_of(node: yaml.Node | None, loc: list[Any]) -> int:
    """The 1-based line of the deepest YAML node along ``loc`` (its parent when the key is missing)."""
    line = node.start_mark.line + 1 if node is not None else 1
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == part), None)
            if pair is None:
                break
            node, line = pair[1], pair[0].start_mark.line + 1  # the key's line: "hazard:", not its body
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line
