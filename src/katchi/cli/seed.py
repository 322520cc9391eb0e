"""``katchi seed demo``: build the demo world from ``katchi/data/demo.yaml`` through domain commands
(organisations, users, assets, a contingency plan awaiting one nation's signature, and lessons
from earlier drills).

The world is organisations, users and their assets; its operation is the live exercise that
``make demo`` plays into it (one exercise, so a newcomer never has to guess which to open)."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import (
    Organisation,
    OrganisationCreate,
    User,
    UserCreate,
    add_org,
    add_user,
    create_token,
    principal_of,
    revoke_user_tokens,
    set_password,
)
from katchi.assets import AssetCreate, register_asset
from katchi.core.context import Context
from katchi.lessons import LessonAction, LessonActionBody, ObservationCreate, act_on_lesson, record_observation
from katchi.planning import PlanAction, PlanActionBody, PlanCreate, act_on_plan, create_plan

DEMO_PASSWORD = "katchi-demo-2026"  # noqa: S105  (printed on purpose: demo accounts only)


@lru_cache(maxsize=1)
def demo_world() -> dict[str, Any]:
    text = resources.files("katchi.data").joinpath("demo.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def point(spec: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [spec["lon"], spec["lat"]]}


def seed(session: Session, ctx: Context, *, echo: Callable[[str], None] = print) -> dict[str, str]:
    """Create the demo world (once) and issue fresh tokens for every demo user; returns them."""
    world = demo_world()
    if session.scalar(select(Organisation.id).where(Organisation.slug == world["organisations"][0]["slug"])) is None:
        _create_world(session, ctx, world)
        echo("seeded demo organisations, users and assets")
    else:
        echo("demo data already present; revoking the old demo tokens and issuing fresh ones")
    echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}) and API tokens:")
    tokens = {}
    for u in world["users"]:
        revoke_user_tokens(session, ctx, u["username"])
        tokens[u["username"]] = token = create_token(session, ctx, u["username"])
        echo(f"  {u['username']:<15} {u['org']:<13} {u['role']:<20} {token}")
    return tokens


def _create_world(session: Session, ctx: Context, world: dict[str, Any]) -> None:
    for o in world["organisations"]:
        add_org(session, ctx, OrganisationCreate(**o))
    for u in world["users"]:
        add_user(session, ctx, UserCreate(**u))
        set_password(session, ctx, u["username"], DEMO_PASSWORD)
    session.flush()
    who = {u["username"]: _as(session, u["username"]) for u in world["users"]}
    for a in world["assets"]:
        spec = {k: v for k, v in a.items() if k not in ("org", "manager", "lon", "lat")}
        register_asset(session, who[a["manager"]], AssetCreate(**spec, location=point(a)))
    for p in world.get("plans", []):
        spec = {k: v for k, v in p.items() if k not in ("author", "steps")}
        plan = create_plan(session, who[p["author"]], PlanCreate.model_validate(spec))
        for step in p.get("steps", []):
            act_on_plan(session, who[step["user"]], plan.id, PlanAction(step["action"]), PlanActionBody())
    for entry in world.get("lessons", []):
        spec = {k: v for k, v in entry.items() if k not in ("author", "steps")}
        lesson = record_observation(session, who[entry["author"]], ObservationCreate.model_validate(spec))
        for step in entry.get("steps", []):
            body = LessonActionBody.model_validate({k: v for k, v in step.items() if k not in ("user", "action")})
            act_on_lesson(session, who[step["user"]], lesson.id, LessonAction(step["action"]), body)


def _as(session: Session, username: str) -> Context:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    org = session.get(Organisation, user.org_id)
    assert org is not None
    return Context(principal_of(user, org), source="seed")
