"""Metric definitions on hand-made timelines."""

from __future__ import annotations

from katchi.exercises.metrics import RfaTimes, met_share_series, percentile, summarise


def test_percentile_is_nearest_rank() -> None:
    assert percentile([], 50) is None
    assert percentile([5.0], 90) == 5.0
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50) == 5
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9


def test_summary_of_three_requests() -> None:
    times = [
        RfaTimes(0, "critical", validated=10, tasked=20, completed=80, military=False),
        RfaTimes(30, "high", validated=40, tasked=90, completed=None, military=True),
        RfaTimes(60, "low"),
    ]
    s = summarise(times, until_min=120)
    assert s["rfas"] == 3 and s["taskings"] == 2
    assert s["needs_met_share"] == round(1 / 3, 4)
    assert s["unmet_urgent_need_hours"] == round((80 + 90) / 60, 1)  # the low one is not urgent
    assert s["rfa_tasked_p50_min"] == 20 and s["rfa_completed_p50_min"] == 80
    assert s["military_share_of_taskings"] == 0.5


def test_met_share_series_by_hour() -> None:
    times = [RfaTimes(0, "high", completed=50), RfaTimes(70, "high", completed=None)]
    assert met_share_series(times, 120) == [(1.0, 1.0), (2.0, 0.5)]
