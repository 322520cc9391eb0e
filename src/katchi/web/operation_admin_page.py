"""The console's operation administration: open an operation, and on its administration page
close or reopen it, invite organisations and name co-coordinators.

Each form runs the same command as the API and the CLI through the writer; the page only decides
which forms to offer (the command refuses anyone else). A refusal shows the page again with the
command's words and what was typed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from katchi import operations as ops
from katchi.accounts import list_orgs
from katchi.core.access import Principal, Role
from katchi.core.errors import DomainError, Invalid, NotFound
from katchi.web import i18n
from katchi.web.deps import runtime
from katchi.web.forms import poster, problem_text, run
from katchi.web.i18n import N_
from katchi.web.pages import _signed_in, _to_login, refusal, render

router = APIRouter(include_in_schema=False)

#: Roles the console offers the "open an operation" form to (``create_operation`` decides).
OPENERS = frozenset({Role.coordinator, Role.admin, Role.exercise_controller})


def _error_page(request: Request, user: Principal, csrf: str, status: int) -> Response:
    return refusal(
        request,
        user,
        csrf,
        status,
        not_found=N_("There is no such operation, or you may not see it."),
        not_allowed=N_("Your role does not allow this."),
    )


async def _orgs(request: Request) -> list[Any]:
    rt = runtime(request)

    def load() -> list[Any]:
        with rt.db.read() as s:
            return list_orgs(s)

    return await run_in_threadpool(load)


async def _new_form(
    request: Request, user: Principal, csrf: str, values: dict[str, Any], error: str = "", status: int = 200
) -> Response:
    return render(
        request,
        "operation_new.html",
        status=status,
        user=user,
        csrf=csrf,
        orgs=await _orgs(request),
        values=values,
        error=error,
    )


@router.get("/operations/new", response_model=None)
async def new_operation_page(request: Request) -> Response:
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    if user.role not in OPENERS:
        return _error_page(request, user, csrf, 403)
    values = {"mode": "real", "participants": [user.org_slug], "coordinators": [user.org_slug], "label": "alliance",
              "bbox": ["", "", "", ""]}  # fmt: skip
    return await _new_form(request, user, csrf, values)


@router.post("/operations/new", response_model=None)
async def create_operation(request: Request) -> Response:
    form = await request.form()
    caller = await poster(request, str(form.get("csrf_token") or ""))
    if isinstance(caller, Response):
        return caller
    user, csrf = caller
    values: dict[str, Any] = {
        "name": str(form.get("name") or ""),
        "name_ko": str(form.get("name_ko") or ""),
        "bbox": [str(form.get(side) or "").strip() for side in BBOX],
        "mode": str(form.get("mode") or "real"),
        "hazard": str(form.get("hazard") or "").strip().lower(),
        "description": str(form.get("description") or ""),
        "participants": [str(v) for v in form.getlist("participants")],
        "lead": str(form.get("lead") or ""),
        "coordinators": [str(v) for v in form.getlist("coordinators")],
        "label": str(form.get("label") or "alliance"),
    }
    try:
        fields = {k: v for k, v in values.items() if k != "bbox"}
        body = ops.OperationCreate.model_validate(
            fields
            | {"lead": values["lead"] or None, "name_ko": values["name_ko"] or None, "area": _box(values["bbox"])}
        )
        op = await run(request, user, lambda s, ctx: ops.create_operation(s, ctx, body))
    except (DomainError, ValidationError) as exc:
        return await _new_form(request, user, csrf, values, error=problem_text(exc), status=getattr(exc, "status", 422))
    return RedirectResponse(f"/operations/{op.id}/admin?done=opened", status_code=303)


#: The form's bounding box fields, in GeoJSON's order.
BBOX = ("west", "south", "east", "north")


def _box(sides: list[str]) -> dict[str, Any] | None:
    """The area as the form gives it (four edges, in degrees), as a GeoJSON Polygon; none if blank.
    The command validates the polygon (ranges, a ring that closes)."""
    if not any(sides):
        return None
    try:
        w, s, e, n = (float(v) for v in sides)
    except ValueError:
        raise Invalid(
            "area: give the west, south, east and north edges in degrees (e.g. 126.8, 37.4, 127.2, 37.7)"
        ) from None
    if not (w < e and s < n):
        raise Invalid("area: west must be less than east, and south less than north")
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


async def _admin_view(
    request: Request,
    op_id: str,
    *,
    done: str = "",
    error: str = "",
    status: int = 200,
    typed: dict[str, Any] | None = None,
) -> Response:
    """The administration page; ``error`` and ``status`` only from this server's own refusals."""
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    rt = runtime(request)
    lang, _ = i18n.choose_lang(request)

    def load() -> dict[str, Any] | None:
        with rt.db.read() as s:
            try:
                view = ops.visible_operation(s, user, op_id)
            except NotFound:
                return None
            orgs = list_orgs(s)
            return {
                "names": {o.slug: o.names.get(lang) or o.names["en"] for o in orgs},
                "op": ops.operation_read(s, view.op),
                "leads": ops.leads(user, view),
                "invites": ops.coordinates(s, user, view),
                "orgs": list_orgs(s),
            }

    data = await run_in_threadpool(load)
    if data is None:
        return _error_page(request, user, csrf, 404)
    return render(
        request, "operation_admin.html", status=status, user=user, csrf=csrf, done=done, error=error,
        typed=typed or {}, **data,
    )  # fmt: skip


@router.get("/operations/{op_id}/admin", response_model=None)
async def admin_page(request: Request, op_id: str, done: str = "") -> Response:
    return await _admin_view(request, op_id, done=done[:20])


@router.post("/operations/{op_id}/admin/{action}", response_model=None)
async def act(request: Request, op_id: str, action: str) -> Response:
    form = await request.form()
    caller = await poster(request, str(form.get("csrf_token") or ""))
    if isinstance(caller, Response):
        return caller
    user, csrf = caller
    typed: dict[str, Any] = {
        "reason": str(form.get("reason") or "")[:2000],
        "invite": [str(v) for v in form.getlist("organisations")],
        "coordinators": [str(v) for v in form.getlist("coordinators")],
    }
    try:
        if action == "close":
            body = ops.StatusChange(reason=typed["reason"])
            await run(request, user, lambda s, ctx: ops.close_operation(s, ctx, op_id, body))
        elif action == "reopen":
            body = ops.StatusChange(reason=typed["reason"])
            await run(request, user, lambda s, ctx: ops.reopen_operation(s, ctx, op_id, body))
        elif action == "invite":
            invite = ops.ParticipantsAdd(organisations=typed["invite"])
            await run(request, user, lambda s, ctx: ops.add_participants(s, ctx, op_id, invite))
        elif action == "coordinators":
            named = ops.CoordinatorsSet(coordinators=typed["coordinators"])
            await run(request, user, lambda s, ctx: ops.set_coordinators(s, ctx, op_id, named))
        else:
            return _error_page(request, user, csrf, 404)
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, NotFound):
            return _error_page(request, user, csrf, 404)
        return await _admin_view(
            request, op_id, error=problem_text(exc), status=getattr(exc, "status", 422), typed=typed
        )
    return RedirectResponse(f"/operations/{op_id}/admin?done={action}", status_code=303)
