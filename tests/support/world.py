"""A small world for tests: organisations of two nations, their users and tokens."""

from __future__ import annotations

from dataclasses import dataclass, field

from katchi.accounts import OrganisationCreate, UserCreate, add_org, add_user, create_token
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction

ORGS = [
    ("kor-cmoc", "ROK CMOC (MOIS)", "KOR", "civil"),
    ("kor-province", "Gyeonggi Provincial Disaster HQ", "KOR", "civil"),
    ("kor-redcross", "Korean Red Cross", "KOR", "ngo"),
    ("kor-army", "ROK Army", "KOR", "military"),
    ("us-aviation", "US Army 2nd Combat Aviation Brigade", "USA", "military"),
    ("us-liaison", "USFK CMOC liaison", "USA", "military"),
]
USERS = [
    ("coord", "kor-cmoc", Role.coordinator),
    ("province", "kor-province", Role.contributor),
    ("redcross", "kor-redcross", Role.asset_manager),
    ("roka", "kor-army", Role.asset_manager),
    ("usav", "us-aviation", Role.asset_manager),
    ("uscoord", "us-liaison", Role.coordinator),
    ("viewer", "kor-province", Role.viewer),
]


@dataclass
class World:
    tokens: dict[str, str] = field(default_factory=dict)
    orgs: list[str] = field(default_factory=list)


def build_world(db: Database) -> World:
    world = World(orgs=[o[0] for o in ORGS])
    ctx = Context(None, source="test")
    with transaction(db) as s:
        for slug, name, nation, kind in ORGS:
            add_org(s, ctx, OrganisationCreate(slug=slug, name_en=name, nation=nation, kind=kind))  # type: ignore[arg-type]
        for username, org, role in USERS:
            add_user(s, ctx, UserCreate(username=username, org=org, role=role))
            world.tokens[username] = create_token(s, ctx, username)
    return world


def admin_token(db: Database, username: str = "ops-admin", org: str = "kor-cmoc") -> str:
    """A platform administrator (role ``admin``) of ``org``, and a token for them."""
    ctx = Context(None, source="test")
    with transaction(db) as s:
        add_user(s, ctx, UserCreate(username=username, org=org, role=Role.admin))
        s.flush()
        return create_token(s, ctx, username)


def acting_as(db: Database, world: World, username: str, source: str = "test") -> Context:
    """A context acting as one of the world's users (for calling domain commands directly)."""
    from katchi.accounts import principal_for_token

    with db.read() as s:
        return Context(principal_for_token(s, world.tokens[username]), source=source)


def user_token(db: Database, username: str, org: str, role: str) -> str:
    """Add a user of ``org`` with ``role`` and return a token for them."""
    ctx = Context(None, source="test")
    with transaction(db) as s:
        add_user(s, ctx, UserCreate(username=username, org=org, role=role))  # type: ignore[arg-type]
        s.flush()
        return create_token(s, ctx, username)
