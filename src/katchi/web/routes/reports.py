"""Situation reports of an operation: draft, edit, issue, list, render (HTML, PDF), schedule."""

from __future__ import annotations

from collections import OrderedDict
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, Response

from katchi import reports
from katchi.core.access import Principal
from katchi.operations import visible_operation
from katchi.web import i18n
from katchi.web.commands import execute
from katchi.web.deps import Caller, PageParams, Rt, runtime
from katchi.web.responses import PageOf, json_response, page_response
from katchi.web.runtime import Runtime
from katchi.web.sitrep_report import pdf_filename, render_sitrep, sitrep_css, sitrep_pdf

router = APIRouter(tags=["reports"])
Lang = Annotated[Literal["en", "ko"] | None, Query(description="the report's language (default: the request's)")]


@router.post("/operations/{op_id}/sitreps", status_code=201, response_model=reports.SitRepRead)
async def draft_sitrep(op_id: str, body: reports.SitRepCreate, request: Request, caller: Caller) -> Response:
    """Draft the operation's next situation report for ``[period_start, period_end)`` under
    ``label`` (the operation's coordinators). It is built as that label's audience reads the
    record, even when the author may read more."""
    zone = reports.zone_named(runtime(request).settings.report_timezone)
    return await execute(request, caller, lambda s, ctx: reports.draft_sitrep(s, ctx, op_id, body, zone=zone))


@router.get("/operations/{op_id}/sitreps", response_model=PageOf[reports.SitRepSummary])
def list_sitreps(op_id: str, rt: Rt, caller: Caller, page: PageParams) -> Response:
    """The operation's situation reports the caller may read (drafts: its coordinators only)."""
    with rt.db.read() as s:
        view = visible_operation(s, caller, op_id)
        return page_response(*reports.list_sitreps(s, caller, view, cursor=page.cursor, limit=page.limit))


@router.get("/operations/{op_id}/sitreps/schedule", response_model=reports.ScheduleRead)
def sitrep_schedule(op_id: str, rt: Rt, caller: Caller) -> Response:
    with rt.db.read() as s:
        return json_response(reports.schedule_of(s, caller, visible_operation(s, caller, op_id)))


@router.put("/operations/{op_id}/sitreps/schedule", response_model=reports.ScheduleRead)
async def set_sitrep_schedule(op_id: str, body: reports.ScheduleSet, request: Request, caller: Caller) -> Response:
    """Draft a report at local times of day (``["06:00", "18:00"]`` in ``Asia/Seoul``) for the
    period since the previous one; ``times: []`` ends the schedule."""
    return await execute(request, caller, lambda s, ctx: reports.set_schedule(s, ctx, op_id, body), status=200)


def _sitrep(rt: Runtime, caller: Principal, sitrep_id: str) -> reports.SitRepRead:
    with rt.db.read() as s:
        return reports.sitrep_read(reports.visible_sitrep(s, caller, sitrep_id)[0])


# Before /sitreps/{sitrep_id}, which would take "report.css" or "ID.html" for an id.
@router.get("/sitreps/report.css", include_in_schema=False)
def sitrep_stylesheet() -> Response:
    return Response(sitrep_css(), media_type="text/css", headers={"Cache-Control": "public, max-age=3600"})


@router.get("/sitreps/{sitrep_id}.html", response_class=HTMLResponse)
async def sitrep_html(sitrep_id: str, request: Request, rt: Rt, caller: Caller, lang: Lang = None) -> Response:
    """The report as a page in English or Korean."""
    rep = await run_in_threadpool(_sitrep, rt, caller, sitrep_id)
    zone = reports.zone_named(rt.settings.report_timezone)
    html = await run_in_threadpool(lambda: render_sitrep(rep, lang or i18n.choose_lang(request)[0], zone=zone))
    return HTMLResponse(html)


#: PDFs of issued reports, which never change: printed once per language, not per reader (the
#: reader's right to it is checked on every request).
_ISSUED_PDFS: OrderedDict[tuple[str, str], bytes] = OrderedDict()
_ISSUED_PDFS_KEPT = 32


@router.get("/sitreps/{sitrep_id}.pdf", response_class=Response)
async def sitrep_pdf_route(sitrep_id: str, request: Request, rt: Rt, caller: Caller, lang: Lang = None) -> Response:
    """The same report as PDF (printed after the database read is over)."""
    language = lang or i18n.choose_lang(request)[0]
    rep = await run_in_threadpool(_sitrep, rt, caller, sitrep_id)
    key = (rep.id, language)
    pdf = _ISSUED_PDFS.get(key) if rep.state == "issued" else None
    if pdf is None:
        zone = reports.zone_named(rt.settings.report_timezone)
        html = await run_in_threadpool(lambda: render_sitrep(rep, language, zone=zone, inline_css=True))
        pdf = await run_in_threadpool(sitrep_pdf, html)
        if rep.state == "issued":
            _ISSUED_PDFS[key] = pdf
            while len(_ISSUED_PDFS) > _ISSUED_PDFS_KEPT:
                _ISSUED_PDFS.popitem(last=False)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{pdf_filename(rep, language)}"'},
    )


@router.get("/sitreps/{sitrep_id}", response_model=reports.SitRepRead)
def get_sitrep(sitrep_id: str, rt: Rt, caller: Caller) -> Response:
    return json_response(_sitrep(rt, caller, sitrep_id))


@router.patch("/sitreps/{sitrep_id}", response_model=reports.SitRepRead)
async def edit_sitrep(sitrep_id: str, body: reports.SitRepUpdate, request: Request, caller: Caller) -> Response:
    """Replace sections (``title``, ``highlights``, ``overview``, ``needs_response``, ``gaps``,
    ``next_steps``; each ``{en, ko}``) of a draft; an issued report answers 409."""
    return await execute(request, caller, lambda s, ctx: reports.edit_sitrep(s, ctx, sitrep_id, body), status=200)


@router.post("/sitreps/{sitrep_id}/actions/issue", response_model=reports.SitRepRead)
async def issue_sitrep(sitrep_id: str, request: Request, caller: Caller) -> Response:
    """Issue a draft to everyone its label reaches (logged); it never changes afterwards."""
    return await execute(request, caller, lambda s, ctx: reports.issue_sitrep(s, ctx, sitrep_id), status=200)
