"""Automated response policies, so exercises run without people and policies can be compared.

``none``: nobody answers; requests stay submitted (the baseline every policy must beat).
``nearest-available``: a greedy coordinator. It validates each request after a review delay; the
most urgent, oldest validated request goes to the nearest available civilian asset of the
capability, and to a military one only when no civilian one is free (UN Oslo Guidelines: military
assets as a last resort, with the justification recorded).

A later optimiser registers itself with ``register_policy``; it receives the engine and decides
through ``engine.validate`` and ``engine.assign`` like these do, and, like them, heeds what those
answer: in a live exercise people act too, and may have validated, rejected or tasked first.
"""

from __future__ import annotations

import functools
import heapq
from collections import defaultdict
from collections.abc import Callable

from katchi.exercises.engine import BUSY, GONE, Engine, Policy, Unit, nearest_index
from katchi.exercises.needs import PRIORITY_RANK, Need

POLICIES: dict[str, Callable[[], Policy]] = {}


def register_policy(name: str) -> Callable[[Callable[[], Policy]], Callable[[], Policy]]:
    def add(factory: Callable[[], Policy]) -> Callable[[], Policy]:
        POLICIES[name] = factory
        return factory

    return add


def make_policy(name: str) -> Policy:
    if name == "greedy":
        name = "nearest-available"
    if name not in POLICIES:
        raise ValueError(f"unknown policy {name!r}; known: {', '.join(sorted(POLICIES))}")
    return POLICIES[name]()


@register_policy("none")
class NoResponse:
    name = "none"

    def attach(self, engine: Engine) -> None:
        pass

    def on_request(self, need: Need) -> None:
        pass

    def on_free(self, unit: Unit) -> None:
        pass


@register_policy("nearest-available")
class NearestAvailable:
    name = "nearest-available"

    def attach(self, engine: Engine) -> None:
        self.engine = engine
        #: capability → heap of (priority rank, reported at, index, need)
        self.waiting: dict[str, list[tuple[int, float, int, Need]]] = defaultdict(list)
        self.free_civil: dict[str, list[Unit]] = defaultdict(list)
        self.free_military: dict[str, list[Unit]] = defaultdict(list)
        for u in engine.units:
            if not engine.visible(u):
                continue  # the coordinator may not see it, so may not task it
            (self.free_military if u.military else self.free_civil)[u.capability].append(u)

    def on_request(self, need: Need) -> None:
        self.engine.after(self.engine.delay(self.engine.timings.review), functools.partial(self._validated, need))

    def _validated(self, need: Need, _event: object = None) -> None:
        if self.engine.validate(need) is GONE:
            return  # people took the request over
        heapq.heappush(self.waiting[need.capability], (PRIORITY_RANK[need.priority], need.at, need.index, need))
        self._dispatch(need.capability)

    def on_free(self, unit: Unit) -> None:
        (self.free_military if unit.military else self.free_civil)[unit.capability].append(unit)
        self._dispatch(unit.capability)

    def _dispatch(self, capability: str) -> None:
        queue = self.waiting[capability]
        civil, military = self.free_civil[capability], self.free_military[capability]
        while queue and (civil or military):
            entry = heapq.heappop(queue)
            need = entry[3]
            pool = civil or military
            best = nearest_index(pool, need.lon, need.lat)
            unit = pool[best]
            pool[best] = pool[-1]
            pool.pop()
            outcome = self.engine.assign(need, unit)
            if outcome is GONE:
                pool.append(unit)  # people took the request: the unit is still free
            elif outcome is BUSY:
                heapq.heappush(queue, entry)  # people took the unit: the request waits for another
