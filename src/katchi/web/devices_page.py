"""The console's TAK devices page for an organisation's admin: its devices, register one (acting
as one of its users), assign a device's chat to an operation, and the label its chat carries.
The same commands as ``katchi tak …`` and the API, through the writer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from katchi import accounts
from katchi.core.context import Context
from katchi.core.errors import DomainError, Forbidden, NotFound
from katchi.interop import tak
from katchi.operations import list_operations
from katchi.web.admin_page import refused
from katchi.web.deps import runtime
from katchi.web.forms import poster, run
from katchi.web.pages import _signed_in, _to_login, render

router = APIRouter(include_in_schema=False)


async def _page(
    request: Request, *, done: str = "", error: str = "", status: int = 200, typed: dict[str, Any] | None = None
) -> Response:
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    rt = runtime(request)

    def load() -> dict[str, Any]:
        with rt.db.read() as s:
            ctx = Context(user)
            devices = tak.list_devices(s, ctx)
            users = accounts.list_users(s, ctx)
            ops = list_operations(s, user, cursor=None, limit=200, newest_first=True)[0]
            org = accounts.org_by_slug(s, user.org_slug)
            return {
                "devices": devices,
                "users": [u for u in users if u.active],
                # Operations its organisation takes part in and that are open (the command checks).
                "operations": [o for o in ops if o.status == "active" and user.org_slug in o.participants],
                "op_names": {o.id: o.name for o in ops},
                "device_label": org.device_label or f"org:{org.slug}",
            }

    try:
        data = await run_in_threadpool(load)
    except Forbidden:
        return refused(request, user, csrf, 403)
    return render(
        request, "admin_devices.html", status=status, user=user, csrf=csrf, done=done, error=error,
        typed=typed or {}, admin_nav=True, **data,
    )  # fmt: skip


@router.get("/admin/devices", response_model=None)
async def devices_page(request: Request, done: str = "") -> Response:
    return await _page(request, done=done[:20])


def _field(form: Any, name: str, limit: int = 200) -> str:
    return str(form.get(name) or "").strip()[:limit]


@router.post("/admin/devices/{action}", response_model=None)
async def act(request: Request, action: str) -> Response:
    form = await request.form()
    caller = await poster(request, str(form.get("csrf_token") or ""))
    if isinstance(caller, Response):
        return caller
    user, csrf = caller
    typed = {k: _field(form, k) for k in ("uid", "user", "asset_id", "operation_id", "label")} | {"action": action}
    uid, operation_id = typed["uid"], typed["operation_id"] or None
    if action == "register":
        asset_id = typed["asset_id"] or None

        def job(s: Any, ctx: Context) -> None:
            tak.register_device(s, ctx, uid, typed["user"], asset_id, operation_id)

    elif action == "assign":

        def job(s: Any, ctx: Context) -> None:
            tak.assign_device(s, ctx, uid, operation_id)

    elif action == "label":

        def job(s: Any, ctx: Context) -> None:
            tak.set_device_label(s, ctx, user.org_slug, typed["label"])

    else:
        return refused(request, user, csrf, 404)
    try:
        await run(request, user, job)
    except DomainError as exc:
        if isinstance(exc, NotFound):
            return refused(request, user, csrf, 404)
        return await _page(request, error=exc.detail, status=exc.status, typed=typed)
    return RedirectResponse(f"/admin/devices?done={action}", status_code=303)
