"""Commands of the planning domain: create and edit a plan (each edit a new version), take it
through sign-off, activate it into an operation, and comment on it. Every command checks the
caller's role itself and logs one event (activation also logs each draft RFA it creates)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, assignable_label, known_nations
from katchi.assets import require_capability
from katchi.core import Conflict, Forbidden, Invalid, new_id, parse_label, validate_geometry
from katchi.core.access import Principal, Role
from katchi.core.context import Context
from katchi.eventlog import Subject, record
from katchi.operations import coordinates, visible_operation
from katchi.planning.events import (
    PLAN_ACTIVATED,
    PLAN_COMMENTED,
    PLAN_CREATED,
    PLAN_EDITED,
    STEP_KIND,
    PlanActivated,
    PlanCommented,
    PlanCreated,
    PlanEdited,
    PlanStep,
)
from katchi.planning.models import Plan, PlanComment, PlanSignature, PlanVersion
from katchi.planning.queries import approved_nations, comment_read, plan_read, visible_plan
from katchi.planning.schemas import (
    CommentCreate,
    CommentRead,
    PlanActionBody,
    PlanCreate,
    PlanRead,
    PlanTaskIn,
    PlanUpdate,
)
from katchi.planning.states import EDITABLE, TRANSITIONS, PlanAction, PlanActor, PlanStatus, allowed_actions
from katchi.tasking import RfaCreate, create_rfa


def _is_planner(principal: Principal, nations: list[str]) -> bool:
    return principal.role == Role.coordinator and principal.nation in nations


def _require_planner(principal: Principal, nations: list[str]) -> None:
    if not _is_planner(principal, nations):
        raise Forbidden(f"only coordinators of organisations of the plan's nations ({', '.join(nations)}) may do this")


def _nations(session: Session, nations: list[str]) -> list[str]:
    nations = list(dict.fromkeys(nations))
    known = known_nations(session)
    for i, n in enumerate(nations):
        if n not in known:
            raise Invalid(
                f"nations: no organisation of nation {n}",
                errors=[{"loc": ["nations", i], "msg": "unknown nation", "input": n}],
            )
    return nations


def _label_fits(label: str, nations: list[str]) -> None:
    """Every nation's approvers must be able to read what they sign: a plan is public, alliance,
    or ``nation:X`` for a plan of X alone (an ``org:`` label would hide it from the approvers of
    the nation's other organisations)."""
    parsed = parse_label(label)
    if parsed.kind == "org":
        raise Invalid(
            f"label {label}: a plan is signed by its nations' approvers; label it public, alliance or nation:<ISO3>",
            errors=[{"loc": ["label"], "msg": "organisation labels are not for plans", "input": label}],
        )
    if parsed.kind == "nation" and nations != [parsed.value]:
        raise Invalid(
            f"label {label}: the plan's other nations could not read what they must sign",
            errors=[{"loc": ["label"], "msg": "not readable by every nation of the plan", "input": label}],
        )


def _org_slugs(session: Session, slugs: set[str]) -> set[str]:
    return set(session.scalars(select(Organisation.slug).where(Organisation.slug.in_(slugs))))


def _tasks(session: Session, tasks: list[PlanTaskIn], previous: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The tasks as stored: capabilities and organisations checked, geometry cleaned, each with an
    id (kept from the previous version where the caller gave it)."""
    known_ids = {t["id"] for t in previous}
    named = {t.lead_org for t in tasks} | {o for t in tasks for o in t.support_orgs}
    existing = _org_slugs(session, named) if named else set()
    out, seen = [], set()
    for i, t in enumerate(tasks):
        require_capability(t.capability, field=f"tasks.{i}.capability")
        for slug in [t.lead_org, *t.support_orgs]:
            if slug not in existing:
                raise Invalid(
                    f"tasks.{i}: no organisation {slug!r}",
                    errors=[{"loc": ["tasks", i], "msg": "unknown organisation", "input": slug}],
                )
        if t.id is not None and t.id not in known_ids:
            raise Invalid(
                f"tasks.{i}.id: the plan has no task {t.id}; omit the id for a new task",
                errors=[{"loc": ["tasks", i, "id"], "msg": "unknown task", "input": t.id}],
            )
        task_id = t.id or new_id()
        if task_id in seen:
            raise Invalid(f"tasks.{i}.id: task {task_id} given twice")
        seen.add(task_id)
        row = t.model_dump(mode="json")
        row["id"] = task_id
        row["support_orgs"] = list(dict.fromkeys(t.support_orgs))
        if t.location is not None:
            row["location"] = validate_geometry(t.location, field=f"tasks.{i}.location")
        out.append(row)
    return out


def create_plan(session: Session, ctx: Context, data: PlanCreate) -> PlanRead:
    """A coordinator of an organisation of one of the plan's nations starts a plan (version 1)."""
    principal = ctx.require()
    nations = _nations(session, data.nations)
    _require_planner(principal, nations)
    label = assignable_label(session, principal, data.label)
    _label_fits(label, nations)
    content = {
        "name": data.name.model_dump(),
        "hazard": data.hazard,
        "area": validate_geometry(data.area, field="area"),
        "nations": nations,
        "objectives": [o.model_dump() for o in data.objectives],
        "tasks": _tasks(session, data.tasks, []),
    }
    plan = Plan(
        id=new_id(),
        owner_org_id=principal.org_id,
        hazard=data.hazard,
        content=content,
        nations=nations,
        status=PlanStatus.draft.value,
        version=1,
        label=label,
        created_by=principal.user_id,
        author_label=principal.label,
        created_at=ctx.now,
        updated_at=ctx.now,
    )
    session.add(plan)
    _keep_version(session, ctx, plan)
    record(
        session,
        ctx,
        kind=PLAN_CREATED.name,
        subject=Subject("plan", plan.id),
        label=label,
        payload=PlanCreated(
            name=content["name"], hazard=plan.hazard, nations=nations, tasks=len(content["tasks"]), version=1
        ),
    )
    session.flush()
    return plan_read(session, plan, principal)


def _keep_version(session: Session, ctx: Context, plan: Plan) -> None:
    principal = ctx.require()
    session.add(
        PlanVersion(
            id=new_id(),
            plan_id=plan.id,
            number=plan.version,
            content=plan.content,
            author_id=principal.user_id,
            author_label=principal.label,
            created_at=ctx.now,
        )
    )


def update_plan(session: Session, ctx: Context, plan_id: str, data: PlanUpdate) -> PlanRead:
    """An edit makes a new version, returns the plan to draft and clears its signatures (they
    were given to the previous version)."""
    principal = ctx.require()
    plan = visible_plan(session, principal, plan_id)
    _require_planner(principal, plan.nations)
    status = PlanStatus(plan.status)
    if status not in EDITABLE:
        raise Conflict(f"a plan that is {status.value} is no longer edited", current_state=status.value)
    old = plan.content
    new = dict(old)
    if data.name is not None:
        new["name"] = data.name.model_dump()
    if data.hazard is not None:
        new["hazard"] = data.hazard
    if data.area is not None:
        new["area"] = validate_geometry(data.area, field="area")
    if data.nations is not None:
        new["nations"] = _nations(session, data.nations)
        _label_fits(plan.label, new["nations"])
        dropped = sorted(set(old["nations"]) - set(new["nations"]) - {principal.nation})
        if dropped:
            raise Forbidden(f"only a planner of {', '.join(dropped)} may take {', '.join(dropped)} off the plan")
    if data.objectives is not None:
        new["objectives"] = [o.model_dump() for o in data.objectives]
    if data.tasks is not None:
        new["tasks"] = _tasks(session, data.tasks, old.get("tasks", []))
    fields = [f for f in ("name", "hazard", "area", "nations", "objectives", "tasks") if new.get(f) != old.get(f)]
    if not fields:
        return plan_read(session, plan, principal)
    plan.content, plan.hazard, plan.nations = new, new["hazard"], new["nations"]
    plan.version += 1
    plan.status = PlanStatus.draft.value
    plan.updated_at = ctx.now
    _keep_version(session, ctx, plan)
    record(
        session,
        ctx,
        kind=PLAN_EDITED.name,
        subject=Subject("plan", plan.id),
        label=plan.label,
        payload=PlanEdited(version=plan.version, fields=fields, from_status=status.value),
    )
    session.flush()
    return plan_read(session, plan, principal)


def act_on_plan(session: Session, ctx: Context, plan_id: str, action: PlanAction, body: PlanActionBody) -> PlanRead:
    """Take ``action``: 404 if the plan is invisible, 403 if the caller may not, 409 if its status forbids it."""
    principal = ctx.require()
    plan = visible_plan(session, principal, plan_id)
    status = PlanStatus(plan.status)
    transition = TRANSITIONS[action]
    if transition.actor is PlanActor.planner:
        _require_planner(principal, plan.nations)
    elif principal.role != Role.approver or principal.nation not in plan.nations:
        raise Forbidden(
            f"only an approver of one of the plan's nations ({', '.join(plan.nations)}) may {action.value} it"
        )
    if status not in transition.sources:
        raise Conflict(
            f"cannot {action.value} a plan that is {status.value}",
            current_state=status.value,
            allowed_actions=[a.value for a in allowed_actions(status)],
        )
    nation = None
    target = transition.target
    if action is PlanAction.approve or action is PlanAction.reject:
        if body.version is not None and body.version != plan.version:
            raise Conflict(
                f"the plan is now at version {plan.version}, not {body.version}: read it again before you sign",
                current_state=status.value,
            )
        nation = principal.nation
        if nation in approved_nations(session, plan):
            raise Conflict(f"{nation} has already approved version {plan.version}", current_state=status.value)
        session.add(
            PlanSignature(
                id=new_id(),
                plan_id=plan.id,
                version=plan.version,
                nation=nation,
                decision=action.value,
                reason=body.reason,
                signer_id=principal.user_id,
                signer_label=principal.label,
                signed_at=ctx.now,
            )
        )
        if action is PlanAction.approve and set(plan.nations) - approved_nations(session, plan) - {nation}:
            target = PlanStatus.submitted  # other nations have yet to sign this version
    elif action is PlanAction.submit and not plan.content.get("tasks"):
        raise Invalid("a plan is submitted with at least one task")
    elif action is PlanAction.activate:
        return _activate(session, ctx, principal, plan, body)
    plan.status, plan.updated_at = target.value, ctx.now
    record(
        session,
        ctx,
        kind=STEP_KIND[action.value],
        subject=Subject("plan", plan.id),
        label=plan.label,
        payload=PlanStep(
            action=action.value,
            version=plan.version,
            from_status=status.value,
            to_status=target.value,
            nation=nation,
            reason=body.reason,
        ),
    )
    session.flush()
    return plan_read(session, plan, principal)


def _rfa_title(title: dict[str, str]) -> str:
    return " / ".join(t for t in (title.get("en"), title.get("ko")) if t)[:300]


def _activate(session: Session, ctx: Context, principal: Principal, plan: Plan, body: PlanActionBody) -> PlanRead:
    """The approved plan becomes the operation's: each task a draft RFA of the activating
    coordinator's organisation, needed by the plan's T0 (the hazard's onset: given, or when the
    operation was opened) plus the task's end. No asset is tasked: the coordinators submit,
    validate and task the RFAs as the response unfolds."""
    if not body.operation_id:
        raise Invalid("activate needs operation_id", errors=[{"loc": ["operation_id"], "msg": "required"}])
    view = visible_operation(session, principal, body.operation_id)
    if not coordinates(session, principal, view):
        raise Forbidden("only the operation's coordinators may activate a plan into it")
    if view.op.status != "active":
        raise Conflict(f"operation {view.id} is {view.op.status}")
    t0 = body.t0 or view.op.created_at
    content = plan.content
    rfa_ids = []
    for task in content["tasks"]:
        rfa = create_rfa(
            session,
            ctx,
            view.id,
            RfaCreate(
                title=_rfa_title(task["title"]),
                capability=task["capability"],
                quantity=task["quantity"],
                location=task.get("location") or content["area"],
                priority=task["priority"],
                needed_by=t0 + timedelta(hours=task["end_h"]),
                description=(
                    f"Plan {_rfa_title(content['name'])} v{plan.version}, task {task['id']} "
                    f"({task['phase']}); lead {task['lead_org']}"
                    + (f"; support {', '.join(task['support_orgs'])}" if task["support_orgs"] else "")
                ),
                label=plan.label,
                task_codes=task.get("task_codes", []),
            ),
        )
        rfa_ids.append(rfa.id)
    plan.status, plan.operation_id, plan.updated_at = PlanStatus.active.value, view.id, ctx.now
    record(
        session,
        ctx,
        kind=PLAN_ACTIVATED.name,
        subject=Subject("plan", plan.id),
        label=plan.label,
        operation_id=view.id,
        payload=PlanActivated(version=plan.version, name=content["name"], rfa_ids=rfa_ids),
    )
    session.flush()
    return plan_read(session, plan, principal)


def _no_wider(comment: str, plan: str) -> bool:
    c, p = parse_label(comment), parse_label(plan)
    return c.rank > p.rank or c == p


def comment_on_plan(session: Session, ctx: Context, plan_id: str, data: CommentCreate) -> CommentRead:
    """Users of the plan's nations who contribute (or sign) comment on its current version."""
    principal = ctx.require()
    plan = visible_plan(session, principal, plan_id)
    if principal.nation not in plan.nations or not (principal.can_contribute() or principal.role == Role.approver):
        raise Forbidden("only planners and approvers of the plan's nations comment on it")
    label = assignable_label(session, principal, data.label or plan.label)
    if not _no_wider(label, plan.label):
        raise Invalid(f"label {label} is wider than the plan's ({plan.label})")
    c = PlanComment(
        id=new_id(),
        plan_id=plan.id,
        version=plan.version,
        text=data.text,
        org_id=principal.org_id,
        author_id=principal.user_id,
        author_label=principal.label,
        label=label,
        created_at=ctx.now,
    )
    session.add(c)
    record(
        session,
        ctx,
        kind=PLAN_COMMENTED.name,
        subject=Subject("plan", plan.id),
        label=label,
        payload=PlanCommented(version=plan.version, text=data.text),
    )
    return comment_read(c, principal.org_slug)
