"""Joint exercises: scenarios, hazard and impact models, the simulation engine, response policies,
metrics and the after-action report."""

from katchi.exercises.events import CLOCK_CHANGED, ClockChanged
from katchi.exercises.queries import LIVE_STATES, clock_now, exercise_clock, exercise_time, latest_clocks
from katchi.exercises.region import REGIONS, District, load_region
from katchi.exercises.scenario import Scenario, load_scenario, parse_duration
from katchi.exercises.schemas import ExerciseClockRead
from katchi.exercises.service import record_clock

__all__ = [
    "CLOCK_CHANGED",
    "LIVE_STATES",
    "REGIONS",
    "ClockChanged",
    "District",
    "ExerciseClockRead",
    "Scenario",
    "clock_now",
    "exercise_clock",
    "exercise_time",
    "latest_clocks",
    "load_region",
    "load_scenario",
    "parse_duration",
    "record_clock",
]
