"""Joint exercises: scenarios, hazard and impact models, the simulation engine, response policies,
metrics and the after-action report."""

from katchi.exercises.events import CLOCK_CHANGED, CLOCK_REQUESTED, ClockChanged, ClockRequested
from katchi.exercises.queries import LIVE_STATES, clock_now, exercise_clock, exercise_time, latest_clocks
from katchi.exercises.region import REGIONS, District, load_region
from katchi.exercises.scenario import Scenario, load_scenario, parse_duration
from katchi.exercises.schemas import ClockRequest, ExerciseClockRead
from katchi.exercises.service import record_clock, request_clock

__all__ = [
    "CLOCK_CHANGED",
    "CLOCK_REQUESTED",
    "LIVE_STATES",
    "REGIONS",
    "ClockChanged",
    "ClockRequest",
    "ClockRequested",
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
    "request_clock",
]
