"""Changing a user's role and listing an organisation's users and devices: the operator and the
organisation's admin may, an admin of another organisation and other roles may not, and an admin
cannot change their own role (no lock-out)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from katchi import accounts
from katchi.accounts import User, list_users, principal_for_token, principal_for_user, set_role
from katchi.core import Forbidden, Invalid
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import LogEntry, transaction
from katchi.interop.tak import list_devices, register_device
from tests.support.world import World, acting_as, admin_token, user_token


def _as(db: Database, username: str) -> Context:
    with db.read() as s:
        principal = principal_for_user(s, s.scalar(select(User.id).where(User.username == username)))
    assert principal is not None
    return Context(principal, source="test")


def test_an_admin_changes_roles_in_their_organisation_only(db: Database, world: World) -> None:
    admin_token(db, "prov-admin", "kor-province")
    admin = _as(db, "prov-admin")
    with transaction(db) as s:
        assert set_role(s, admin, "viewer", Role.contributor) is True
        assert set_role(s, admin, "viewer", Role.contributor) is False  # no change, no event
    with db.read() as s:
        assert principal_for_token(s, world.tokens["viewer"]).role == Role.contributor  # type: ignore[union-attr]
        entries = s.scalars(select(LogEntry).where(LogEntry.kind == "accounts.user.role_set")).all()
    assert [(e.payload["role"], e.payload["previous"], e.label) for e in entries] == [
        ("contributor", "viewer", "org:kor-province")
    ]
    with pytest.raises(Forbidden, match="own organisation"), transaction(db) as s:
        set_role(s, admin, "coord", Role.viewer)  # kor-cmoc's user
    with pytest.raises(Forbidden), transaction(db) as s:
        set_role(s, _as(db, "coord"), "province", Role.admin)  # not an admin
    with pytest.raises(Invalid, match="your own role"), transaction(db) as s:
        set_role(s, admin, "prov-admin", Role.viewer)
    with transaction(db) as s:  # the operator may do anything, the admin's own role included
        set_role(s, Context(None, source="cli"), "prov-admin", Role.coordinator)


def test_admins_list_their_organisations_users_and_devices(db: Database, world: World) -> None:
    admin_token(db, "prov-admin", "kor-province")
    user_token(db, "us-admin", "us-aviation", "admin")
    admin = _as(db, "prov-admin")
    with transaction(db) as s:
        register_device(s, Context(None, source="cli"), "ANDROID-prov", "province")
        register_device(s, Context(None, source="cli"), "ANDROID-us", "usav")
    with db.read() as s:
        assert [u.username for u in list_users(s, admin)] == ["prov-admin", "province", "viewer"]
        assert [d.uid for d in list_devices(s, admin)] == ["ANDROID-prov"]
        assert [d.uid for d in list_devices(s, _as(db, "us-admin"))] == ["ANDROID-us"]
        everyone = list_users(s, Context(None, source="cli"))
        assert {u.username for u in everyone} >= {"coord", "usav", "prov-admin"}
        assert not any(hasattr(u, "password_hash") for u in everyone)
        with pytest.raises(Forbidden):
            list_users(s, admin, "us-aviation")
        with pytest.raises(Forbidden):
            list_devices(s, admin, "us-aviation")
        with pytest.raises(Forbidden):
            list_users(s, _as(db, "coord"))


def test_only_the_operator_grants_or_takes_the_national_approver_role(db: Database, world: World) -> None:
    """An approver reads and decides the national-approval taskings of its whole nation: an
    organisation's admin (here of an NGO that takes part in nothing) may not make one."""
    world.tokens["rc-admin"] = admin_token(db, "rc-admin", "kor-redcross")
    admin = acting_as(db, world, "rc-admin")
    with transaction(db) as s:
        accounts.add_user(s, admin, accounts.UserCreate(username="rc-user", org="kor-redcross", role=Role.viewer))
    with pytest.raises(Forbidden, match="approver"), transaction(db) as s:
        accounts.set_role(s, admin, "rc-user", Role.approver)
    with pytest.raises(Forbidden, match="approver"), transaction(db) as s:
        accounts.add_user(s, admin, accounts.UserCreate(username="rc-appr", org="kor-redcross", role=Role.approver))
    operator = Context(None, source="cli")
    with transaction(db) as s:
        assert accounts.set_role(s, operator, "rc-user", Role.approver)
    with pytest.raises(Forbidden, match="approver"), transaction(db) as s:
        accounts.set_role(s, admin, "rc-user", Role.viewer)  # nor take it
