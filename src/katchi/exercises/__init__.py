"""Joint exercises: scenarios played into Katchi (issue 3; the scenario format so far)."""

from katchi.exercises.scenario import Scenario, load_scenario, parse_duration

__all__ = ["Scenario", "load_scenario", "parse_duration"]
