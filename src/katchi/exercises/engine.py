"""The exercise engine: SimPy plays needs, injects and asset movements in simulated minutes.

The engine owns simulated state (needs, units, facilities) and tells a ``Sink`` what happens; the
sink turns that into Katchi commands (in-process or over HTTP) or drops it (engine-only runs).
Decisions (validate, which asset) belong to a ``Policy``. Every random draw comes from generators
seeded by the scenario, and events at equal times keep their scheduling order, so a seed fixes
the whole run.

Events are plain timeouts with callbacks rather than one process per need: it keeps the engine's
per-event cost close to bare SimPy's (``benchmarks/exercise.py`` measures it).
"""

from __future__ import annotations

import functools
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any, Protocol

import simpy
from simpy.core import NORMAL

from katchi.core.geo import great_circle_km
from katchi.exercises.impact import survival_probability
from katchi.exercises.needs import Need

#: Ground routes are longer than the great circle (road-distance factor for Korean cities).
ROAD_FACTOR = 1.35
AIR_CAPABILITIES = frozenset({"heavy_lift_helicopter", "medium_helicopter", "medevac_helicopter", "fixed_wing_airlift"})
#: How often (simulated minutes) the engine asks whether a unit people took has become free again.
HELD_RECHECK_MIN = 30.0


class Outcome(StrEnum):
    """What became of an action the engine asked of its sink, judged on the platform's state as it
    is now: in a live exercise people act too, and may have acted first."""

    #: The simulator took the action.
    done = "done"
    #: People had already taken this very action: skipped, and the need goes on as planned.
    already = "already"
    #: People took the request another way (rejected, cancelled, tasked it themselves): the
    #: simulator lets go of it.
    gone = "gone"
    #: The unit is no longer free (people tasked it or made it unavailable).
    busy = "busy"


#: The outcomes as plain names: the engine's hot path compares them by identity.
DONE, ALREADY, GONE, BUSY = Outcome.done, Outcome.already, Outcome.gone, Outcome.busy


class _Call(simpy.Event):
    """An event that is already triggered and runs one action when SimPy reaches it: a timeout
    without a waiting generator, the cheapest way to schedule work (``Environment.schedule``).
    The action is called with the event, as SimPy calls every callback."""

    def __init__(self, env: simpy.Environment, action: Callable[[Any], Any]) -> None:
        self.env = env
        self.callbacks = [action]
        self._value = None
        self._ok = True


@dataclass(frozen=True, slots=True)
class Delivery:
    """An inject as the engine plays it: when it is due, what it is, and its effects on the model
    (``travel_time_factor``, ``facility``, ``capacity``); ``id`` is its row in the exercise's MSEL
    (None in a run without Katchi)."""

    at: timedelta
    kind: str
    title: str
    payload: dict[str, Any]
    label: str = "alliance"
    id: str | None = None


@dataclass(slots=True, eq=False)
class Unit:
    """One asset as the engine sees it; ``handle`` is the sink's id for it."""

    index: int
    name: str
    org: str
    military: bool
    capability: str
    lon: float
    lat: float
    speed_kmh: float
    label: str = "alliance"
    handle: str | None = None
    busy: bool = False
    busy_since: float = 0.0
    busy_total: float = 0.0
    tasks: int = 0

    @property
    def air(self) -> bool:
        return self.capability in AIR_CAPABILITIES


@dataclass(slots=True, eq=False)
class Hospital:
    name: str
    lon: float
    lat: float
    capacity: int
    occupancy: int = 0
    overloaded: bool = False
    handle: str | None = None


class Sink(Protocol):
    """Where the engine's actions go. ``t`` is simulated minutes since the scenario start.

    Steps of a request's life answer an ``Outcome`` read from the platform, never assumed from what
    the engine did before (``task`` answers ``done``, ``gone`` or ``busy``; the others ``done``,
    ``already`` or ``gone``); ``unit_free`` tells whether a unit people took is free again."""

    def report_need(self, t: float, need: Need) -> None: ...
    def validate(self, t: float, need: Need) -> Outcome: ...
    def task(self, t: float, need: Need, unit: Unit) -> Outcome: ...
    def depart(self, t: float, need: Need, unit: Unit) -> Outcome: ...
    def arrive(self, t: float, need: Need, unit: Unit) -> Outcome: ...
    def complete(self, t: float, need: Need, unit: Unit) -> Outcome: ...
    def unit_free(self, unit: Unit) -> bool: ...
    def tasked_by_people(self, t: float, units: dict[str, Unit], needs: dict[str, Need]) -> list[tuple[Need, Unit]]:
        """Requests (of ``needs``, by RFA id) that people tasked to ``units`` (by handle), waiting
        for their owner's answer."""
        ...

    def inject(self, t: float, inject: Delivery) -> bool:
        """Deliver ``inject``; False when controllers held it or moved it later meanwhile."""
        ...

    def hospital_overloaded(self, t: float, hospital: Hospital) -> None: ...
    def flush(self) -> None: ...


class NullSink:
    """Drops everything: the engine alone, for benchmarks and tests of the model (nobody else acts)."""

    def report_need(self, t: float, need: Need) -> None:
        pass

    def validate(self, t: float, need: Need) -> Outcome:
        return DONE

    def task(self, t: float, need: Need, unit: Unit) -> Outcome:
        return DONE

    def depart(self, t: float, need: Need, unit: Unit) -> Outcome:
        return DONE

    def arrive(self, t: float, need: Need, unit: Unit) -> Outcome:
        return DONE

    def complete(self, t: float, need: Need, unit: Unit) -> Outcome:
        return DONE

    def unit_free(self, unit: Unit) -> bool:
        return True

    def tasked_by_people(self, t: float, units: dict[str, Unit], needs: dict[str, Need]) -> list[tuple[Need, Unit]]:
        return []

    def inject(self, t: float, inject: Delivery) -> bool:
        return True

    def hospital_overloaded(self, t: float, hospital: Hospital) -> None:
        pass

    def flush(self) -> None:
        pass


class Policy(Protocol):
    """Automated coordinators and asset owners. ``on_request`` is called when a need is reported,
    ``on_free`` when a unit finishes a task."""

    name: str

    def attach(self, engine: Engine) -> None: ...
    def on_request(self, need: Need) -> None: ...
    def on_free(self, unit: Unit) -> None: ...


@dataclass
class Timings:
    """Human and mobilisation delays (minutes), drawn uniformly between the bounds."""

    review: tuple[float, float] = (5.0, 20.0)
    accept: tuple[float, float] = (2.0, 10.0)
    mobilise_ground: float = 15.0
    mobilise_air: float = 30.0


@dataclass
class Engine:
    needs: Sequence[Need]
    units: Sequence[Unit]
    policy: Policy
    sink: Sink
    until_min: float
    seed: int
    injects: Sequence[Delivery] = ()
    hospitals: Sequence[Hospital] = ()
    start_min: float = 0.0
    #: When the hazard struck: trapped people's survival counts from here.
    onset_min: float = 0.0
    timings: Timings = field(default_factory=Timings)
    #: Whether the coordinating organisation may see (and so task) a unit: its releasability.
    visible: Callable[[Unit], bool] = lambda _unit: True
    #: Organisations people play: the engine never acts for them, and never asks for their units.
    played: frozenset[str] = frozenset()
    #: A played organisation coordinates (the lead or a co-coordinator): the policy then validates,
    #: rejects and tasks nothing; people do, and the simulator plays the owners they ask.
    coordination_played: bool = False
    #: How often (simulated minutes) to look for requests people tasked to units the simulator
    #: plays, so their owners answer them (None: nobody else acts, as in a headless run).
    adopt_every_min: float | None = None
    env: simpy.Environment = field(init=False)
    rng: random.Random = field(init=False)
    ground_factor: float = field(init=False, default=1.0)
    events: int = field(init=False, default=0)
    #: Actions people had taken first, by step (validate, task, depart, arrive, complete).
    skipped: Counter[str] = field(init=False, default_factory=Counter)
    #: Requests people took over (rejected, cancelled, tasked themselves): the simulator let go.
    left_to_people: int = field(init=False, default=0)
    #: Times the simulator wanted a unit that people had tasked or made unavailable.
    units_taken: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.env = simpy.Environment(initial_time=self.start_min)
        self.rng = random.Random(self.seed + 1)  # policy draws: separate from need generation
        self.policy.attach(self)
        for need in self.needs:
            if need.at >= self.start_min:
                self.after(need.at - self.start_min, functools.partial(self._reported, need))
        for inj in self.injects:
            self.schedule_inject(inj)
        if self.played:
            offered = self.visible
            self.visible = lambda unit: unit.org not in self.played and offered(unit)
        if self.adopt_every_min is not None:
            self.after(self.adopt_every_min, self._adopt)

    # --- scheduling -------------------------------------------------------------------------

    def after(self, minutes: float, action: Callable[[Any], Any]) -> None:
        """Run ``action(event)`` ``minutes`` from now (in scheduling order among equal times); actions
        are ``functools.partial`` of methods ending in an ignored ``_event`` parameter."""
        self.events += 1
        self.env.schedule(_Call(self.env, action), NORMAL, minutes if minutes > 0 else 0.0)

    def run(self, until: float | None = None) -> None:
        self.env.run(until=self.until_min if until is None else until)

    @property
    def now(self) -> float:
        return self.env.now

    def _reported(self, need: Need, _event: object = None) -> None:
        self.sink.report_need(self.env.now, need)
        if not self.coordination_played:
            self.policy.on_request(need)

    def _adopt(self, _event: object = None) -> None:
        """Requests people tasked to units the simulator plays: their owners accept, go and finish
        as if the simulator had asked (without it, a request people make would wait forever)."""
        assert self.adopt_every_min is not None
        free = {u.handle: u for u in self.units if not u.busy and u.org not in self.played and u.handle}
        needs = {n.rfa: n for n in self.needs if n.rfa is not None and n.completed_at is None}
        now = self.env.now
        for need, unit in self.sink.tasked_by_people(now, free, needs) if free else ():
            unit.busy, unit.busy_since, unit.tasks = True, now, unit.tasks + 1
            need.tasked_at = need.tasked_at if need.tasked_at is not None else now
            need.military = unit.military
            self.after(self.delay(self.timings.accept), functools.partial(self._depart, need, unit))
        self.after(self.adopt_every_min, self._adopt)

    def schedule_inject(self, inj: Delivery) -> None:
        """Deliver ``inj`` when simulated time reaches it (at once if it already has)."""
        self.after(inj.at.total_seconds() / 60 - self.env.now, functools.partial(self._inject, inj))

    def _inject(self, inj: Delivery, _event: object = None) -> None:
        if not self.sink.inject(self.env.now, inj):
            return
        if inj.kind == "road_closure":
            self.ground_factor *= float(inj.payload.get("travel_time_factor", 1.25))
        elif inj.kind == "facility_outage":
            for h in self.hospitals:
                if h.name == inj.payload.get("facility", inj.title):
                    h.capacity = int(inj.payload.get("capacity", 0))

    # --- the life of a task -----------------------------------------------------------------

    def delay(self, bounds: tuple[float, float]) -> float:
        return self.rng.uniform(*bounds)

    def travel_min(self, unit: Unit, lon: float, lat: float) -> float:
        km = great_circle_km(unit.lon, unit.lat, lon, lat)
        if unit.air:
            return self.timings.mobilise_air + 60.0 * km / unit.speed_kmh
        return self.timings.mobilise_ground + 60.0 * km * ROAD_FACTOR * self.ground_factor / unit.speed_kmh

    def _judge(self, step: str, outcome: Outcome) -> Outcome:
        """Count what people did first (called only when the outcome is not ``done``)."""
        if outcome is ALREADY:
            self.skipped[step] += 1
        elif outcome is GONE:
            self.left_to_people += 1
        return outcome

    def validate(self, need: Need) -> Outcome:
        """Validate ``need``'s request; ``gone`` when people have taken it over (nothing to task)."""
        outcome = self.sink.validate(self.env.now, need)
        if outcome is not DONE and self._judge("validate", outcome) is GONE:
            return outcome
        need.validated_at = self.env.now
        return outcome

    def assign(self, need: Need, unit: Unit) -> Outcome:
        """Task ``unit`` to ``need``; the owner accepts after a delay, travels, works, completes.

        ``gone``: people took the request over, and the unit is still free; ``busy``: people took
        the unit (it is rechecked until free, then offered to the policy again), and the need waits.
        """
        now = self.env.now
        outcome = self.sink.task(now, need, unit)
        if outcome is not DONE:
            if outcome is BUSY:
                self.units_taken += 1
                self.after(HELD_RECHECK_MIN, functools.partial(self._recheck, unit))
            return self._judge("task", outcome)
        unit.busy, unit.busy_since, unit.tasks = True, now, unit.tasks + 1
        need.tasked_at, need.military = now, unit.military
        self.after(self.delay(self.timings.accept), functools.partial(self._depart, need, unit))
        return outcome

    def _recheck(self, unit: Unit, _event: object = None) -> None:
        if self.sink.unit_free(unit):
            self.policy.on_free(unit)
        else:
            self.after(HELD_RECHECK_MIN, functools.partial(self._recheck, unit))

    def _depart(self, need: Need, unit: Unit, _event: object = None) -> None:
        outcome = self.sink.depart(self.env.now, need, unit)
        if outcome is not DONE and self._judge("depart", outcome) is GONE:
            self._free(unit)
            return
        self.after(self.travel_min(unit, need.lon, need.lat), functools.partial(self._arrive, need, unit))

    def _arrive(self, need: Need, unit: Unit, _event: object = None) -> None:
        lon, lat = unit.lon, unit.lat
        unit.lon, unit.lat = need.lon, need.lat
        outcome = self.sink.arrive(self.env.now, need, unit)
        if outcome is not DONE and self._judge("arrive", outcome) is GONE:
            unit.lon, unit.lat = lon, lat  # not moved: the task was called off on the way
            self._free(unit)
            return
        self.after(need.work_min, functools.partial(self._complete, need, unit))

    def _complete(self, need: Need, unit: Unit, _event: object = None) -> None:
        now = self.env.now
        if need.kind.key in ("sar", "water_rescue"):
            need.rescued = round(need.people * survival_probability((now - self.onset_min) / 60.0))
        outcome = self.sink.complete(now, need, unit)
        if outcome is not DONE and self._judge("complete", outcome) is GONE:
            need.rescued = 0
        else:
            need.completed_at = now
            if need.kind.key == "medical" and self.hospitals:
                self._admit(need)
        self._free(unit)

    def _free(self, unit: Unit) -> None:
        unit.busy = False
        unit.busy_total += self.env.now - unit.busy_since
        self.policy.on_free(unit)

    def _admit(self, need: Need) -> None:
        """Injured go to the nearest hospital; the first time one passes its capacity, it is reported."""
        open_ = [h for h in self.hospitals if h.capacity > 0] or list(self.hospitals)
        h = open_[nearest_index(open_, need.lon, need.lat)]
        h.occupancy += need.people
        if h.occupancy > h.capacity and not h.overloaded:
            h.overloaded = True
            self.sink.hospital_overloaded(self.env.now, h)

    def utilisation(self) -> float:
        """Share of unit-time spent on tasks (a task in progress counts up to now)."""
        if not self.units or self.now <= self.start_min:
            return 0.0
        busy = sum(u.busy_total + (self.now - u.busy_since if u.busy else 0.0) for u in self.units)
        return busy / (len(self.units) * (self.now - self.start_min))


class _Located(Protocol):
    lon: float
    lat: float


def nearest_index(items: Sequence[_Located], lon: float, lat: float) -> int:
    """Index of the item nearest (lon, lat) by equirectangular distance, which orders like the great
    circle at city scale; a plain loop, as this runs for every tasking."""
    coslat = math.cos(math.radians(lat))
    best, best_d = 0, math.inf
    for i, it in enumerate(items):
        dx = (it.lon - lon) * coslat
        dy = it.lat - lat
        d = dx * dx + dy * dy
        if d < best_d:
            best, best_d = i, d
    return best
