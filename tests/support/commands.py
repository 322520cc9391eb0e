"""Domain commands run as the test world's people, each in its own transaction (as a request is)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from katchi import tasking
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.tasking import RfaAction, RfaActionBody, RfaCreate
from tests.support.api import point
from tests.support.world import World, acting_as, user_token


@pytest.fixture
def people(db: Database, world: World) -> Callable[[str], Context]:
    """The world's users plus approvers of both nations, a US planner and a US aviation coordinator."""
    world.tokens["kapprover"] = user_token(db, "kapprover", "kor-cmoc", "approver")
    world.tokens["usapprover"] = user_token(db, "usapprover", "us-liaison", "approver")
    world.tokens["usplan"] = user_token(db, "usplan", "us-liaison", "contributor")
    world.tokens["usavcoord"] = user_token(db, "usavcoord", "us-aviation", "coordinator")
    return lambda name: acting_as(db, world, name)


def run(db: Database, ctx: Context, fn: Callable[[Session, Context], Any]) -> Any:
    with transaction(db) as s:
        return fn(s, Context(ctx.principal, source="test"))


def rfa(db: Database, who: Context, op_id: str, title: str, **kw: Any) -> str:
    body = RfaCreate(title=title, capability="water_purification", location=point(), submit=True, **kw)
    return str(run(db, who, lambda s, c: tasking.create_rfa(s, c, op_id, body)).id)


def act(db: Database, who: Context, rfa_id: str, action: str, **body: Any) -> None:
    run(db, who, lambda s, c: tasking.act_on_rfa(s, c, rfa_id, RfaAction(action), RfaActionBody(**body)))
