"""The approvals page of the console: what waits for the approver's nation, decided with a click.

Approvers speak for their nation whether or not their organisation takes part in the operation,
so this page (like ``GET /api/v1/approvals``) shows them each request's essentials, the asset and
its caveats; the decision is the same command as the API's, through the writer.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from katchi.assets import catalogue
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.core.errors import DomainError
from katchi.tasking import decide, list_approvals
from katchi.web import i18n
from katchi.web.auth import check_csrf
from katchi.web.deps import runtime
from katchi.web.pages import _signed_in, _to_login, render

router = APIRouter(include_in_schema=False)


def caveat_summary(caveats: dict[str, Any], gettext: Any) -> str:
    """The caveats in a line, in the reader's language (the task dialog says the same)."""
    parts = []
    if caveats.get("area"):
        parts.append(gettext("only inside its permitted area"))
    if caveats.get("max_hours"):
        parts.append(f"{gettext('at most this many hours')}: {caveats['max_hours']:g}")
    if caveats.get("excluded_tasks"):
        parts.append(f"{gettext('not for')}: {', '.join(caveats['excluded_tasks'])}")
    if caveats.get("national_approval"):
        parts.append(gettext("needs its nation's approval"))
    return " · ".join(parts)


@router.get("/approvals", response_model=None)
async def approvals_page(request: Request, done: str = "") -> Response:
    return await _approvals_view(request, done=done)


async def _approvals_view(request: Request, *, done: str = "", error: str = "", status: int = 200) -> Response:
    """The approvals page; ``error`` and ``status`` only from this server's own refusals (a link
    must not make the page say what the server did not)."""
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    lang, _ = i18n.choose_lang(request)
    t = i18n.translations(lang)
    if user.role != Role.approver:
        detail = t.gettext("Only approvers (role approver) decide national approvals.")
        return render(
            request, "error.html", status=403, user=user, csrf=csrf, title=t.gettext("Approvals"), detail=detail
        )
    rt = runtime(request)

    def load() -> tuple[list[Any], list[Any]]:
        with rt.db.read() as s:
            return list_approvals(s, user), list_approvals(s, user, decided=True)[:50]

    pending, decided = await run_in_threadpool(load)
    names = {c.code: c.names[lang] for c in catalogue().values()}
    return render(
        request,
        "approvals.html",
        status=status,
        user=user,
        csrf=csrf,
        pending=pending,
        decided=decided,
        capabilities=names,
        caveats=lambda c: caveat_summary(c, t.gettext),
        error=error,
        done=done,
    )


@router.post("/approvals/{rfa_id}", response_model=None)
async def approvals_decide(
    request: Request,
    rfa_id: str,
    decision: Annotated[str, Form(pattern="^(approve|deny)$")],
    csrf_token: Annotated[str, Form(max_length=100)] = "",
    reason: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    check_csrf(request, csrf, csrf_token)
    rt = runtime(request)
    ctx = Context(user, source="web")
    approve = decision == "approve"

    def job(session: Any) -> Any:
        return decide(session, ctx, rfa_id, approve=approve, reason=reason.strip())

    try:
        await asyncio.wrap_future(rt.writer.submit(job))
    except DomainError as exc:
        return await _approvals_view(request, error=exc.detail, status=exc.status)
    return RedirectResponse(f"/approvals?done={'approved' if approve else 'denied'}", status_code=303)
