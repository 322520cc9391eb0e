"""Scenario files: valid ones load; invalid ones name the line and field of every problem."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from katchi.core import Invalid
from katchi.exercises import load_scenario, parse_duration

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "scenario-minimal.yaml"


def test_minimal_scenario_loads() -> None:
    sc = load_scenario(FIXTURE)
    assert sc.duration == timedelta(hours=72)
    assert sc.hazard.kind == "earthquake"
    assert [i.at for i in sc.injects] == [timedelta(hours=3), timedelta(hours=6)]
    assert sc.assets[0].base.lon == 127.03


def test_objectives_are_named_o1_o2_unless_given_ids_and_injects_name_them(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        "  - {metric: rfa_tasked_p50_min, target: 60}",
        "  - {metric: rfa_tasked_p50_min, target: 60, criteria: [validate within 20 minutes]}\n"
        "  - {id: rescue, title: Rescue, title_ko: 구조, metric: survivors_rescued, target: 100, direction: min}",
    )
    path.write_text(
        path.read_text().replace(
            "title: Han River bridge closed}", "title: Han River bridge closed, to: us-2cab, objective: O1}"
        )
        + "lead: us-2cab\ncoordinators: [mois]\n"
    )
    sc = load_scenario(path)
    assert [o.id for o in sc.objectives] == ["O1", "rescue"]
    assert sc.objectives[0].criteria == ["validate within 20 minutes"] and sc.objectives[1].title_ko == "구조"
    assert sc.injects[0].to == "us-2cab" and sc.injects[0].objective == "O1"
    assert sc.lead == "us-2cab" and sc.coordinators == ["mois"]
    assert load_scenario(FIXTURE).lead is None  # the first civilian organisation leads, as before


def broken(tmp_path: Path, old: str, new: str) -> Path:
    text = FIXTURE.read_text()
    assert old in text
    path = tmp_path / "bad.yaml"
    path.write_text(text.replace(old, new))
    return path


@pytest.mark.parametrize(
    ("old", "new", "line", "needle"),
    [
        ("magnitude: 6.5", "magnitude: 12", 9, "hazard.magnitude"),
        ("epicentre: [126.98, 37.55]", "epicentre: [226.98, 37.55]", 10, "hazard.epicentre.lon"),
        ("duration: 72h", "duration: seventy", 5, "duration"),
        ("region: seoul", "region: atlantis", 3, "unknown region"),
        ("start: 2026-03-01T05:00:00+09:00", "start: 2026-03-01T05:00:00", 4, "time zone"),
        ("{at: 6h,", "{at: 80h,", 1, "after the scenario ends"),
        ("org: us-2cab, name: CH-47F", "org: nobody, name: CH-47F", 1, "unknown organisation"),
        ("kind: earthquake", "kind: volcano", 7, "volcano"),
        ("{metric: rfa_tasked_p50_min, target: 60}", "{metric: rfa_tasked_p50_min, target: soon}", 24, "target"),
        ("  rationale: test\n", "", 7, "hazard.rationale"),
        ("title: Han River bridge closed}", "title: Han River bridge closed, to: nobody}", 1, "unknown organisation"),
        ("title: Han River bridge closed}", "title: Han River bridge closed, objective: O9}", 1, "unknown objective"),
        ("seed: 7", "seed: 7\nlead: nobody", 1, "lead: unknown organisation"),
        ("seed: 7", "seed: 7\ncoordinators: [mois, nobody]", 1, "coordinators: unknown organisation"),
    ],
)
def test_errors_name_line_and_field(tmp_path: Path, old: str, new: str, line: int, needle: str) -> None:
    with pytest.raises(Invalid) as info:
        load_scenario(broken(tmp_path, old, new))
    message = info.value.detail
    assert f"bad.yaml:{line}:" in message, message
    assert needle in message, message


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(Invalid) as info:
        load_scenario(broken(tmp_path, "seed: 7", "seed: [7"))
    assert "bad.yaml:" in info.value.detail and "not valid YAML" in info.value.detail


@pytest.mark.parametrize(("text", "seconds"), [("90m", 5400), ("3h", 10800), ("2.5d", 216000), (30, 30)])
def test_durations(text: str | int, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@given(st.text(max_size=12))
def test_duration_parser_fails_only_with_value_error(text: str) -> None:
    with contextlib.suppress(ValueError):
        assert parse_duration(text) >= timedelta(0)
