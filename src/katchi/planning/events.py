"""Event kinds of the planning domain. Plans belong to no operation: their events stay outside
every operation's timeline (in the audit chain, under the plan's label), except activation, which
the operation's timeline shows."""

from __future__ import annotations

from pydantic import BaseModel

from katchi.eventlog import event_kind


class PlanCreated(BaseModel):
    name: dict[str, str]
    hazard: str
    nations: list[str]
    tasks: int
    version: int


class PlanEdited(BaseModel):
    """A new version; ``fields``: what changed. Signatures of the previous version no longer count."""

    version: int
    fields: list[str]
    from_status: str


class PlanStep(BaseModel):
    """A step of the plan's life cycle (``approve``: one nation signed ``version``)."""

    action: str
    version: int
    from_status: str
    to_status: str
    nation: str | None = None
    reason: str = ""


class PlanActivated(BaseModel):
    """The plan became the operation's: each task a draft RFA (no asset is tasked)."""

    version: int
    name: dict[str, str]
    rfa_ids: list[str]


class PlanCommented(BaseModel):
    version: int
    text: str


PLAN_CREATED = event_kind("planning.plan.created", PlanCreated, "A contingency plan was created (version 1).")
PLAN_EDITED = event_kind("planning.plan.edited", PlanEdited, "A plan was edited into a new version.")
PLAN_ACTIVATED = event_kind(
    "planning.plan.activated", PlanActivated, "An approved plan was activated into an operation as draft RFAs."
)
PLAN_COMMENTED = event_kind("planning.plan.commented", PlanCommented, "A planner commented on a plan.")
_STEPS = {
    "submit": ("submitted", "A plan was submitted for its nations' approval."),
    "approve": ("approved", "A nation's approver signed a plan's current version."),
    "reject": ("rejected", "A nation's approver rejected a plan's current version."),
    "archive": ("archived", "A plan was archived."),
}
STEP_KIND = {action: event_kind(f"planning.plan.{past}", PlanStep, doc).name for action, (past, doc) in _STEPS.items()}
