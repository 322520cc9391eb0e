"""Joint exercises: scenarios, hazard and impact models, the simulation engine, response policies,
metrics and the after-action report."""

from katchi.exercises.aar import Evaluation, evaluation_of, render_report, report_css, report_pdf
from katchi.exercises.evaluation import add_improvement, list_improvements, list_observations, record_observation
from katchi.exercises.events import (
    CLOCK_CHANGED,
    CLOCK_REQUESTED,
    INJECT_DELIVERED,
    ClockChanged,
    ClockRequested,
)
from katchi.exercises.models import ExerciseInject, ExerciseObservation
from katchi.exercises.msel import (
    add_inject,
    deliver_inject,
    exercise_objectives,
    list_injects,
    load_msel,
    set_held,
    update_inject,
    when,
)
from katchi.exercises.optimal import Optimal  # registers the ``optimal`` response policy
from katchi.exercises.queries import (
    LIVE_STATES,
    clock_now,
    exercise_clock,
    exercise_start,
    exercise_time,
    latest_clocks,
)
from katchi.exercises.region import REGIONS, District, load_region
from katchi.exercises.scenario import Scenario, load_scenario, parse_duration
from katchi.exercises.schemas import (
    ClockRequest,
    ExerciseClockRead,
    ImprovementCreate,
    ImprovementRead,
    InjectCreate,
    InjectList,
    InjectRead,
    InjectUpdate,
    ObservationCreate,
    ObservationRead,
)
from katchi.exercises.service import record_clock, record_results, request_clock

__all__ = [
    "CLOCK_CHANGED",
    "CLOCK_REQUESTED",
    "INJECT_DELIVERED",
    "LIVE_STATES",
    "REGIONS",
    "ClockChanged",
    "ClockRequest",
    "ClockRequested",
    "District",
    "Evaluation",
    "ExerciseClockRead",
    "ExerciseInject",
    "ExerciseObservation",
    "ImprovementCreate",
    "ImprovementRead",
    "InjectCreate",
    "InjectList",
    "InjectRead",
    "InjectUpdate",
    "ObservationCreate",
    "ObservationRead",
    "Optimal",
    "Scenario",
    "add_improvement",
    "add_inject",
    "clock_now",
    "deliver_inject",
    "evaluation_of",
    "exercise_clock",
    "exercise_objectives",
    "exercise_start",
    "exercise_time",
    "latest_clocks",
    "list_improvements",
    "list_injects",
    "list_observations",
    "load_msel",
    "load_region",
    "load_scenario",
    "parse_duration",
    "record_clock",
    "record_observation",
    "record_results",
    "render_report",
    "report_css",
    "report_pdf",
    "request_clock",
    "set_held",
    "update_inject",
    "when",
]
