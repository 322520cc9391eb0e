"""Operations, ops log, decisions, messages, the liaison directory and the timeline."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from katchi import exercises
from katchi import operations as ops
from katchi.web.commands import execute
from katchi.web.deps import Caller, PageParams, Rt
from katchi.web.responses import PageOf, json_response, page_response

router = APIRouter(tags=["operations"])


@router.post("/operations", status_code=201, response_model=ops.OperationRead)
async def create_operation(body: ops.OperationCreate, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: ops.create_operation(s, ctx, body))


@router.get("/operations", response_model=PageOf[ops.OperationRead])
def list_operations(rt: Rt, caller: Caller, page: PageParams) -> Response:
    with rt.db.read() as s:
        return page_response(*ops.list_operations(s, caller, cursor=page.cursor, limit=page.limit))


@router.get("/operations/{op_id}", response_model=ops.OperationRead)
def get_operation(op_id: str, rt: Rt, caller: Caller) -> Response:
    with rt.db.read() as s:
        return json_response(ops.operation_read(s, ops.visible_operation(s, caller, op_id).op))


@router.get("/operations/{op_id}/contacts", response_model=PageOf[ops.ContactRead])
def list_contacts(op_id: str, rt: Rt, caller: Caller, page: PageParams) -> Response:
    """The operation's liaison officers the caller may read, in the order they were added."""
    with rt.db.read() as s:
        view = ops.visible_operation(s, caller, op_id)
        return page_response(*ops.list_contacts(s, caller, view, cursor=page.cursor, limit=page.limit))


@router.post("/operations/{op_id}/contacts", status_code=201, response_model=ops.ContactRead)
async def add_contact(op_id: str, body: ops.ContactCreate, request: Request, caller: Caller) -> Response:
    """List a liaison officer (contributors for their own organisation, coordinators for any)."""
    return await execute(request, caller, lambda s, ctx: ops.add_contact(s, ctx, op_id, body))


@router.get("/contacts/{contact_id}", response_model=ops.ContactRead)
def get_contact(contact_id: str, rt: Rt, caller: Caller) -> Response:
    with rt.db.read() as s:
        return json_response(ops.get_contact(s, caller, contact_id))


@router.patch("/contacts/{contact_id}", response_model=ops.ContactRead)
async def update_contact(contact_id: str, body: ops.ContactUpdate, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: ops.update_contact(s, ctx, contact_id, body), status=200)


@router.delete("/contacts/{contact_id}", response_model=ops.ContactRead)
async def remove_contact(contact_id: str, request: Request, caller: Caller) -> Response:
    """Take the contact out of the directory; answers it as it was."""
    return await execute(request, caller, lambda s, ctx: ops.remove_contact(s, ctx, contact_id), status=200)


@router.get("/operations/{op_id}/exercise/clock", response_model=exercises.ExerciseClockRead)
def exercise_clock(op_id: str, rt: Rt, caller: Caller) -> Response:
    """The exercise clock now (state, simulated time, speed), for every participant; 404 for a
    real operation or one without a clock."""
    with rt.db.read() as s:
        return json_response(exercises.exercise_clock(s, caller, op_id))


@router.post("/operations/{op_id}/exercise/clock", status_code=202, response_model=exercises.ClockRequest)
async def drive_exercise_clock(op_id: str, body: exercises.ClockRequest, request: Request, caller: Caller) -> Response:
    """Pause, resume, change the speed or jump ahead (``{"action": "jump", "value": "6h"}``, never
    backwards): exercise controllers and coordinators. The running exercise obeys within a second."""
    return await execute(request, caller, lambda s, ctx: exercises.request_clock(s, ctx, op_id, body), status=202)


@router.put("/operations/{op_id}/coordinators", response_model=ops.OperationRead)
async def set_coordinators(op_id: str, body: ops.CoordinatorsSet, request: Request, caller: Caller) -> Response:
    """The lead names its co-coordinators: the organisations whose coordinators validate, reject
    and task requests in this operation with it."""
    return await execute(request, caller, lambda s, ctx: ops.set_coordinators(s, ctx, op_id, body), status=200)


@router.post("/operations/{op_id}/actions/close", response_model=ops.OperationRead)
async def close_operation(op_id: str, body: ops.StatusChange, request: Request, caller: Caller) -> Response:
    """Close the operation (a coordinator of its lead): it stays readable, nothing is added to it."""
    return await execute(request, caller, lambda s, ctx: ops.close_operation(s, ctx, op_id, body), status=200)


@router.post("/operations/{op_id}/actions/reopen", response_model=ops.OperationRead)
async def reopen_operation(op_id: str, body: ops.StatusChange, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: ops.reopen_operation(s, ctx, op_id, body), status=200)


@router.post("/operations/{op_id}/participants", response_model=ops.OperationRead)
async def add_participants(op_id: str, body: ops.ParticipantsAdd, request: Request, caller: Caller) -> Response:
    """Invite organisations (a coordinator of a coordinating organisation): their users then read
    the operation's alliance records, earlier ones too."""
    return await execute(request, caller, lambda s, ctx: ops.add_participants(s, ctx, op_id, body), status=200)


@router.post("/operations/{op_id}/log", status_code=201, response_model=ops.LogRead)
async def post_log(op_id: str, body: ops.LogCreate, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: ops.post_log(s, ctx, op_id, body))


@router.get("/operations/{op_id}/log", response_model=PageOf[ops.LogRead])
def list_log(op_id: str, rt: Rt, caller: Caller, page: PageParams) -> Response:
    with rt.db.read() as s:
        view = ops.visible_operation(s, caller, op_id)
        return page_response(*ops.list_log(s, caller, view, cursor=page.cursor, limit=page.limit))


@router.post("/operations/{op_id}/decisions", status_code=201, response_model=ops.DecisionRead)
async def record_decision(op_id: str, body: ops.DecisionCreate, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: ops.record_decision(s, ctx, op_id, body))


@router.get("/operations/{op_id}/decisions", response_model=PageOf[ops.DecisionRead])
def list_decisions(op_id: str, rt: Rt, caller: Caller, page: PageParams) -> Response:
    with rt.db.read() as s:
        view = ops.visible_operation(s, caller, op_id)
        return page_response(*ops.list_decisions(s, caller, view, cursor=page.cursor, limit=page.limit))


@router.post("/operations/{op_id}/messages", status_code=201, response_model=ops.MessageRead)
async def post_message(op_id: str, body: ops.MessageCreate, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: ops.post_message(s, ctx, op_id, body))


@router.get("/operations/{op_id}/messages", response_model=PageOf[ops.MessageRead])
def list_messages(op_id: str, rt: Rt, caller: Caller, page: PageParams) -> Response:
    with rt.db.read() as s:
        view = ops.visible_operation(s, caller, op_id)
        return page_response(*ops.list_messages(s, caller, view, cursor=page.cursor, limit=page.limit))


@router.get("/operations/{op_id}/timeline")
def timeline(
    op_id: str,
    rt: Rt,
    caller: Caller,
    page: PageParams,
    kind: Annotated[str | None, Query(max_length=80, description="only events of this kind")] = None,
) -> Response:
    """The operation's event log as the caller may see it, oldest first."""
    with rt.db.read() as s:
        view = ops.visible_operation(s, caller, op_id)
        return page_response(*ops.timeline(s, caller, view, cursor=page.cursor, limit=page.limit, kind=kind))
