"""An exercise's MSEL for its controllers, and its objectives for every participant."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from starlette.responses import Response

from katchi import exercises
from katchi.web.commands import execute
from katchi.web.deps import Caller, Rt
from katchi.web.responses import json_response

router = APIRouter(tags=["exercises"])
Lang = Annotated[Literal["en", "ko"], Query(description="the report's language")]


@router.get("/operations/{op_id}/exercise/injects", response_model=exercises.InjectList)
def list_injects(op_id: str, rt: Rt, caller: Caller) -> Response:
    """The MSEL in time order with each inject's status (pending, held, delivered): the exercise's
    controllers and evaluators only (players learn of an inject when it is delivered)."""
    with rt.db.read() as s:
        return json_response(exercises.InjectList(items=exercises.list_injects(s, caller, op_id)))


@router.post("/operations/{op_id}/exercise/injects", status_code=201, response_model=exercises.InjectRead)
async def add_inject(op_id: str, body: exercises.InjectCreate, request: Request, caller: Caller) -> Response:
    """An ad-hoc inject (``at``: ISO time or T+duration, default now); the running exercise
    delivers it when its clock reaches it."""
    return await execute(request, caller, lambda s, ctx: exercises.add_inject(s, ctx, op_id, body))


@router.post(
    "/operations/{op_id}/exercise/injects/{inject_id}/actions/{action}",
    status_code=200,
    response_model=exercises.InjectRead,
)
async def act_on_inject(
    op_id: str, inject_id: str, action: Literal["hold", "release"], request: Request, caller: Caller
) -> Response:
    """Hold a pending inject, or release a held one."""
    return await execute(
        request,
        caller,
        lambda s, ctx: exercises.set_held(s, ctx, inject_id, held=action == "hold", op_id=op_id),
        status=200,
    )


@router.patch("/operations/{op_id}/exercise/injects/{inject_id}", response_model=exercises.InjectRead)
async def update_inject(
    op_id: str, inject_id: str, body: exercises.InjectUpdate, request: Request, caller: Caller
) -> Response:
    """Edit a pending or held inject."""
    return await execute(
        request, caller, lambda s, ctx: exercises.update_inject(s, ctx, inject_id, body, op_id=op_id), status=200
    )


@router.get("/operations/{op_id}/exercise/objectives")
def objectives(op_id: str, rt: Rt, caller: Caller) -> dict[str, Any]:
    """The exercise's objectives with their evaluation criteria (every participant)."""
    with rt.db.read() as s:
        return {"items": exercises.exercise_objectives(s, caller, op_id)}


@router.post("/operations/{op_id}/observations", status_code=201, response_model=exercises.ObservationRead)
async def record_observation(
    op_id: str, body: exercises.ObservationCreate, request: Request, caller: Caller
) -> Response:
    """An evaluator's observation (a strength or an area for improvement) against an objective."""
    return await execute(request, caller, lambda s, ctx: exercises.record_observation(s, ctx, op_id, body))


@router.get("/operations/{op_id}/observations")
def list_observations(op_id: str, rt: Rt, caller: Caller) -> dict[str, Any]:
    """The exercise's observations the caller may read, in simulated-time order."""
    with rt.db.read() as s:
        return {"items": [o.model_dump(mode="json") for o in exercises.list_observations(s, caller, op_id)]}


@router.post("/operations/{op_id}/improvements", status_code=201, response_model=exercises.ImprovementRead)
async def add_improvement(op_id: str, body: exercises.ImprovementCreate, request: Request, caller: Caller) -> Response:
    """A row of the improvement plan (evaluators and controllers)."""
    return await execute(request, caller, lambda s, ctx: exercises.add_improvement(s, ctx, op_id, body))


@router.get("/operations/{op_id}/improvements")
def list_improvements(op_id: str, rt: Rt, caller: Caller) -> dict[str, Any]:
    """The exercise's improvement plan as the caller may read it, by due date."""
    with rt.db.read() as s:
        return {"items": [i.model_dump(mode="json") for i in exercises.list_improvements(s, caller, op_id)]}


def _report(rt: Any, caller: Any, op_id: str, lang: str, *, inline_css: bool = False) -> str:
    with rt.db.read() as s:
        return exercises.render_report(exercises.evaluation_of(s, caller, op_id), lang, inline_css=inline_css)


@router.get("/operations/{op_id}/exercise/report", response_class=HTMLResponse)
async def report_html(op_id: str, rt: Rt, caller: Caller, lang: Lang = "en") -> Response:
    """The after-action report as the caller may read it: measured results, observations by
    objective and the improvement plan (``lang``: en or ko)."""
    html = await run_in_threadpool(_report, rt, caller, op_id, lang)
    return HTMLResponse(html)


@router.get("/operations/{op_id}/exercise/report.css", include_in_schema=False)
def report_stylesheet(op_id: str) -> Response:
    """The report page's stylesheet (the same for every report: nothing of the operation's)."""
    return Response(exercises.report_css(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/operations/{op_id}/exercise/report.pdf", response_class=Response)
async def report_pdf(op_id: str, rt: Rt, caller: Caller, lang: Lang = "en") -> Response:
    """The same report as PDF."""
    html = await run_in_threadpool(lambda: _report(rt, caller, op_id, lang, inline_css=True))
    pdf = await run_in_threadpool(exercises.report_pdf, html)
    return Response(
        pdf, media_type="application/pdf", headers={"Content-Disposition": f'inline; filename="aar-{op_id}-{lang}.pdf"'}
    )
