"""The allocation optimiser against brute force on small instances (it is exact), and the rules it
must keep: capability, caveats, deadlines, and the Oslo Guidelines' last resort."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from katchi.planning.optimiser import Candidate, Request, cost_matrix, recommend


def req(rid: str, **kw: object) -> Request:
    base: dict[str, object] = {
        "capability": "usar_medium",
        "quantity": 1,
        "priority": "high",
        "lon": 127.0,
        "lat": 37.55,
    }
    return Request(rid, **(base | kw))  # type: ignore[arg-type]


def cand(cid: str, **kw: object) -> Candidate:
    base: dict[str, object] = {
        "name": cid, "capability": "usar_medium", "capacity": 1, "lon": 127.01, "lat": 37.56, "speed_kmh": 40.0,
        "military": False,
    }  # fmt: skip
    return Candidate(cid, **(base | kw))  # type: ignore[arg-type]


requests_st = st.lists(
    st.builds(
        Request,
        id=st.uuids().map(str),
        capability=st.sampled_from(["usar_medium", "medium_helicopter"]),
        quantity=st.integers(1, 4),
        priority=st.sampled_from(["critical", "high", "medium", "low"]),
        lon=st.floats(126.8, 127.2),
        lat=st.floats(37.4, 37.7),
        deadline_min=st.one_of(st.none(), st.floats(20, 300)),
        label=st.sampled_from(["alliance", "nation:USA"]),
    ),
    max_size=4,
)
candidates_st = st.lists(
    st.builds(
        Candidate,
        id=st.uuids().map(str),
        name=st.just("asset"),
        capability=st.sampled_from(["usar_medium", "medium_helicopter"]),
        capacity=st.integers(0, 3),
        lon=st.floats(126.8, 127.2),
        lat=st.floats(37.4, 37.7),
        speed_kmh=st.floats(20, 250),
        military=st.booleans(),
        air=st.booleans(),
        owner_reads=st.one_of(st.none(), st.just(frozenset({"alliance", "nation:KOR"}))),
    ),
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(requests_st, candidates_st)
def test_the_optimiser_is_exact_against_brute_force(requests: list[Request], candidates: list[Candidate]) -> None:
    costs = cost_matrix(requests, candidates)
    got = recommend(requests, candidates)
    index = {r.id: i for i, r in enumerate(requests)}, {c.id: j for j, c in enumerate(candidates)}
    chosen = [(index[0][g.rfa_id], index[1][g.asset_id]) for g in got]
    # Possible pairs only, each request and each asset at most once.
    assert all(costs.possible[i, j] for i, j in chosen)
    # Oslo: never a military asset for a request while a civilian one that could serve it is idle.
    idle = set(range(len(candidates))) - {j for _, j in chosen}
    for i, j in chosen:
        if candidates[j].military:
            assert not [k for k in idle if costs.possible[i, k] and not candidates[k].military], (i, j)
    # Never an asset whose owner could not read the request it would be asked to answer.
    reads = [candidates[j].owner_reads for _, j in chosen]
    assert all(r is None or requests[i].label in r for (i, _), r in zip(chosen, reads, strict=True))
    assert len({i for i, _ in chosen}) == len(chosen) and len({j for _, j in chosen}) == len(chosen)
    # Brute force: every partial one-to-one assignment of possible pairs; the lowest total cost.
    best = 0.0
    n, m = len(requests), len(candidates)
    for picks in itertools.product(*[[None, *range(m)] for _ in range(n)]):
        used = [j for j in picks if j is not None]
        if len(used) != len(set(used)) or any(j is not None and not costs.possible[i, j] for i, j in enumerate(picks)):
            continue
        best = min(best, sum(costs.cost[i, j] for i, j in enumerate(picks) if j is not None))
    total = sum(costs.cost[i, j] for i, j in chosen)
    assert total <= best + 1e-6 * max(1.0, abs(best))
    # The first criterion is exact: as much priority-weighted need served as brute force finds.
    brute_value = max(
        (
            sum(costs.value[i, j] for i, j in enumerate(p) if j is not None)
            for p in itertools.product(*[[None, *range(m)] for _ in range(n)])
            if len([j for j in p if j is not None]) == len({j for j in p if j is not None})
            and all(j is None or costs.possible[i, j] for i, j in enumerate(p))
        ),
        default=0,
    )
    assert sum(costs.value[i, j] for i, j in chosen) == brute_value


def test_a_civilian_asset_that_arrives_in_time_comes_before_a_military_one() -> None:
    near_army = cand("army", military=True, lon=127.0, lat=37.55)  # on the spot
    far_fire = cand("fire", lon=127.05, lat=37.58)  # a few km away, still in time
    got = recommend([req("r1")], [near_army, far_fire])
    assert [(g.asset_id, g.military) for g in got] == [("fire", False)]
    assert got[0].reason.startswith("civilian first: fire arrives in")


def test_a_smaller_civilian_asset_comes_before_a_larger_military_one() -> None:
    """Serving comes first, then the last resort, then how much of the quantity is served: the
    civilian team serves half the request, and the rest can be asked of the army separately."""
    got = recommend([req("r1", quantity=10)], [cand("army", military=True, capacity=10), cand("krc", capacity=5)])
    assert [(g.asset_id, g.why) for g in got] == [("krc", "civilian_first")]


def test_a_permitted_area_must_cover_the_whole_request() -> None:
    seoul = box(126.76, 37.43, 127.18, 37.70)
    west_only = cand("west", area=box(126.5, 37.3, 126.98, 37.8))
    assert recommend([req("r1", place=seoul)], [west_only]) == []  # the point is inside, the area is not
    assert [g.asset_id for g in recommend([req("r2", lon=126.9, lat=37.55)], [west_only])] == ["west"]
    everywhere = cand("all", area=box(126.0, 37.0, 128.0, 38.0))
    assert [g.asset_id for g in recommend([req("r3", place=seoul)], [west_only, everywhere])] == ["all"]


def test_a_military_asset_is_the_last_resort_and_its_reason_says_why() -> None:
    army, slow_fire = cand("army", military=True), cand("fire", speed_kmh=5.0, lon=127.3, lat=37.7)
    got = recommend([req("r1", deadline_min=60)], [army, slow_fire])
    assert [g.asset_id for g in got] == ["army"]
    assert "no civilian usar_medium asset can arrive within 60 min" in got[0].reason
    # Two requests, one civilian team in time for both: one gets it, the other the army, saying so.
    got = recommend([req("urgent", priority="critical"), req("later", priority="medium")], [army, cand("fire")])
    assert sorted(g.asset_id for g in got) == ["army", "fire"]
    by_army = next(g for g in got if g.military)
    assert "recommended for other requests" in by_army.reason


def test_caveats_capability_and_deadlines_bind() -> None:
    r = req("r1", task_codes=frozenset({"security"}), hours=48)
    assert recommend([r], [cand("no-security", excluded_tasks=frozenset({"security"}))]) == []
    assert recommend([r], [cand("short", max_hours=24)]) == []
    assert recommend([r], [cand("elsewhere", area=box(128.0, 35.0, 129.0, 36.0))]) == []
    assert [g.asset_id for g in recommend([r], [cand("here", area=box(126.5, 37.0, 127.5, 38.0))])] == ["here"]
    assert recommend([req("r2", capability="water_trucking")], [cand("team")]) == []
    assert recommend([req("r3", deadline_min=5)], [cand("team", lon=127.5, lat=37.9)]) == []  # cannot arrive
    assert recommend([], [cand("team")]) == [] and recommend([req("r4")], []) == []
