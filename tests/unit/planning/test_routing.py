"""Relief distribution by PyVRP: every plan checked from scratch against its constraints (capacity,
each stop at most once, windows, return times, the trucks there are), a small instance solved to its
known optimum, and instances that cannot be served whole answered with the stops left unserved."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katchi.planning.optimiser.routing import (
    Depot,
    Distribution,
    Fleet,
    Stop,
    plan_distribution,
    serves_alone,
    travel_matrix,
)

WEST, EAST = Depot("west", 126.90, 37.55), Depot("east", 127.10, 37.55)


def check(depots: Sequence[Depot], stops: Sequence[Stop], fleets: Sequence[Fleet], plan: Distribution) -> None:
    """Every constraint, and every reported time and total, recomputed from the travel matrices."""
    assert plan.feasible
    points = [*depots, *stops]
    where = {p.id: k for k, p in enumerate(points)}
    stop = {s.id: s for s in stops}
    fleet = {f.id: f for f in fleets}
    served = [v.stop_id for r in plan.routes for v in r.visits]
    assert len(served) == len(set(served)), "a stop visited twice"
    assert sorted(served + list(plan.unserved)) == sorted(stop), "served and unserved are the stops, once each"
    for f in fleets:
        assert sum(1 for r in plan.routes if r.fleet_id == f.id) <= f.count
    total = 0
    for r in plan.routes:
        f = fleet[r.fleet_id]
        assert r.depot_id == f.depot_id
        m = travel_matrix([p.lon for p in points], [p.lat for p in points], f.speed_kmh)
        assert r.load == sum(stop[v.stop_id].demand for v in r.visits) <= f.capacity
        here, t, travel = where[f.depot_id], f.ready_min, 0
        assert r.depart_min >= f.ready_min
        for v in r.visits:
            s = stop[v.stop_id]
            leg = int(m[here, where[s.id]])
            assert v.arrive_min == t + leg
            assert v.start_min == max(v.arrive_min, s.window_open_min)
            assert s.window_open_min <= v.start_min <= s.window_close_min
            travel += leg
            here, t = where[s.id], v.start_min + s.service_min
        travel += int(m[here, where[f.depot_id]])
        assert r.return_min == t + int(m[here, where[f.depot_id]])
        assert f.return_by_min is None or r.return_min <= f.return_by_min
        assert r.travel_min == travel
        total += travel
    assert plan.travel_min == total


def test_two_depots_four_stops_solved_to_the_known_optimum() -> None:
    # Each depot's trucks are the only ones that reach its first stop in its window (the other
    # depot is 36 min away), and one truck a depot carries two stops: the optimum serves each
    # depot's stops from it, the early window before the late one.
    stops = [
        Stop("w-early", 126.91, 37.56, 1, 0, 30, 5),
        Stop("w-late", 126.92, 37.54, 1, 60, 120, 5),
        Stop("e-early", 127.09, 37.56, 1, 0, 30, 5),
        Stop("e-late", 127.11, 37.54, 1, 60, 120, 5),
    ]
    fleets = [Fleet("w", "west", 1, 2, 40.0), Fleet("e", "east", 1, 2, 40.0)]
    plan = plan_distribution([WEST, EAST], stops, fleets, time_limit_s=0.3)
    check([WEST, EAST], stops, fleets, plan)
    assert {r.vehicle: [v.stop_id for v in r.visits] for r in plan.routes} == {
        "w/1": ["w-early", "w-late"],
        "e/1": ["e-early", "e-late"],
    }
    assert plan.unserved == ()
    m = travel_matrix([126.90, 127.10, 126.91, 126.92, 127.09, 127.11], [37.55, 37.55, 37.56, 37.54, 37.56, 37.54], 40)
    assert plan.travel_min == m[0, 2] + m[2, 3] + m[3, 0] + m[1, 4] + m[4, 5] + m[5, 1]


def test_a_stop_no_truck_can_reach_in_time_is_unserved_not_an_error() -> None:
    stops = [Stop("near", 126.91, 37.56, 2, 0, 120, 5), Stop("far", 127.60, 37.90, 1, 0, 30, 5)]
    fleets = [Fleet("w", "west", 2, 5, 40.0)]
    plan = plan_distribution([WEST], stops, fleets, time_limit_s=0.2)
    check([WEST], stops, fleets, plan)
    assert plan.unserved == ("far",)
    assert plan.served == ("near",)


def test_when_not_all_can_be_served_the_most_pallets_are() -> None:
    # One truck, two stops on opposite sides of the depot with the same short window: it can serve
    # only one in time, and serves the larger although the smaller is nearer.
    stops = [Stop("small", 126.88, 37.55, 1, 0, 12, 5), Stop("large", 126.93, 37.55, 3, 0, 12, 5)]
    fleets = [Fleet("w", "west", 1, 4, 40.0)]
    plan = plan_distribution([WEST], stops, fleets, time_limit_s=0.2)
    check([WEST], stops, fleets, plan)
    assert plan.served == ("large",) and plan.unserved == ("small",)


def test_capacity_limits_what_is_delivered() -> None:
    stops = [Stop(f"s{k}", 126.90 + 0.01 * k, 37.56, 2) for k in range(3)] + [Stop("huge", 126.9, 37.54, 9)]
    fleets = [Fleet("w", "west", 1, 4, 40.0)]
    plan = plan_distribution([WEST], stops, fleets, time_limit_s=0.2)
    check([WEST], stops, fleets, plan)
    assert len(plan.served) == 2 and "huge" in plan.unserved


def test_no_fleet_or_no_stop() -> None:
    stops = [Stop("a", 126.91, 37.56, 1)]
    assert plan_distribution([WEST], stops, [], time_limit_s=0.1) == Distribution((), ("a",), 0, True)
    assert plan_distribution([WEST], [], [Fleet("w", "west", 1, 4, 40.0)], time_limit_s=0.1).routes == ()


def test_bad_input_raises() -> None:
    with pytest.raises(ValueError, match="unknown depots"):
        plan_distribution([WEST], [], [Fleet("x", "nowhere", 1, 1, 40.0)], time_limit_s=0.1)
    with pytest.raises(ValueError, match="unique"):
        plan_distribution([WEST, WEST], [], [], time_limit_s=0.1)
    with pytest.raises(ValueError, match="window"):
        Stop("a", 127.0, 37.5, 1, 60, 30)


stops_st = st.lists(
    st.builds(
        Stop,
        id=st.uuids().map(str),
        lon=st.floats(126.85, 127.15),
        lat=st.floats(37.45, 37.65),
        demand=st.integers(0, 6),
        window_open_min=st.integers(0, 120),
        window_close_min=st.integers(0, 120).map(lambda d: 120 + d),
        service_min=st.integers(0, 20),
    ),
    max_size=7,
    unique_by=lambda s: s.id,
)
fleets_st = st.lists(
    st.builds(
        Fleet,
        id=st.uuids().map(str),
        depot_id=st.sampled_from(["west", "east"]),
        count=st.integers(0, 2),
        capacity=st.integers(1, 8),
        speed_kmh=st.sampled_from([30.0, 45.0]),
        ready_min=st.integers(0, 60),
        return_by_min=st.one_of(st.none(), st.integers(120, 300)),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda f: f.id,
)


@settings(max_examples=25, deadline=None)
@given(stops_st, fleets_st)
def test_every_plan_keeps_the_constraints(stops: list[Stop], fleets: list[Fleet]) -> None:
    plan = plan_distribution([WEST, EAST], stops, fleets, time_limit_s=0.1)
    check([WEST, EAST], stops, fleets, plan)
    # Never an unserved stop that an idle truck could have served on a trip of its own.
    points = [WEST, EAST, *stops]
    where = {p.id: k for k, p in enumerate(points)}
    for f in fleets:
        if sum(1 for r in plan.routes if r.fleet_id == f.id) == f.count:
            continue
        m = travel_matrix([p.lon for p in points], [p.lat for p in points], f.speed_kmh)
        d = where[f.depot_id]
        for s in (s for s in stops if s.id in plan.unserved):
            assert not serves_alone(f, s, int(m[d, where[s.id]]), int(m[where[s.id], d]))
