"""Contingency plans: writing them together, signing them, their gaps against the real assets;
and recommended assignments for an operation's validated RFAs."""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from katchi import planning
from katchi.core import Busy
from katchi.core.clock import utcnow
from katchi.exercises import exercise_time
from katchi.interop.hxl import export_plan_gaps
from katchi.web.commands import execute
from katchi.web.deps import Caller, PageParams, Rt
from katchi.web.responses import PageOf, json_response, page_response

router = APIRouter(tags=["planning"])
#: Routing searches for its whole time limit on a core: one at a time per server process.
SOLVING = threading.Semaphore(1)
Without = Annotated[
    str | None, Query(max_length=63, description="what-if: recompute without this organisation's assets")
]


@router.post("/plans", status_code=201, response_model=planning.PlanRead)
async def create_plan(body: planning.PlanCreate, request: Request, caller: Caller) -> Response:
    """A coordinator of an organisation of one of the plan's nations starts a plan (version 1, draft)."""
    return await execute(request, caller, lambda s, ctx: planning.create_plan(s, ctx, body))


@router.get("/plans", response_model=PageOf[planning.PlanRead])
def list_plans(
    rt: Rt,
    caller: Caller,
    page: PageParams,
    status: Annotated[planning.PlanStatus | None, Query()] = None,
    hazard: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The plans the caller may read, newest first."""
    with rt.db.read() as s:
        return page_response(
            *planning.list_plans(
                s, caller, cursor=page.cursor, limit=page.limit, status=status.value if status else None, hazard=hazard
            )
        )


@router.get("/plans/{plan_id}", response_model=planning.PlanRead)
def get_plan(plan_id: str, rt: Rt, caller: Caller) -> Response:
    with rt.db.read() as s:
        return json_response(planning.get_plan(s, caller, plan_id))


@router.patch("/plans/{plan_id}", response_model=planning.PlanRead)
async def update_plan(plan_id: str, body: planning.PlanUpdate, request: Request, caller: Caller) -> Response:
    """Edit the plan: a new version, back to draft, signatures cleared."""
    return await execute(request, caller, lambda s, ctx: planning.update_plan(s, ctx, plan_id, body), status=200)


@router.post("/plans/{plan_id}/actions/{action}", response_model=planning.PlanRead)
async def act_on_plan(
    plan_id: str,
    action: planning.PlanAction,
    request: Request,
    caller: Caller,
    body: planning.PlanActionBody | None = None,
) -> Response:
    """``submit`` | ``approve`` (an approver signs the current version for their nation) |
    ``reject`` | ``activate`` (``operation_id``: the tasks become draft RFAs) | ``archive``."""
    data = body or planning.PlanActionBody()
    return await execute(
        request, caller, lambda s, ctx: planning.act_on_plan(s, ctx, plan_id, action, data), status=200
    )


@router.get("/plans/{plan_id}/versions")
def list_versions(plan_id: str, rt: Rt, caller: Caller) -> dict[str, Any]:
    """Every version, newest first, with the nations that approved each."""
    with rt.db.read() as s:
        return {"items": [v.model_dump(mode="json") for v in planning.list_versions(s, caller, plan_id)]}


@router.get("/plans/{plan_id}/versions/{number}", response_model=planning.PlanVersionRead)
def get_version(plan_id: str, number: Annotated[int, Path(ge=1, le=2**31 - 1)], rt: Rt, caller: Caller) -> Response:
    with rt.db.read() as s:
        return json_response(planning.get_version(s, caller, plan_id, number))


@router.get("/plans/{plan_id}/diff")
def diff_versions(
    plan_id: str,
    rt: Rt,
    caller: Caller,
    from_: Annotated[int, Query(alias="from", ge=1, le=2**31 - 1)],
    to: Annotated[int, Query(ge=1, le=2**31 - 1)],
) -> dict[str, Any]:
    """What changed from one version to another: plan fields, and tasks added, removed or changed."""
    with rt.db.read() as s:
        return planning.diff_versions(s, caller, plan_id, from_, to)


@router.post("/plans/{plan_id}/comments", status_code=201, response_model=planning.CommentRead)
async def comment(plan_id: str, body: planning.CommentCreate, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: planning.comment_on_plan(s, ctx, plan_id, body))


@router.get("/plans/{plan_id}/comments")
def list_comments(plan_id: str, rt: Rt, caller: Caller) -> dict[str, Any]:
    with rt.db.read() as s:
        return {"items": [c.model_dump(mode="json") for c in planning.list_comments(s, caller, plan_id)]}


@router.get("/plans/{plan_id}/gaps")
def plan_gaps(plan_id: str, rt: Rt, caller: Caller, without: Without = None) -> dict[str, Any]:
    """Required, available and shortfall per capability and phase, from the assets the caller may
    see and their caveats; ``without``: as if one organisation's assets were not there."""
    with rt.db.read() as s:
        return {"items": [g.model_dump(mode="json") for g in planning.plan_gaps(s, caller, plan_id, without=without)]}


@router.get("/plans/{plan_id}/gaps.csv", response_class=Response)
def plan_gaps_hxl(plan_id: str, rt: Rt, caller: Caller, without: Without = None) -> Response:
    """The gap analysis as HXL CSV."""
    with rt.db.read() as s:
        text = export_plan_gaps(s, caller, plan_id, without=without)
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="plan-{plan_id}-gaps.csv"'},
    )


@router.get("/operations/{op_id}/recommendations")
def recommendations(op_id: str, rt: Rt, caller: Caller) -> dict[str, Any]:
    """Recommended assets for the open validated RFAs (the operation's coordinators): civilian
    first, a military asset only where no civilian one can arrive in time, with the reason."""
    with rt.db.read() as s:
        now = exercise_time(s, op_id) or utcnow()
        items = planning.recommendations(s, caller, op_id, now=now)
    return {"items": [r.model_dump(mode="json") for r in items]}


@router.get("/operations/{op_id}/distribution", response_model=planning.DistributionRead)
def relief_distribution(
    op_id: str,
    rt: Rt,
    caller: Caller,
    hours: Annotated[float, Query(gt=0, le=72, description="deliver within this many hours from now")] = 12.0,
    time_limit_s: Annotated[float, Query(gt=0, le=10, description="how long the solver searches")] = 3.0,
) -> Response:
    """A day's water from the staging areas to the occupied shelters by the available truck
    companies: routes in order with arrival minutes (the operation's coordinators; advice only).
    One plan is solved at a time per server (429 while another is); the database is not held."""
    with rt.db.read() as s:
        problem = planning.distribution_problem(s, caller, op_id, hours=hours)
    if not SOLVING.acquire(blocking=False):
        raise Busy("another relief-distribution plan is being solved; try again in a few seconds")
    try:
        return json_response(planning.solve_distribution(problem, time_limit_s=time_limit_s))
    finally:
        SOLVING.release()
