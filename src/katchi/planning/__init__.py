"""Collaborative planning and decision support: contingency plans prepared and signed by their
nations, gap analysis against the real assets, and the allocation optimiser
(``planning.optimiser``, pure) behind recommended assignments."""

from katchi.planning.analysis import plan_gaps
from katchi.planning.distribution import DistributionRead, distribution_problem, solve_distribution
from katchi.planning.models import Plan, PlanComment, PlanSignature, PlanVersion
from katchi.planning.optimiser import Candidate, Recommendation, Request, recommend
from katchi.planning.queries import (
    diff_versions,
    get_plan,
    get_version,
    list_comments,
    list_plans,
    list_versions,
    plan_read,
    visible_plan,
)
from katchi.planning.recommendations import RecommendationRead, recommendations
from katchi.planning.schemas import (
    PHASES,
    CommentCreate,
    CommentRead,
    GapRead,
    PlanActionBody,
    PlanCreate,
    PlanRead,
    PlanTaskIn,
    PlanUpdate,
    PlanVersionRead,
)
from katchi.planning.service import act_on_plan, comment_on_plan, create_plan, update_plan
from katchi.planning.states import PlanAction, PlanStatus

__all__ = [
    "PHASES",
    "Candidate",
    "CommentCreate",
    "CommentRead",
    "DistributionRead",
    "GapRead",
    "Plan",
    "PlanAction",
    "PlanActionBody",
    "PlanComment",
    "PlanCreate",
    "PlanRead",
    "PlanSignature",
    "PlanStatus",
    "PlanTaskIn",
    "PlanUpdate",
    "PlanVersion",
    "PlanVersionRead",
    "Recommendation",
    "RecommendationRead",
    "Request",
    "act_on_plan",
    "comment_on_plan",
    "create_plan",
    "diff_versions",
    "distribution_problem",
    "get_plan",
    "get_version",
    "list_comments",
    "list_plans",
    "list_versions",
    "plan_gaps",
    "plan_read",
    "recommend",
    "recommendations",
    "solve_distribution",
    "update_plan",
    "visible_plan",
]
