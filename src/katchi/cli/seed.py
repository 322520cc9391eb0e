"""``katchi seed demo``: build the demo world from ``katchi/data/demo.yaml`` through domain commands."""

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
    set_password,
)
from katchi.assets import AssetCreate, register_asset
from katchi.cop import IncidentCreate, report_incident
from katchi.core.context import Context
from katchi.operations import LogCreate, OperationCreate, create_operation, post_log
from katchi.tasking import RfaAction, RfaActionBody, RfaCreate, act_on_rfa, create_rfa

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
        echo("seeded demo organisations, users, assets and the exercise operation")
    else:
        echo("demo data already present; issuing fresh tokens")
    echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}) and API tokens:")
    tokens = {}
    for u in world["users"]:
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
    o = world["operation"]
    op = create_operation(
        session,
        who[o["coordinator"]],
        OperationCreate(
            name=o["name"],
            mode=o["mode"],
            hazard=o["hazard"],
            description=o["description"],
            participants=[org["slug"] for org in world["organisations"]],
        ),
    )
    for line in o["log"]:
        post_log(session, who[line["by"]], op.id, LogCreate(text=line["text"], label=line["label"]))
    for i in o["incidents"]:
        report_incident(
            session,
            who[o["reporter"]],
            op.id,
            IncidentCreate(
                kind=i["kind"],
                title=i["title"],
                severity=i["severity"],
                location=point(i),
                people_affected=i["people_affected"],
            ),
        )
    for r in o["rfas"]:
        rfa = create_rfa(
            session,
            who[r["by"]],
            op.id,
            RfaCreate(
                title=r["title"],
                capability=r["capability"],
                quantity=r["quantity"],
                location=point(r),
                priority=r["priority"],
                submit=True,
            ),
        )
        if r["validate"]:
            act_on_rfa(session, who[o["coordinator"]], rfa.id, RfaAction.validate, RfaActionBody())


def _as(session: Session, username: str) -> Context:
    user = session.scalar(select(User).where(User.username == username))
    assert user is not None
    org = session.get(Organisation, user.org_id)
    assert org is not None
    return Context(principal_of(user, org), source="seed")
