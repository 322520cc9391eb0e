"""Account commands check the caller's role inside the command: the platform operator (the CLI, a
system context) may do everything; an organisation's admin only within its organisation; others
nothing but their own password and tokens."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from katchi.accounts import (
    OrganisationCreate,
    User,
    UserCreate,
    add_org,
    add_user,
    create_token,
    principal_for_user,
    set_email,
    set_password,
)
from katchi.core import Forbidden
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.world import World, admin_token


def _as(db: Database, username: str) -> Context:
    with db.read() as s:
        user_id = s.scalar(select(User.id).where(User.username == username))
        principal = principal_for_user(s, user_id)
    assert principal is not None
    return Context(principal, source="test")


def test_account_commands_refuse_callers_without_the_role(db: Database, world: World) -> None:
    admin_token(db)  # ops-admin: admin of kor-cmoc
    coord, admin = _as(db, "coord"), _as(db, "ops-admin")
    new_org = OrganisationCreate(slug="rogue", name_en="Rogue", nation="KOR", kind="ngo")
    for ctx in (coord, admin):
        with pytest.raises(Forbidden), transaction(db) as s:
            add_org(s, ctx, new_org)
    with pytest.raises(Forbidden), transaction(db) as s:
        add_user(s, coord, UserCreate(username="sock", org="kor-cmoc", role=Role.admin))
    with pytest.raises(Forbidden, match="own organisation"), transaction(db) as s:
        add_user(s, admin, UserCreate(username="sock", org="us-liaison", role=Role.coordinator))
    with pytest.raises(Forbidden), transaction(db) as s:
        create_token(s, coord, "uscoord")
    with pytest.raises(Forbidden), transaction(db) as s:
        set_password(s, coord, "viewer", "a-new-password-1")
    with pytest.raises(Forbidden), transaction(db) as s:
        create_token(s, admin, "uscoord")  # an admin of another organisation
    with pytest.raises(Forbidden), transaction(db) as s:
        set_email(s, coord, "viewer", "someone@example.org")  # another user's address
    with pytest.raises(Forbidden), transaction(db) as s:
        set_email(s, admin, "uscoord", "someone@example.org")


def test_account_commands_allowed_to_the_operator_the_org_admin_and_oneself(db: Database, world: World) -> None:
    admin_token(db)
    with transaction(db) as s:
        add_org(s, Context(None, source="cli"), OrganisationCreate(slug="wfp", name_en="WFP", nation="KOR", kind="io"))
    with transaction(db) as s:
        add_user(s, _as(db, "ops-admin"), UserCreate(username="desk", org="kor-cmoc", role=Role.viewer))
    with transaction(db) as s:
        assert create_token(s, _as(db, "ops-admin"), "desk").startswith("katchi_")
    with transaction(db) as s:
        assert create_token(s, _as(db, "coord"), "coord").startswith("katchi_")
        set_password(s, _as(db, "coord"), "coord", "a-long-password-2")
        set_email(s, _as(db, "coord"), "coord", "coord@mois.example.kr")  # one's own
        set_email(s, _as(db, "ops-admin"), "desk", "desk@mois.example.kr")  # within the admin's organisation
    with db.read() as s:
        assert s.scalar(select(User.email).where(User.username == "desk")) == "desk@mois.example.kr"
