"""Joint exercises: scenarios played into Katchi (issue 3: the scenario format and regions so far)."""

from katchi.exercises.region import REGIONS, District, load_region
from katchi.exercises.scenario import Scenario, load_scenario, parse_duration

__all__ = ["REGIONS", "District", "Scenario", "load_region", "load_scenario", "parse_duration"]
