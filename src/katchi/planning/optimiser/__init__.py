"""Pure solvers (no database, no web): which available asset should serve which request."""

from katchi.planning.optimiser.assign import (
    DEFAULT_DEADLINE_MIN,
    PRIORITY_WEIGHT,
    Candidate,
    Recommendation,
    Request,
    arrival_min,
    cost_matrix,
    recommend,
)
from katchi.planning.optimiser.coverage import Gap, Need, Supplier, gaps

__all__ = [
    "DEFAULT_DEADLINE_MIN",
    "PRIORITY_WEIGHT",
    "Candidate",
    "Gap",
    "Need",
    "Recommendation",
    "Request",
    "Supplier",
    "arrival_min",
    "cost_matrix",
    "gaps",
    "recommend",
]
