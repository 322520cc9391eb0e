"""The ``optimal`` response policy: the platform's allocation optimiser
(``planning.optimiser.recommend``) as the exercise's coordinator.

Like ``nearest-available`` it validates each request after a review delay. Whenever a request is
validated or a unit becomes free, it re-solves that capability: the waiting requests (the most
urgent and oldest ``HORIZON`` of them) against every free unit, civilian first (Oslo), each
request within its priority's deadline counted from when it was reported. Requests no free unit
can reach in time are then matched with what is left, earliest arrival first: late help is still
help, and an idle unit helps nobody. It heeds what ``engine.assign`` answers, as people act too.
"""

from __future__ import annotations

import bisect
import functools
from collections import defaultdict

from katchi.exercises.engine import BUSY, GONE, Engine, Unit
from katchi.exercises.needs import PRIORITY_RANK, Need
from katchi.exercises.policies import register_policy
from katchi.planning import Candidate, Request, recommend
from katchi.planning.optimiser import DEFAULT_DEADLINE_MIN

#: Waiting requests per capability that one solve weighs (a rolling horizon, as dispatchers use).
HORIZON = 400
#: A deadline beyond any run: the second pass, for requests no free unit can reach in time.
NO_DEADLINE_MIN = 1e9


@register_policy("optimal")
class Optimal:
    name = "optimal"

    def attach(self, engine: Engine) -> None:
        self.engine = engine
        #: capability → waiting requests, most urgent then oldest first: (rank, reported, index).
        self.queue: dict[str, list[tuple[int, float, int]]] = defaultdict(list)
        self.needs: dict[int, Need] = {}
        #: capability → unit index → free unit.
        self.free: dict[str, dict[int, Unit]] = defaultdict(dict)
        self.due: set[str] = set()
        #: Each need as the optimiser sees it, within its deadline and without one. Times are
        #: minutes since the run's start (candidates' mobilisation starts now), so they never change.
        self.requests: dict[int, tuple[Request, Request]] = {}
        for u in engine.units:
            if engine.visible(u):  # the coordinator may not task what it may not see
                self.free[u.capability][u.index] = u

    def on_request(self, need: Need) -> None:
        self.engine.after(self.engine.delay(self.engine.timings.review), functools.partial(self._validated, need))

    def _validated(self, need: Need, _event: object = None) -> None:
        if self.engine.validate(need) is GONE:
            return  # people took the request over
        self.needs[need.index] = need
        bisect.insort(self.queue[need.capability], self._key(need))
        self._solve_soon(need.capability)

    @staticmethod
    def _key(need: Need) -> tuple[int, float, int]:
        return (PRIORITY_RANK[need.priority], need.at, need.index)

    def on_free(self, unit: Unit) -> None:
        self.free[unit.capability][unit.index] = unit
        self._solve_soon(unit.capability)

    def _solve_soon(self, capability: str) -> None:
        """Once per capability and instant: what happens at the same minute is solved together."""
        if capability not in self.due:
            self.due.add(capability)
            self.engine.after(0.0, functools.partial(self._solve, capability))

    def _solve(self, capability: str, _event: object = None) -> None:
        self.due.discard(capability)
        queue, free = self.queue[capability], self.free[capability]
        changed = True
        while queue and free and changed:
            changed = False
            needs = [self.needs[i] for _, _, i in queue[:HORIZON]]
            for need, unit in self._pairs(needs, list(free.values())):
                outcome = self.engine.assign(need, unit)
                if outcome is not BUSY:  # done, or people took the request (the unit is still free)
                    queue.remove(self._key(need))
                    del self.needs[need.index]
                if outcome is not GONE:  # done, or people took the unit (the request waits)
                    del free[unit.index]
                changed = True

    def _pairs(self, needs: list[Need], units: list[Unit]) -> list[tuple[Need, Unit]]:
        now = self.engine.now
        candidates = [self._candidate(u, now) for u in units]
        requests = [self._requests(n) for n in needs]
        chosen = recommend([r for r, _ in requests], candidates)
        taken_needs = {int(r.rfa_id) for r in chosen}
        taken_units = {int(r.asset_id) for r in chosen}
        late = [r for r, n in zip(requests, needs, strict=True) if n.index not in taken_needs]
        rest = [c for c in candidates if int(c.id) not in taken_units]
        if late and rest:
            chosen += recommend([r for _, r in late], rest)
        by_need = {n.index: n for n in needs}
        by_unit = {u.index: u for u in units}
        return [(by_need[int(r.rfa_id)], by_unit[int(r.asset_id)]) for r in chosen]

    def _requests(self, need: Need) -> tuple[Request, Request]:
        pair = self.requests.get(need.index)
        if pair is None:
            due = need.at + DEFAULT_DEADLINE_MIN[need.priority]
            pair = tuple(  # type: ignore[assignment]
                Request(str(need.index), need.capability, 1, need.priority, need.lon, need.lat, deadline_min=d)
                for d in (due, NO_DEADLINE_MIN)
            )
            self.requests[need.index] = pair  # type: ignore[assignment]
        return pair  # type: ignore[return-value]

    def _candidate(self, unit: Unit, now: float) -> Candidate:
        timings = self.engine.timings
        return Candidate(
            id=str(unit.index),
            name=unit.name,
            capability=unit.capability,
            capacity=1,
            lon=unit.lon,
            lat=unit.lat,
            # A road closure slows ground units as the engine does (``Engine.travel_min``).
            speed_kmh=unit.speed_kmh if unit.air else unit.speed_kmh / self.engine.ground_factor,
            military=unit.military,
            air=unit.air,
            # Arrival in minutes since the start: it can set off now.
            mobilise_min=now + (timings.mobilise_air if unit.air else timings.mobilise_ground),
        )
