"""Pure solvers (no database, no web): which available asset should serve which request."""

from katchi.planning.optimiser.assign import (
    DEFAULT_DEADLINE_MIN,
    PRIORITY_WEIGHT,
    Candidate,
    Recommendation,
    Request,
    cost_matrix,
    recommend,
)

__all__ = [
    "DEFAULT_DEADLINE_MIN",
    "PRIORITY_WEIGHT",
    "Candidate",
    "Recommendation",
    "Request",
    "cost_matrix",
    "recommend",
]
