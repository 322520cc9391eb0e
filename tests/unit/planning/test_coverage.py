"""The gap analysis' pure core: who can arrive before a task ends, under which caveats, counted
once per capability and phase."""

from __future__ import annotations

from shapely.geometry import Point, box

from katchi.planning.optimiser import Need, Supplier, gaps

PHASES = ["0-6h", "6-24h", "24-72h"]
SEOUL = box(126.76, 37.43, 127.18, 37.70)


def need(capability: str = "usar_heavy", phase: str = "0-6h", start: float = 0, end: float = 6, **kw: object) -> Need:
    base: dict[str, object] = {"quantity": 4, "lon": 126.98, "lat": 37.57, "place": SEOUL}
    return Need(capability, phase, start, end, **(base | kw))  # type: ignore[arg-type]


def supplier(sid: str, side: str = "civilian", **kw: object) -> Supplier:
    base: dict[str, object] = {
        "capability": "usar_heavy", "capacity": 1, "lon": 127.0, "lat": 37.5, "speed_kmh": 60.0, "side": side
    }  # fmt: skip
    return Supplier(sid, **(base | kw))  # type: ignore[arg-type]


def test_each_asset_counts_once_per_group_by_side_and_arrival() -> None:
    needs = [need(quantity=3), need(quantity=2, lon=127.1), need("usar_heavy", "6-24h", 6, 24, quantity=1)]
    suppliers = [
        supplier("a", capacity=2),
        supplier("b", side="KOR"),
        supplier("far", lon=129.04, lat=35.18),  # Busan: ~7.6 h by road, in time for 6-24 h only
        supplier("heli", capability="medium_helicopter"),
    ]
    first, second = gaps(needs, suppliers, PHASES)
    assert (first.phase, first.required, first.available, first.shortfall) == ("0-6h", 5, 3, 2)
    assert first.by_side == {"KOR": 1, "civilian": 2} and first.assets == 2
    assert first.earliest_arrival_h is not None and 0.25 < first.earliest_arrival_h < 0.5
    assert (second.phase, second.available, second.shortfall, second.assets) == ("6-24h", 4, 0, 3)


def test_caveats_bind_the_count() -> None:
    jeju = box(126.1, 33.1, 127.0, 33.6)
    suppliers = [
        supplier("jeju-only", area=jeju),
        supplier("seoul-only", area=Point(127.0, 37.5).buffer(0.4)),
        supplier("west-seoul-only", area=box(126.5, 37.3, 126.98, 37.8)),  # part of the area only
        supplier("no-security", excluded_tasks=frozenset({"security"})),
        supplier("twelve-hours", max_hours=12.0),
    ]
    (short,) = gaps([need(task_codes=frozenset({"security"}))], suppliers, PHASES)
    assert short.assets == 2  # seoul-only and twelve-hours (the 6 h task fits in 12 h); not west-only
    (long_,) = gaps([need(phase="6-24h", start=6, end=24)], suppliers, PHASES)
    assert long_.assets == 2  # seoul-only and no-security; twelve-hours cannot stay 18 h


def test_nothing_to_bring_is_a_full_shortfall() -> None:
    (row,) = gaps([need(quantity=7)], [], PHASES)
    assert (row.available, row.shortfall, row.by_side, row.earliest_arrival_h) == (0, 7, {}, None)
