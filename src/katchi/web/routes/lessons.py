"""Observations and lessons (their life cycle and remedial actions), and the bilingual glossary
(public reference data, like the capability catalogue)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from katchi import lessons
from katchi.core.access import Principal
from katchi.interop.hxl import export_lessons
from katchi.web import i18n
from katchi.web.commands import execute
from katchi.web.deps import Caller, PageParams, Rt
from katchi.web.lessons_report import pdf_filename, render_lessons_report, report_css, report_pdf
from katchi.web.responses import PageOf, json_response, page_response
from katchi.web.runtime import Runtime

router = APIRouter(tags=["lessons"])
ReportHazard = Annotated[str | None, Query(max_length=64, description="the lessons of this hazard")]
ReportExercise = Annotated[
    str | None, Query(max_length=64, description="the lessons drawn from this exercise operation (its id)")
]
ReportState = Annotated[lessons.LessonState | None, Query(description="only this state (default: validated and later)")]
ReportLang = Annotated[Literal["en", "ko"] | None, Query(description="the report's language (default: the request's)")]


@router.post("/observations", status_code=201, response_model=lessons.LessonRead)
async def record_observation(body: lessons.ObservationCreate, request: Request, caller: Caller) -> Response:
    """An observation, drawn from records the caller may read or written directly: a lesson in
    state ``observed``, whose ``id`` the lesson's actions take."""
    return await execute(request, caller, lambda s, ctx: lessons.record_observation(s, ctx, body))


@router.get("/observations", response_model=PageOf[lessons.LessonRead])
def list_observations(rt: Rt, caller: Caller, page: PageParams) -> Response:
    """Observations awaiting a lessons manager (lessons in state ``observed``), newest first."""
    with rt.db.read() as s:
        return page_response(*lessons.list_lessons(s, caller, cursor=page.cursor, limit=page.limit, state="observed"))


@router.get("/lessons", response_model=PageOf[lessons.LessonRead])
def list_lessons(
    rt: Rt,
    caller: Caller,
    page: PageParams,
    state: Annotated[lessons.LessonState | None, Query()] = None,
    hazard: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    with rt.db.read() as s:
        return page_response(
            *lessons.list_lessons(
                s, caller, cursor=page.cursor, limit=page.limit, state=state.value if state else None, hazard=hazard
            )
        )


@router.get("/lessons.csv", response_class=Response)
def lessons_hxl(
    rt: Rt,
    caller: Caller,
    state: Annotated[lessons.LessonState | None, Query()] = None,
    hazard: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The lessons the caller may read as HXL CSV (English and Korean columns side by side)."""
    with rt.db.read() as s:
        text = export_lessons(s, caller, hazard=hazard, state=state.value if state else None)
    return Response(
        text.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="lessons.csv"'},
    )


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """Which lessons report: of a hazard or of an exercise (exactly one), which state, which language."""

    hazard: str | None
    exercise: str | None
    state: lessons.LessonState | None
    #: en | ko (default: the request's language)
    lang: str


async def report_query(
    request: Request,
    hazard: ReportHazard = None,
    exercise: ReportExercise = None,
    state: ReportState = None,
    lang: ReportLang = None,
) -> ReportQuery:
    return ReportQuery(hazard, exercise, state, lang or i18n.choose_lang(request)[0])


Report = Annotated[ReportQuery, Depends(report_query)]


def _lessons_report(rt: Runtime, caller: Principal, query: ReportQuery) -> lessons.LessonsReport:
    with rt.db.read() as s:
        state = query.state.value if query.state else None
        return lessons.lessons_report(s, caller, hazard=query.hazard, exercise=query.exercise, state=state)


# Before /lessons/{lesson_id}, which would take "report.html" for an id.
@router.get("/lessons/report.html", response_class=HTMLResponse)
async def lessons_report_html(rt: Rt, caller: Caller, query: Report) -> Response:
    """The lessons of a hazard or drawn from an exercise (exactly one), as the caller may read
    them: counts by state and capability area, then each lesson with its marking, texts, remedial
    actions and the sources the caller may read."""
    report = await run_in_threadpool(_lessons_report, rt, caller, query)
    return HTMLResponse(await run_in_threadpool(render_lessons_report, report, query.lang))


@router.get("/lessons/report.css", include_in_schema=False)
def lessons_report_stylesheet() -> Response:
    """The report page's stylesheet (the same for every report)."""
    return Response(report_css(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/lessons/report.pdf", response_class=Response)
async def lessons_report_pdf(rt: Rt, caller: Caller, query: Report) -> Response:
    """The same report as PDF (printed after the database read is over)."""
    lang = query.lang
    report = await run_in_threadpool(_lessons_report, rt, caller, query)
    html = await run_in_threadpool(lambda: render_lessons_report(report, lang, inline_css=True))
    pdf = await run_in_threadpool(report_pdf, html)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{pdf_filename(report, lang)}"'},
    )


@router.get("/lessons/{lesson_id}", response_model=lessons.LessonRead)
def get_lesson(lesson_id: str, rt: Rt, caller: Caller) -> Response:
    """A lesson with its remedial actions and the texts still missing a language."""
    with rt.db.read() as s:
        return json_response(lessons.get_lesson(s, caller, lesson_id))


@router.patch("/lessons/{lesson_id}", response_model=lessons.LessonRead)
async def edit_lesson(lesson_id: str, body: lessons.LessonUpdate, request: Request, caller: Caller) -> Response:
    """Edit a lesson's texts, e.g. add the language a field lacks (a lessons manager or the
    observing organisation, until it is verified or rejected)."""
    return await execute(request, caller, lambda s, ctx: lessons.edit_lesson(s, ctx, lesson_id, body), status=200)


@router.post("/lessons/{lesson_id}/actions/{action}", response_model=lessons.LessonRead)
async def act_on_lesson(
    lesson_id: str,
    action: lessons.LessonAction,
    request: Request,
    caller: Caller,
    body: Annotated[lessons.LessonActionBody | None, Body()] = None,
) -> Response:
    """``validate {root_cause, capability_area, hazard}`` | ``reject {reason}`` | ``assign
    {owner_org, due, text}`` | ``implement {remedial_action_id}`` | ``verify {evidence}``:
    409 when the state forbids it, 403 for the wrong role."""
    data = body or lessons.LessonActionBody()
    return await execute(
        request, caller, lambda s, ctx: lessons.act_on_lesson(s, ctx, lesson_id, action, data), status=200
    )


@router.get("/glossary", response_model=PageOf[lessons.GlossaryTerm])
def glossary(_caller: Caller, page: PageParams, q: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    """Alliance and disaster-management terms in English and Korean, each with its definition in
    both and its public source; ``q`` matches names and abbreviations in either language first,
    then definitions."""
    return page_response(*lessons.search_glossary(q, cursor=page.cursor, limit=page.limit))


@router.get("/glossary/index", response_model=lessons.GlossaryIndex)
def glossary_index(_caller: Caller) -> Response:
    """Every term with the forms it is written in (names, abbreviations, other spellings; longest
    first) and its definitions: what the console marks in texts. Reference data that changes only
    with a release, so the browser keeps it for a day."""
    response = json_response(lessons.glossary_index())
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@router.get("/plans/{plan_id}/lessons", response_model=PageOf[lessons.SurfacedLesson])
def plan_lessons(plan_id: str, rt: Rt, caller: Caller, page: PageParams) -> Response:
    """Validated (and later) lessons relevant to the plan, strongest first, each with why: the same
    hazard, a capability its tasks need, an area that overlaps the plan's."""
    with rt.db.read() as s:
        return page_response(*lessons.plan_lessons(s, caller, plan_id, cursor=page.cursor, limit=page.limit))


@router.get("/operations/{op_id}/lessons", response_model=PageOf[lessons.SurfacedLesson])
def operation_lessons(op_id: str, rt: Rt, caller: Caller, page: PageParams) -> Response:
    """Validated (and later) lessons relevant to the operation: its hazard, the capabilities its
    RFAs ask for, the extent of its incidents and RFAs (as the caller may read them)."""
    with rt.db.read() as s:
        return page_response(*lessons.operation_lessons(s, caller, op_id, cursor=page.cursor, limit=page.limit))


@router.post("/operations/{op_id}/lessons/candidates", status_code=201, response_model=lessons.Candidates)
async def propose_candidates(op_id: str, request: Request, caller: Caller) -> Response:
    """A lessons manager turns a finished exercise's missed objectives and outlying figures into
    draft observations, with the evaluators' areas for improvement as their sources."""
    return await execute(request, caller, lambda s, ctx: lessons.propose_candidates(s, ctx, op_id))
