"""Administration over the API: an organisation's users (add, role, password, disable, enable),
API tokens and TAK devices. The same commands as the CLI and the console; each checks the caller
(an admin of the account's organisation, or the user for their own password and tokens)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.responses import Response

from katchi import accounts
from katchi.core.context import Context
from katchi.interop import tak
from katchi.web.commands import execute
from katchi.web.deps import Caller, Rt
from katchi.web.responses import PageOf, json_response, page_response

router = APIRouter(tags=["administration"])
Org = Annotated[str | None, Query(max_length=63, description="an organisation's slug (default: the caller's)")]


@router.get("/users", response_model=PageOf[accounts.UserInfo])
def list_users(rt: Rt, caller: Caller, org: Org = None) -> Response:
    """The users of the caller's organisation (its admins only)."""
    with rt.db.read() as s:
        return page_response(accounts.list_users(s, Context(caller), org), None)


@router.post("/users", status_code=201, response_model=accounts.UserInfo)
async def add_user(body: accounts.UserCreate, request: Request, caller: Caller) -> Response:
    """A new user of the admin's organisation; give them a password or a token next."""

    def go(s: Session, ctx: Context) -> BaseModel:
        accounts.add_user(s, ctx, body)
        s.flush()
        return accounts.user_info(s, ctx, body.username)

    return await execute(request, caller, go)


@router.get("/users/{username}", response_model=accounts.UserInfo)
def get_user(username: str, rt: Rt, caller: Caller) -> Response:
    with rt.db.read() as s:
        return json_response(accounts.user_info(s, Context(caller), username))


@router.put("/users/{username}/role", response_model=accounts.UserInfo)
async def set_role(username: str, body: accounts.RoleChange, request: Request, caller: Caller) -> Response:
    """Change what the user may do (an admin of their organisation; never one's own role)."""

    def go(s: Session, ctx: Context) -> BaseModel:
        accounts.set_role(s, ctx, username, body.role)
        return accounts.user_info(s, ctx, username)

    return await execute(request, caller, go, status=200)


@router.put("/users/{username}/password", status_code=204)
async def set_password(username: str, body: accounts.PasswordChange, request: Request, caller: Caller) -> Response:
    """Set the password (the user themself, or an admin of their organisation); their console
    sessions end."""

    def go(s: Session, ctx: Context) -> BaseModel:
        accounts.set_password(s, ctx, username, body.password)
        return accounts.user_info(s, ctx, username)

    await execute(request, caller, go, status=200)
    return Response(status_code=204)


@router.post("/users/{username}/actions/disable", response_model=accounts.UserInfo)
async def disable_user(username: str, request: Request, caller: Caller) -> Response:
    """Stop the user acting anywhere (tokens, sessions, streams, TAK devices) until enabled again."""

    def go(s: Session, ctx: Context) -> BaseModel:
        accounts.disable_user(s, ctx, username)
        return accounts.user_info(s, ctx, username)

    return await execute(request, caller, go, status=200)


@router.post("/users/{username}/actions/enable", response_model=accounts.UserInfo)
async def enable_user(username: str, request: Request, caller: Caller) -> Response:
    def go(s: Session, ctx: Context) -> BaseModel:
        accounts.enable_user(s, ctx, username)
        return accounts.user_info(s, ctx, username)

    return await execute(request, caller, go, status=200)


@router.get("/tokens", response_model=PageOf[accounts.TokenRead])
def list_tokens(
    rt: Rt, caller: Caller, user: Annotated[str | None, Query(max_length=100, description="one user's")] = None
) -> Response:
    """Tokens of the admin's organisation, or one user's (also one's own): never the tokens themselves."""
    with rt.db.read() as s:
        rows = accounts.list_tokens(s, Context(caller), user)
    return page_response(_as_dicts(rows), None)


def _as_dicts(rows: list[accounts.TokenInfo]) -> list[accounts.TokenRead]:
    return [
        accounts.TokenRead(
            id=t.id,
            username=t.username,
            prefix=t.prefix,
            created_at=t.created_at,
            expires_at=t.expires_at,
            revoked_at=t.revoked_at,
        )
        for t in rows
    ]


@router.post("/users/{username}/tokens", status_code=201, response_model=accounts.TokenIssued)
async def create_token(username: str, body: accounts.TokenCreate, request: Request, caller: Caller) -> Response:
    """Issue a token; the answer is the only time it is shown."""
    lifetime = accounts.parse_duration(body.expires_in) if body.expires_in else None

    def go(s: Session, ctx: Context) -> BaseModel:
        token = accounts.create_token(s, ctx, username, expires_in=lifetime)
        return accounts.TokenIssued(
            token=token, username=username, prefix=token[:14], expires_at=ctx.now + lifetime if lifetime else None
        )

    return await execute(request, caller, go)


@router.post("/tokens/{token_id}/actions/revoke", response_model=accounts.TokenRead)
async def revoke_token(token_id: str, request: Request, caller: Caller) -> Response:
    return await execute(
        request, caller, lambda s, ctx: _as_dicts([accounts.revoke_token(s, ctx, token_id)])[0], status=200
    )


@router.get("/tak/devices", response_model=PageOf[tak.DeviceInfo])
def list_devices(rt: Rt, caller: Caller, org: Org = None) -> Response:
    """TAK devices of the admin's organisation."""
    with rt.db.read() as s:
        return page_response(tak.list_devices(s, Context(caller), org), None)


@router.post("/tak/devices", status_code=201, response_model=tak.DeviceInfo)
async def register_device(body: tak.DeviceCreate, request: Request, caller: Caller) -> Response:
    """Allow a device on the gateway, acting as one of the organisation's users."""

    def go(s: Session, ctx: Context) -> BaseModel:
        tak.register_device(s, ctx, body.uid, body.user, body.asset_id, body.operation_id)
        s.flush()
        return tak.device_info(s, ctx, body.uid)

    return await execute(request, caller, go)


@router.put("/tak/devices/{uid}/operation", response_model=tak.DeviceInfo)
async def assign_device(uid: str, body: tak.DeviceAssign, request: Request, caller: Caller) -> Response:
    """Send the device's GeoChat to an operation its organisation takes part in (or to none)."""

    def go(s: Session, ctx: Context) -> BaseModel:
        tak.assign_device(s, ctx, uid, body.operation_id)
        return tak.device_info(s, ctx, uid)

    return await execute(request, caller, go, status=200)
