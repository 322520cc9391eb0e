"""The console's planning pages: the plans a user may read, a plan with its gaps (table and
chart, what-if, HXL), sign-off, versions and comments, and the form that writes a plan.

Pages read through the same queries as the API and act through the same commands, via the
writer; they work without JavaScript (forms post back here)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from katchi import lessons, planning
from katchi.accounts import Organisation
from katchi.assets import catalogue
from katchi.core.access import Principal, Role
from katchi.core.errors import DomainError, NotFound
from katchi.operations import list_operations
from katchi.web import i18n
from katchi.web.deps import runtime
from katchi.web.forms import poster, problem_text, run
from katchi.web.pages import _signed_in, _to_login, render

router = APIRouter(include_in_schema=False)
#: Blank task rows the plan form offers beyond the plan's tasks.
BLANK_ROWS = 3


def _orgs(session: Any) -> list[tuple[str, str]]:
    return [(o.slug, o.nation) for o in session.scalars(select(Organisation).order_by(Organisation.slug))]


def _not_found(request: Request, user: Principal, csrf: str) -> Response:
    t = i18n.translations(i18n.choose_lang(request)[0])
    detail = t.gettext("There is no such plan, or you may not see it.")
    return render(request, "error.html", status=404, user=user, csrf=csrf, title=t.gettext("Not found"), detail=detail)


@router.get("/plans", response_model=None)
async def plans_page(request: Request) -> Response:
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    rt = runtime(request)

    def load() -> list[planning.PlanRead]:
        with rt.db.read() as s:
            return planning.list_plans(s, user, cursor=None, limit=200)[0]

    plans = await run_in_threadpool(load)
    return render(request, "plans.html", user=user, csrf=csrf, plans=plans, plans_nav=True)


SEOUL_AREA = {
    "type": "Polygon",
    "coordinates": [[[126.76, 37.43], [127.18, 37.43], [127.18, 37.70], [126.76, 37.70], [126.76, 37.43]]],
}


def _values(plan: planning.PlanRead | None, user: Principal) -> dict[str, Any]:
    """What the form shows: the plan's fields, or a new plan's defaults."""
    if plan is None:
        return {"name": {}, "hazard": "earthquake", "nations": [user.nation], "objectives": [], "tasks": [],
                "area_text": json.dumps(SEOUL_AREA)}  # fmt: skip
    data = plan.model_dump(mode="json")
    return data | {"area_text": json.dumps(data["area"], ensure_ascii=False)}


async def _form(
    request: Request,
    user: Principal,
    csrf: str,
    plan: planning.PlanRead | None,
    error: str = "",
    status: int = 200,
    values: dict[str, Any] | None = None,
) -> Response:
    """The plan form; ``values``: what was typed, shown again with the error."""
    values = values or _values(plan, user)
    lang, _ = i18n.choose_lang(request)
    rt = runtime(request)

    def load() -> list[tuple[str, str]]:
        with rt.db.read() as s:
            return _orgs(s)

    orgs = await run_in_threadpool(load)
    caps = sorted(catalogue().values(), key=lambda c: c.names[lang])
    return render(
        request,
        "plan_form.html",
        status=status,
        user=user,
        csrf=csrf,
        plan=plan,
        values=values,
        rows=list(values.get("tasks") or []) + [{} for _ in range(BLANK_ROWS)],
        capabilities=caps,
        orgs=orgs,
        phases=list(planning.PHASES),
        nations=sorted({n for _, n in orgs}),
        error=error,
        plans_nav=True,
    )


@router.get("/plans/new", response_model=None)
async def new_plan_page(request: Request) -> Response:
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    return await _form(request, *signed_in, None)


def _plan_fields(form: Any) -> dict[str, Any]:
    """The plan as the form gives it: the rows with a title or a capability are its tasks."""
    tasks = []
    columns = ("task_id", "title_en", "title_ko", "capability", "quantity", "phase", "lead_org", "support_orgs")
    for row in zip(*(form.getlist(c) for c in columns), strict=False):
        task_id, title_en, title_ko, capability, quantity, phase, lead_org, support = (v.strip() for v in row)
        if not (title_en or title_ko or capability):
            continue
        tasks.append(
            {
                **({"id": task_id} if task_id else {}),
                "title": {"en": title_en, "ko": title_ko},
                "capability": capability,
                "quantity": quantity or "1",
                "phase": phase,
                "lead_org": lead_org,
                "support_orgs": [o.strip() for o in support.split(",") if o.strip()],
            }
        )
    objectives = [
        {"en": en.strip(), "ko": ko.strip()}
        for en, ko in zip(form.getlist("objective_en"), form.getlist("objective_ko"), strict=False)
        if en.strip() or ko.strip()
    ]
    area_text = str(form.get("area") or "").strip()
    try:
        area = json.loads(area_text) if area_text else None
    except ValueError:
        area = {"invalid": "not JSON"}
    return {
        "area_text": area_text,
        "name": {"en": (form.get("name_en") or "").strip(), "ko": (form.get("name_ko") or "").strip()},
        "hazard": (form.get("hazard") or "").strip(),
        "area": area,
        "nations": form.getlist("nations"),
        "objectives": objectives,
        "tasks": tasks,
    }


def _keep_unshown(fields: dict[str, Any], plan: planning.PlanRead) -> dict[str, Any]:
    """The form shows a task's phase, not its exact window, priority, task codes or place: keep
    those as stored (the window and priority while the phase is unchanged)."""
    stored = {t.id: t for t in plan.tasks}
    for task in fields["tasks"]:
        old = stored.get(task.get("id", ""))
        if old is None:
            continue
        task |= {"task_codes": old.task_codes, "location": old.location}
        if task["phase"] == old.phase:
            task |= {"start_h": old.start_h, "end_h": old.end_h, "priority": old.priority}
    return fields


def _without_text(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if k != "area_text"}


@router.post("/plans/new", response_model=None)
async def create_plan(request: Request) -> Response:
    form = await request.form()
    caller = await poster(request, str(form.get("csrf_token") or ""))
    if isinstance(caller, Response):
        return caller
    user, csrf = caller
    fields = _plan_fields(form)
    label = str(form.get("label") or "alliance")
    try:
        body = planning.PlanCreate.model_validate(_without_text(fields) | {"label": label})
        plan = await run(request, user, lambda s, ctx: planning.create_plan(s, ctx, body))
    except (DomainError, ValidationError) as exc:
        return await _form(
            request, user, csrf, None, error=problem_text(exc), status=422, values=fields | {"label": label}
        )
    return RedirectResponse(f"/plans/{plan.id}", status_code=303)


async def _load_plan(request: Request, user: Principal, plan_id: str) -> planning.PlanRead | None:
    rt = runtime(request)

    def load() -> planning.PlanRead | None:
        with rt.db.read() as s:
            try:
                return planning.get_plan(s, user, plan_id)
            except NotFound:
                return None

    return await run_in_threadpool(load)


@router.get("/plans/{plan_id}/edit", response_model=None)
async def edit_plan_page(request: Request, plan_id: str) -> Response:
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    plan = await _load_plan(request, signed_in[0], plan_id)
    if plan is None:
        return _not_found(request, *signed_in)
    return await _form(request, *signed_in, plan)


@router.post("/plans/{plan_id}/edit", response_model=None)
async def edit_plan(request: Request, plan_id: str) -> Response:
    form = await request.form()
    caller = await poster(request, str(form.get("csrf_token") or ""))
    if isinstance(caller, Response):
        return caller
    user, csrf = caller
    stored = await _load_plan(request, user, plan_id)
    if stored is None:
        return _not_found(request, user, csrf)
    fields = _keep_unshown(_plan_fields(form), stored)
    try:
        body = planning.PlanUpdate.model_validate(_without_text(fields))
        await run(request, user, lambda s, ctx: planning.update_plan(s, ctx, plan_id, body))
    except (DomainError, ValidationError) as exc:
        plan = await _load_plan(request, user, plan_id)
        if plan is None:
            return _not_found(request, user, csrf)
        return await _form(request, user, csrf, plan, error=problem_text(exc), status=422, values=fields)
    return RedirectResponse(f"/plans/{plan_id}?done=edited", status_code=303)


@router.get("/plans/{plan_id}", response_model=None)
async def plan_page(
    request: Request,
    plan_id: str,
    without: Annotated[str, Query(max_length=63)] = "",
    diff: Annotated[str, Query(max_length=40)] = "",
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    return await _plan_view(request, plan_id, without=without, diff=diff, done=done)


async def _plan_view(
    request: Request,
    plan_id: str,
    *,
    without: str = "",
    diff: str = "",
    done: str = "",
    error: str = "",
    status: int = 200,
) -> Response:
    """The plan page; ``error`` and ``status`` only from this server's own refusals (never the URL)."""
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    lang, _ = i18n.choose_lang(request)
    rt = runtime(request)

    def load() -> dict[str, Any] | None:
        with rt.db.read() as s:
            try:
                plan = planning.get_plan(s, user, plan_id)
            except NotFound:
                return None
            try:
                gaps = planning.plan_gaps(s, user, plan_id, without=without or None)
            except DomainError:
                gaps = planning.plan_gaps(s, user, plan_id)
            versions = planning.list_versions(s, user, plan_id)
            changes = None
            if diff and diff.count("-") == 1 and all(p.isdigit() and len(p) <= 9 for p in diff.split("-")):
                a, b = (int(p) for p in diff.split("-"))
                try:
                    changes = planning.diff_versions(s, user, plan_id, a, b)
                except NotFound:
                    changes = None
            ops = [
                o
                for o in list_operations(s, user, cursor=None, limit=200, newest_first=True)[0]
                if o.status == "active"
            ]
            return {
                "plan": plan,
                "lessons": lessons.plan_lessons(s, user, plan_id, cursor=None, limit=20)[0],
                "gaps": gaps,
                "versions": versions,
                "changes": changes,
                "comments": planning.list_comments(s, user, plan_id),
                "orgs": _orgs(s),
                "operations": ops,
            }

    data = await run_in_threadpool(load)
    if data is None:
        return _not_found(request, user, csrf)
    plan = data["plan"]
    planner = user.role == Role.coordinator and user.nation in plan.nations
    signer = user.role == Role.approver and user.nation in plan.nations
    top = max([g.required for g in data["gaps"]] + [g.available for g in data["gaps"]] + [1])
    names = {c.code: c.names[lang] for c in catalogue().values()}
    return render(
        request,
        "plan.html",
        status=status,
        user=user,
        csrf=csrf,
        **data,
        planner=planner,
        signer=signer,
        capabilities=names,
        top=top,
        without=without,
        done=done,
        error=error,
        pick=lambda text: text.pick(lang) if hasattr(text, "pick") else (text.get(lang) or text.get("en") or ""),
        plans_nav=True,
    )


@router.post("/plans/{plan_id}/actions/{action}", response_model=None)
async def act(
    request: Request,
    plan_id: str,
    action: str,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    reason: Annotated[str, Form(max_length=10_000)] = "",
    operation_id: Annotated[str, Form(max_length=32)] = "",
    version: Annotated[int | None, Form(ge=1, le=2**31 - 1)] = None,
) -> Response:
    caller = await poster(request, csrf_token)
    if isinstance(caller, Response):
        return caller
    user, csrf = caller
    try:
        step = planning.PlanAction(action)
    except ValueError:
        return await _plan_view(request, plan_id, error=f"unknown action {action}", status=404)
    # The version on the page: an approver signs what they read, or is told it changed.
    body = planning.PlanActionBody(reason=reason.strip(), operation_id=operation_id or None, version=version)
    try:
        await run(request, user, lambda s, ctx: planning.act_on_plan(s, ctx, plan_id, step, body))
    except DomainError as exc:
        if isinstance(exc, NotFound):
            return _not_found(request, user, csrf)
        return await _plan_view(request, plan_id, error=exc.detail, status=exc.status)
    return RedirectResponse(f"/plans/{plan_id}?done={step.value}", status_code=303)


@router.post("/plans/{plan_id}/comments", response_model=None)
async def comment(
    request: Request,
    plan_id: str,
    text: Annotated[str, Form(max_length=10_000)],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    label: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    caller = await poster(request, csrf_token)
    if isinstance(caller, Response):
        return caller
    user, csrf = caller
    try:
        body = planning.CommentCreate(text=text, label=label or None)
        await run(request, user, lambda s, ctx: planning.comment_on_plan(s, ctx, plan_id, body))
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, NotFound):
            return _not_found(request, user, csrf)
        return await _plan_view(request, plan_id, error=problem_text(exc), status=getattr(exc, "status", 422))
    return RedirectResponse(f"/plans/{plan_id}?done=commented#comments", status_code=303)
