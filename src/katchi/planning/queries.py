"""Access-checked reads of plans, their versions, signatures and comments.

Plans belong to no operation: like assets, they are platform records, which every signed-in
organisation reads by its label (``alliance`` is the platform's registered organisations)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation
from katchi.core import NotFound
from katchi.core.access import Principal, can_read, label_filter, on_platform
from katchi.core.paging import paginate
from katchi.core.schemas import Bilingual
from katchi.operations import visible_operation
from katchi.planning.models import Plan, PlanComment, PlanSignature, PlanVersion
from katchi.planning.schemas import CommentRead, PlanRead, PlanTaskRead, PlanVersionRead, SignatureRead
from katchi.planning.states import PlanStatus, allowed_actions


def visible_plan(session: Session, principal: Principal | None, plan_id: str) -> Plan:
    """The plan, or NotFound when it does not exist or its label hides it from ``principal``."""
    plan = session.get(Plan, plan_id)
    if plan is None or not can_read(principal, plan.label, participant=on_platform(principal)):
        raise NotFound(f"no plan {plan_id}")
    return plan


def signatures(session: Session, plan: Plan, version: int | None = None) -> list[PlanSignature]:
    """The signatures of ``version`` (default: the current one), in signing order."""
    return list(
        session.scalars(
            select(PlanSignature)
            .where(PlanSignature.plan_id == plan.id, PlanSignature.version == (version or plan.version))
            .order_by(PlanSignature.signed_at, PlanSignature.id)
        )
    )


def approved_nations(session: Session, plan: Plan) -> set[str]:
    return {s.nation for s in signatures(session, plan) if s.decision == "approve"}


def plan_read(session: Session, plan: Plan, principal: Principal | None) -> PlanRead:
    content = plan.content
    signed = signatures(session, plan)
    approved = {s.nation for s in signed if s.decision == "approve"}
    owner = session.get(Organisation, plan.owner_org_id)
    operation_id = None
    if plan.operation_id is not None:
        try:
            operation_id = visible_operation(session, principal, plan.operation_id).id
        except NotFound:
            operation_id = None
    return PlanRead(
        id=plan.id,
        name=Bilingual.model_validate(content["name"]),
        hazard=plan.hazard,
        area=content["area"],
        label=plan.label,
        nations=list(plan.nations),
        objectives=[Bilingual.model_validate(o) for o in content.get("objectives", [])],
        tasks=[PlanTaskRead.model_validate(t) for t in content.get("tasks", [])],
        status=plan.status,
        version=plan.version,
        signatures=[
            SignatureRead(
                nation=s.nation,
                version=s.version,
                decision=s.decision,
                by=s.signer_label,
                at=s.signed_at,
                reason=s.reason,
            )
            for s in signed
        ],
        awaiting=[n for n in plan.nations if n not in approved] if plan.status == PlanStatus.submitted else [],
        allowed_actions=[a.value for a in allowed_actions(PlanStatus(plan.status))],
        owner_org=owner.slug if owner else "",
        operation_id=operation_id,
        created_by=plan.author_label,
        created_at=plan.created_at,
        updated_at=plan.updated_at,
    )


def get_plan(session: Session, principal: Principal | None, plan_id: str) -> PlanRead:
    return plan_read(session, visible_plan(session, principal, plan_id), principal)


def list_plans(
    session: Session,
    principal: Principal | None,
    *,
    cursor: str | None,
    limit: int,
    status: str | None = None,
    hazard: str | None = None,
) -> tuple[list[PlanRead], str | None]:
    stmt = select(Plan).where(label_filter(Plan.label, principal, participant=on_platform(principal)))
    if status:
        stmt = stmt.where(Plan.status == status)
    if hazard:
        stmt = stmt.where(Plan.hazard == hazard)
    rows, nxt = paginate(session, stmt, Plan.id, cursor=cursor, limit=limit, newest_first=True)
    return [plan_read(session, p, principal) for p in rows], nxt


def list_versions(session: Session, principal: Principal | None, plan_id: str) -> list[PlanVersionRead]:
    """Every version of the plan, newest first, with the nations that approved each."""
    plan = visible_plan(session, principal, plan_id)
    approved: dict[int, list[str]] = {}
    for s in session.scalars(
        select(PlanSignature)
        .where(PlanSignature.plan_id == plan.id, PlanSignature.decision == "approve")
        .order_by(PlanSignature.signed_at)
    ):
        approved.setdefault(s.version, []).append(s.nation)
    rows = session.scalars(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number.desc())
    )
    return [
        PlanVersionRead(
            number=v.number, author=v.author_label, created_at=v.created_at, approved_by=approved.get(v.number, [])
        )
        for v in rows
    ]


def _version(session: Session, plan: Plan, number: int) -> PlanVersion:
    v = session.scalar(select(PlanVersion).where(PlanVersion.plan_id == plan.id, PlanVersion.number == number))
    if v is None:
        raise NotFound(f"plan {plan.id} has no version {number}")
    return v


def get_version(session: Session, principal: Principal | None, plan_id: str, number: int) -> PlanVersionRead:
    plan = visible_plan(session, principal, plan_id)
    v = _version(session, plan, number)
    approved = [s.nation for s in signatures(session, plan, number) if s.decision == "approve"]
    return PlanVersionRead(
        number=v.number, author=v.author_label, created_at=v.created_at, approved_by=approved, content=v.content
    )


_FIELDS = ("name", "hazard", "area", "nations", "objectives")
_TASK_FIELDS = (
    "title",
    "capability",
    "quantity",
    "phase",
    "start_h",
    "end_h",
    "lead_org",
    "support_orgs",
    "priority",
    "task_codes",
    "location",
)


def diff_content(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """What changed between two versions' contents: plan fields, and tasks matched by id."""
    fields = {f: {"from": old.get(f), "to": new.get(f)} for f in _FIELDS if old.get(f) != new.get(f)}
    before = {t["id"]: t for t in old.get("tasks", [])}
    after = {t["id"]: t for t in new.get("tasks", [])}
    changed = []
    for task_id in [i for i in after if i in before]:
        delta = {
            f: {"from": before[task_id].get(f), "to": after[task_id].get(f)}
            for f in _TASK_FIELDS
            if before[task_id].get(f) != after[task_id].get(f)
        }
        if delta:
            changed.append({"id": task_id, "fields": delta})
    return {
        "fields": fields,
        "tasks": {
            "added": [after[i] for i in after if i not in before],
            "removed": [before[i] for i in before if i not in after],
            "changed": changed,
        },
    }


def diff_versions(session: Session, principal: Principal | None, plan_id: str, a: int, b: int) -> dict[str, Any]:
    plan = visible_plan(session, principal, plan_id)
    old, new = _version(session, plan, a), _version(session, plan, b)
    return {"plan_id": plan.id, "from": a, "to": b, **diff_content(old.content, new.content)}


def comment_read(c: PlanComment, org: str) -> CommentRead:
    return CommentRead(
        id=c.id,
        plan_id=c.plan_id,
        version=c.version,
        text=c.text,
        author=c.author_label,
        org=org,
        label=c.label,
        created_at=c.created_at,
    )


def list_comments(session: Session, principal: Principal | None, plan_id: str) -> list[CommentRead]:
    plan = visible_plan(session, principal, plan_id)
    rows = session.execute(
        select(PlanComment, Organisation.slug)
        .join(Organisation, Organisation.id == PlanComment.org_id)
        .where(
            PlanComment.plan_id == plan.id,
            label_filter(PlanComment.label, principal, participant=on_platform(principal)),
        )
        .order_by(PlanComment.created_at, PlanComment.id)
    )
    return [comment_read(c, slug) for c, slug in rows]
