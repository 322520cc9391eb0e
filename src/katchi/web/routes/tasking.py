"""Requests for assistance and their life-cycle actions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query, Request
from starlette.responses import Response

from katchi import tasking
from katchi.accounts import ReleaseRequest
from katchi.core import parse_bbox
from katchi.operations import visible_operation
from katchi.web.commands import execute
from katchi.web.deps import Caller, PageParams, Rt
from katchi.web.responses import PageOf, json_response, page_response

router = APIRouter(tags=["tasking"])


@router.post("/operations/{op_id}/rfas", status_code=201, response_model=tasking.RfaRead)
async def create_rfa(op_id: str, body: tasking.RfaCreate, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: tasking.create_rfa(s, ctx, op_id, body))


@router.get("/operations/{op_id}/rfas", response_model=PageOf[tasking.RfaRead])
def list_rfas(
    op_id: str,
    rt: Rt,
    caller: Caller,
    page: PageParams,
    state: Annotated[tasking.RfaState | None, Query()] = None,
    bbox: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    box = parse_bbox(bbox) if bbox else None
    with rt.db.read() as s:
        view = visible_operation(s, caller, op_id)
        return page_response(
            *tasking.list_rfas(
                s, caller, view, cursor=page.cursor, limit=page.limit, state=state.value if state else None, bbox=box
            )
        )


@router.get("/rfas/{rfa_id}", response_model=tasking.RfaRead)
def get_rfa(rfa_id: str, rt: Rt, caller: Caller) -> Response:
    with rt.db.read() as s:
        return json_response(tasking.get_rfa(s, caller, rfa_id))


@router.get("/approvals", response_model=PageOf[tasking.ApprovalRead])
def list_approvals(
    rt: Rt,
    caller: Caller,
    decided: Annotated[bool, Query(description="those already approved or denied, instead of the pending")] = False,
) -> Response:
    """Taskings of your nation's assets that need national approval (role ``approver`` only)."""
    with rt.db.read() as s:
        return page_response(tasking.list_approvals(s, caller, decided=decided), None)


@router.post("/rfas/{rfa_id}/actions/approve", response_model=tasking.ApprovalRead)
async def approve(
    rfa_id: str, request: Request, caller: Caller, body: Annotated[tasking.ApprovalDecision | None, Body()] = None
) -> Response:
    """An approver of the asset's nation approves its tasking: the owner may then accept it."""
    reason = body.reason if body else ""
    return await execute(
        request, caller, lambda s, ctx: tasking.decide(s, ctx, rfa_id, approve=True, reason=reason), status=200
    )


@router.post("/rfas/{rfa_id}/actions/deny", response_model=tasking.ApprovalRead)
async def deny(rfa_id: str, body: tasking.ApprovalDecision, request: Request, caller: Caller) -> Response:
    """An approver of the asset's nation denies its tasking (with a reason): the RFA is declined."""
    return await execute(
        request, caller, lambda s, ctx: tasking.decide(s, ctx, rfa_id, approve=False, reason=body.reason), status=200
    )


@router.post("/rfas/{rfa_id}/actions/{action}", response_model=tasking.RfaRead)
async def act(
    rfa_id: str,
    action: tasking.RfaAction,
    request: Request,
    caller: Caller,
    body: Annotated[tasking.RfaActionBody | None, Body()] = None,
) -> Response:
    """Move an RFA: 409 names the current state and allowed actions when the step is illegal."""
    data = body or tasking.RfaActionBody()
    return await execute(request, caller, lambda s, ctx: tasking.act_on_rfa(s, ctx, rfa_id, action, data), status=200)


@router.get("/operations/{op_id}/taskings", response_model=PageOf[tasking.TaskingRead])
def list_taskings(op_id: str, rt: Rt, caller: Caller, page: PageParams) -> Response:
    with rt.db.read() as s:
        view = visible_operation(s, caller, op_id)
        return page_response(*tasking.list_taskings(s, caller, view, cursor=page.cursor, limit=page.limit))


@router.post("/rfas/{rfa_id}/release", response_model=tasking.RfaRead)
async def release_rfa(rfa_id: str, body: ReleaseRequest, request: Request, caller: Caller) -> Response:
    """Widen the RFA's label (coordinators of the requesting organisation)."""
    return await execute(request, caller, lambda s, ctx: tasking.release_rfa(s, ctx, rfa_id, body.label), status=200)
