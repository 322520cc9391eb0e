"""Needs: reproducible from the seed, in time order, and adding up to the impact model's people."""

from __future__ import annotations

from collections import Counter

from katchi.exercises.impact import earthquake_impacts
from katchi.exercises.needs import MEDICAL_TRANSPORT_SHARE, generate_needs
from katchi.exercises.region import load_region

SEOUL = load_region("seoul")
IMPACTS = earthquake_impacts(SEOUL, 6.0, (126.98, 37.55), 10)


def needs(seed: int = 1, duration: float = 72 * 60, onset: float = 0.0):  # type: ignore[no-untyped-def]
    return generate_needs(IMPACTS, SEOUL, hazard="earthquake", duration_min=duration, seed=seed, onset_min=onset)


def test_same_seed_same_needs_and_another_seed_differs() -> None:
    key = lambda ns: [(n.kind.key, n.at, n.lon, n.lat, n.people) for n in ns]  # noqa: E731
    assert key(needs(1)) == key(needs(1))
    assert key(needs(1)) != key(needs(2))


def test_needs_arrive_in_time_order_within_the_run() -> None:
    ns = needs(duration=24 * 60)
    times = [n.at for n in ns]
    assert times == sorted(times) and all(0 <= t < 24 * 60 for t in times)
    assert [n.index for n in ns] == list(range(len(ns)))


def test_rescue_and_medical_needs_add_up_to_the_impacts() -> None:
    ns = needs()
    people = Counter()
    for n in ns:
        people[n.kind.key] += n.people
    assert people["sar"] == sum(i.trapped for i in IMPACTS)
    assert people["medical"] == sum(round(i.injured * MEDICAL_TRANSPORT_SHARE) for i in IMPACTS)
    assert {n.capability for n in ns if n.kind.key == "sar"} <= {"usar_medium", "usar_heavy"}


def test_needs_lie_in_their_district() -> None:
    by_name = {d.name_en: d for d in SEOUL}
    import shapely

    for n in needs()[:300]:
        assert by_name[n.district_en].shape.contains(shapely.Point(n.lon, n.lat))


def test_onset_shifts_every_need() -> None:
    base, later = needs(), needs(onset=600)
    assert [round(b.at + 600, 6) for b in base if b.at + 600 < 72 * 60] == [round(n.at, 6) for n in later]
