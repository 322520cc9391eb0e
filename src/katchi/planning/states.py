"""A plan's life cycle as data: which action moves which status where, and who may take it.

``approve`` is the exception to a fixed target: it signs the current version for the approver's
nation, and the plan becomes ``approved`` only once every nation of the plan has signed that same
version. Any edit returns the plan to ``draft`` and clears the signatures (``service.update_plan``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PlanStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    rejected = "rejected"
    active = "active"
    archived = "archived"


class PlanAction(StrEnum):
    submit = "submit"
    approve = "approve"
    reject = "reject"
    activate = "activate"
    archive = "archive"


class PlanActor(StrEnum):
    #: A coordinator of an organisation of one of the plan's nations.
    planner = "planner"
    #: An approver of one of the plan's nations (speaks for it).
    approver = "approver"


@dataclass(frozen=True, slots=True)
class Transition:
    sources: frozenset[PlanStatus]
    #: The status it leads to (``approve``: ``submitted`` until every nation has signed).
    target: PlanStatus
    actor: PlanActor


_OPEN = frozenset({PlanStatus.draft, PlanStatus.submitted, PlanStatus.approved, PlanStatus.rejected})

TRANSITIONS: dict[PlanAction, Transition] = {
    PlanAction.submit: Transition(frozenset({PlanStatus.draft}), PlanStatus.submitted, PlanActor.planner),
    PlanAction.approve: Transition(frozenset({PlanStatus.submitted}), PlanStatus.approved, PlanActor.approver),
    PlanAction.reject: Transition(frozenset({PlanStatus.submitted}), PlanStatus.rejected, PlanActor.approver),
    PlanAction.activate: Transition(frozenset({PlanStatus.approved}), PlanStatus.active, PlanActor.planner),
    PlanAction.archive: Transition(_OPEN | {PlanStatus.active}, PlanStatus.archived, PlanActor.planner),
}

#: Statuses in which the plan may still be edited (an edit returns it to ``draft``).
EDITABLE = _OPEN


def allowed_actions(status: PlanStatus) -> list[PlanAction]:
    return [a for a, t in TRANSITIONS.items() if status in t.sources]
