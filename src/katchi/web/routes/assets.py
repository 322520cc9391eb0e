"""Assets, the capability catalogue and the organisation directory."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field
from starlette.responses import Response

from katchi import assets
from katchi.accounts import ReleaseRequest, list_orgs
from katchi.core import Invalid, parse_bbox
from katchi.core.clock import utcnow
from katchi.operations import visible_operation
from katchi.web.commands import execute
from katchi.web.deps import Caller, PageParams, Rt
from katchi.web.responses import PageOf, json_response, page_response

router = APIRouter(tags=["assets"])


class LendRequest(BaseModel):
    asset_id: str = Field(min_length=1, max_length=32)


@router.post("/assets", status_code=201, response_model=assets.AssetRead)
async def register_asset(body: assets.AssetCreate, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: assets.register_asset(s, ctx, body))


@router.get("/assets", response_model=PageOf[assets.AssetRead])
def list_assets(
    rt: Rt,
    caller: Caller,
    page: PageParams,
    capability: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
    org: Annotated[str | None, Query(max_length=63)] = None,
    bbox: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    box = parse_bbox(bbox) if bbox else None
    with rt.db.read() as s:
        return page_response(
            *assets.list_assets(
                s, caller, cursor=page.cursor, limit=page.limit, capability=capability, status=status, org=org, bbox=box
            )
        )


@router.post("/operations/{op_id}/assets", status_code=201, response_model=assets.AssetRead)
async def register_exercise_asset(op_id: str, body: assets.AssetCreate, request: Request, caller: Caller) -> Response:
    """Put an asset into an exercise: its own twin, played only there (a real asset is never
    tasked in an exercise). Asset managers of a participating organisation."""
    return await execute(request, caller, lambda s, ctx: assets.register_asset(s, ctx, body, operation_id=op_id))


@router.post("/operations/{op_id}/assets/lend", status_code=201, response_model=assets.AssetRead)
async def lend_asset(op_id: str, body: LendRequest, request: Request, caller: Caller) -> Response:
    """Lend a real asset to an exercise: its twin (same caveats) is played there, the real one
    never touched. The asset's own organisation's managers, once per exercise."""
    return await execute(request, caller, lambda s, ctx: assets.lend_asset(s, ctx, op_id, body.asset_id))


@router.get("/operations/{op_id}/assets", response_model=PageOf[assets.AssetRead])
def operation_assets(
    op_id: str,
    rt: Rt,
    caller: Caller,
    page: PageParams,
    capability: Annotated[str | None, Query(max_length=64)] = None,
    status: Annotated[str | None, Query(max_length=16)] = None,
) -> Response:
    """The assets an operation works with: an exercise's own (twins of real ones, played only in
    it), or the platform's real assets for a real operation."""
    with rt.db.read() as s:
        view = visible_operation(s, caller, op_id)
        return page_response(
            *assets.list_assets(
                s, caller, cursor=page.cursor, limit=page.limit, capability=capability, status=status, operation=view
            )
        )


@router.get("/assets/{asset_id}", response_model=assets.AssetRead)
def get_asset(asset_id: str, rt: Rt, caller: Caller) -> Response:
    with rt.db.read() as s:
        return json_response(assets.asset_read(*assets.visible_asset(s, caller, asset_id)))


@router.get("/assets/{asset_id}/track", response_model=assets.Track)
def asset_track(
    asset_id: str,
    rt: Rt,
    caller: Caller,
    since: Annotated[datetime | None, Query(description="from (default: 24 hours ago)")] = None,
    until: Annotated[datetime | None, Query(description="to (default: now)")] = None,
) -> Response:
    """Where a moving asset has been (its positions store: every point of the last day, thinned
    after, dropped after ``KATCHI_POSITIONS_KEEP_DAYS``), for whoever may read the asset."""
    start = _aware(since) if since else utcnow() - timedelta(hours=24)
    with rt.db.read() as s:
        points = assets.track(s, caller, asset_id, since=start, until=_aware(until) if until else None)
    return json_response(assets.Track(asset_id=asset_id, items=points))


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise Invalid("give times with a time zone, e.g. 2026-12-01T09:00:00+09:00")
    return moment


@router.patch("/assets/{asset_id}", response_model=assets.AssetRead)
async def update_asset(asset_id: str, body: assets.AssetUpdate, request: Request, caller: Caller) -> Response:
    return await execute(request, caller, lambda s, ctx: assets.update_asset(s, ctx, asset_id, body), status=200)


@router.get("/capabilities", response_model=PageOf[assets.Capability])
def capabilities(_caller: Caller) -> Response:
    """The bilingual capability catalogue (every code an asset or RFA may name)."""
    return page_response(list(assets.catalogue().values()), None)


@router.get("/organisations")
def organisations(rt: Rt, _caller: Caller) -> Response:
    with rt.db.read() as s:
        return page_response(list_orgs(s), None)


@router.get("/me")
def me(caller: Caller) -> Response:
    body = {
        "username": caller.username,
        "org": caller.org_slug,
        "nation": caller.nation,
        "role": caller.role.value,
        "org_kind": caller.org_kind,
    }
    return Response(orjson.dumps(body), media_type="application/json")


@router.post("/assets/{asset_id}/release", response_model=assets.AssetRead)
async def release_asset(asset_id: str, body: ReleaseRequest, request: Request, caller: Caller) -> Response:
    """Widen the asset's label (coordinators of its organisation)."""
    return await execute(request, caller, lambda s, ctx: assets.release_asset(s, ctx, asset_id, body.label), status=200)
