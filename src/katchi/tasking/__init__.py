"""Requests for assistance and taskings, with the Oslo last-resort check."""

from katchi.tasking.approvals import decide, list_approvals
from katchi.tasking.models import Rfa, Tasking
from katchi.tasking.queries import get_rfa, list_rfas, list_taskings, rfa_read, tasking_read
from katchi.tasking.schemas import ApprovalDecision, ApprovalRead, RfaActionBody, RfaCreate, RfaRead, TaskingRead
from katchi.tasking.service import act_on_rfa, create_rfa, release_rfa
from katchi.tasking.states import CLOSED, TRANSITIONS, RfaAction, RfaState, allowed_actions

__all__ = [
    "CLOSED",
    "TRANSITIONS",
    "ApprovalDecision",
    "ApprovalRead",
    "Rfa",
    "RfaAction",
    "RfaActionBody",
    "RfaCreate",
    "RfaRead",
    "RfaState",
    "Tasking",
    "TaskingRead",
    "act_on_rfa",
    "allowed_actions",
    "create_rfa",
    "decide",
    "get_rfa",
    "list_approvals",
    "list_rfas",
    "list_taskings",
    "release_rfa",
    "rfa_read",
    "tasking_read",
]
