"""The console's account administration for an organisation's admin: its users (add, change the
role, disable, enable, set a new password) and their API tokens (issue, shown once; revoke).

Every form runs the same command as ``katchi user …`` / ``katchi token …`` and the API, through
the writer, so each change is in the event log as from the CLI. The admin types a new password
(and hands it over in person); a password is never written back into a page, even when refused."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from katchi import accounts
from katchi.core.access import Principal, Role
from katchi.core.context import Context
from katchi.core.errors import DomainError, Forbidden, NotFound
from katchi.web.deps import runtime
from katchi.web.forms import poster, problem_text, run
from katchi.web.i18n import N_
from katchi.web.pages import _signed_in, _to_login, refusal, render

router = APIRouter(include_in_schema=False)


def refused(request: Request, user: Principal, csrf: str, status: int) -> Response:
    return refusal(
        request,
        user,
        csrf,
        status,
        not_found=N_("There is no such account, or you may not see it."),
        not_allowed=N_("Only an admin of your organisation may administer it."),
    )


async def _page(
    request: Request,
    *,
    done: str = "",
    error: str = "",
    status: int = 200,
    typed: dict[str, Any] | None = None,
    issued: str = "",
) -> Response:
    """The users page; ``error``/``status``/``issued`` only from this server's own answers."""
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    rt = runtime(request)

    def load() -> tuple[list[accounts.UserInfo], list[accounts.TokenInfo]]:
        with rt.db.read() as s:
            ctx = Context(user)
            return accounts.list_users(s, ctx), accounts.list_tokens(s, ctx)

    try:
        users, tokens = await run_in_threadpool(load)
    except Forbidden:
        return refused(request, user, csrf, 403)
    # The national roles are the platform operator's to give (an admin is refused them).
    grantable = [r.value for r in Role if r not in accounts.NATIONAL_ROLES]
    return render(
        request, "admin_users.html", status=status, user=user, csrf=csrf, users=users, tokens=tokens,
        roles=grantable, done=done, error=error, typed=typed or {}, issued=issued, admin_nav=True,
    )  # fmt: skip


@router.get("/admin/users", response_model=None)
async def users_page(request: Request, done: str = "") -> Response:
    return await _page(request, done=done[:20])


async def _act(
    request: Request, done: str, job: Any, typed: dict[str, Any], anchor: str = "", *, issues_token: bool = False
) -> Response:
    """Run the command ``job(form, admin)`` gives from a posted form; a refusal shows the page with
    what was typed; ``issues_token``: the command's result is a new token, shown on this answer."""
    form = await request.form()
    caller = await poster(request, str(form.get("csrf_token") or ""))
    if isinstance(caller, Response):
        return caller
    user, csrf = caller
    try:
        result = await run(request, user, job(form, user))
    except (DomainError, ValidationError) as exc:
        if isinstance(exc, NotFound):
            return refused(request, user, csrf, 404)
        return await _page(request, error=problem_text(exc), status=getattr(exc, "status", 422), typed=typed)
    if issues_token:
        # Shown in this answer only: never in a URL, never kept by a cache.
        shown = await _page(request, done="token", issued=result)
        shown.headers["Cache-Control"] = "no-store"
        return shown
    return RedirectResponse(f"/admin/users?done={done}{anchor}", status_code=303)


def _field(form: Any, name: str, limit: int = 200) -> str:
    return str(form.get(name) or "").strip()[:limit]


@router.post("/admin/users/add", response_model=None)
async def add_user(request: Request) -> Response:
    form = await request.form()
    typed = {k: _field(form, k) for k in ("username", "display_name", "role")}

    def job(form: Any, user: Principal) -> Any:
        data = accounts.UserCreate.model_validate(
            {"username": typed["username"], "org": user.org_slug, "role": typed["role"] or "viewer",
             "display_name": typed["display_name"] or None}
        )  # fmt: skip
        password = str(form.get("password") or "")

        def go(s: Any, ctx: Context) -> None:
            accounts.add_user(s, ctx, data)
            if password:
                s.flush()
                accounts.set_password(s, ctx, data.username, password)

        return go

    return await _act(request, "added", job, {"add": typed})


@router.post("/admin/users/{username}/{action}", response_model=None)
async def user_action(request: Request, username: str, action: str) -> Response:
    form = await request.form()
    role = _field(form, "role", 32)

    def job(form: Any, _user: Principal) -> Any:
        if action == "role":
            new = accounts.RoleChange.model_validate({"role": role}).role
            return lambda s, ctx: accounts.set_role(s, ctx, username, new)
        if action == "disable":
            return lambda s, ctx: accounts.disable_user(s, ctx, username)
        if action == "enable":
            return lambda s, ctx: accounts.enable_user(s, ctx, username)
        if action == "password":
            password = str(form.get("password") or "")
            return lambda s, ctx: accounts.set_password(s, ctx, username, password)
        if action == "token":
            expires = _field(form, "expires", 20)
            lifetime = accounts.parse_duration(expires) if expires else None
            return lambda s, ctx: accounts.create_token(s, ctx, username, expires_in=lifetime)
        raise NotFound(f"no action {action}")

    typed = {"user": username, "action": action, "role": role, "expires": _field(form, "expires", 20)}
    return await _act(request, action, job, typed, anchor=f"#user-{username}", issues_token=action == "token")


@router.post("/admin/tokens/{token_id}/revoke", response_model=None)
async def revoke_token(request: Request, token_id: str) -> Response:
    return await _act(request, "revoked", lambda form, user: lambda s, ctx: accounts.revoke_token(s, ctx, token_id), {})
