"""Credentials can be taken back: tokens expire and are revoked, users disabled, sessions end
after idle time, passwords must be strong and are rehashed when argon2's parameters change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from katchi import accounts
from katchi.accounts import (
    OpenedSession,
    User,
    Verified,
    check_strength,
    create_token,
    disable_user,
    enable_user,
    list_tokens,
    open_web_session,
    parse_duration,
    principal_for_token,
    principal_for_web_session,
    revoke_token,
    revoke_user_tokens,
    set_password,
    touch_web_session,
    verify_login,
)
from katchi.core import Forbidden, Invalid
from katchi.core.clock import utcnow
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.world import World, acting_as, admin_token


def system() -> Context:
    """A fresh system context (its ``now`` is when it is made)."""
    return Context(None, source="test")


GOOD = "correct horse battery staple"


def _signed_in(db: Database, username: str, ctx: Context | None = None) -> OpenedSession:
    """``username`` with the password GOOD, signed in to the console."""
    with transaction(db) as s:
        set_password(s, system(), username, GOOD)
    with db.read() as s:
        verified = verify_login(s, username, GOOD)
    assert verified is not None
    with transaction(db) as s:
        opened = open_web_session(s, ctx or system(), username, verified, lifetime=timedelta(hours=12))
    assert opened is not None
    return opened


def test_a_token_expires_and_can_be_revoked_by_id_or_by_user(db: Database, world: World) -> None:
    with transaction(db) as s:
        short = create_token(s, system(), "coord", expires_in=timedelta(hours=1))
        other = create_token(s, system(), "coord")
    now = utcnow()
    with db.read() as s:
        assert principal_for_token(s, short, now) is not None
        assert principal_for_token(s, short, now + timedelta(hours=2)) is None  # expired
        listed = list_tokens(s, system(), "coord")
    assert len(listed) == 3 and all(t.username == "coord" for t in listed)
    mine = next(t for t in listed if short.startswith(t.prefix) and t.expires_at is not None)
    assert mine.revoked_at is None and timedelta(minutes=59) < mine.expires_at - now <= timedelta(hours=1)
    assert all(short not in repr(t) for t in listed)  # listings never carry the token itself
    with transaction(db) as s:
        assert revoke_token(s, system(), mine.id).revoked_at is not None
    with db.read() as s:
        assert principal_for_token(s, short, now) is None
        assert principal_for_token(s, other, now) is not None
    with transaction(db) as s:
        assert revoke_user_tokens(s, system(), "coord") == 2  # the world's token and `other`
    with transaction(db) as s:
        assert revoke_user_tokens(s, system(), "coord") == 0
    with db.read() as s:
        assert principal_for_token(s, other, now) is None and principal_for_token(s, world.tokens["coord"]) is None
        assert principal_for_token(s, world.tokens["uscoord"]) is not None
        kinds = [k for (k,) in s.execute(select(accounts.ApiToken.revoked_at))]
    assert sum(k is not None for k in kinds) == 3


def test_durations_are_parsed_strictly() -> None:
    assert parse_duration("30d") == timedelta(days=30) and parse_duration("90m") == timedelta(minutes=90)
    for bad in ("", "30", "0d", "-1d", "1y", "30 days", "9" * 9 + "d"):
        with pytest.raises(Invalid):
            parse_duration(bad)


def test_tokens_are_administered_by_their_user_or_their_organisations_admin(db: Database, world: World) -> None:
    admin = admin_token(db)  # an admin of kor-cmoc
    with db.read() as s:
        admin_ctx = Context(principal_for_token(s, admin), source="test")
    coord, uscoord = acting_as(db, world, "coord"), acting_as(db, world, "uscoord")
    with transaction(db) as s:
        us_ids = [t.id for t in list_tokens(s, uscoord, "uscoord")]
        with pytest.raises(Forbidden):
            list_tokens(s, coord, "uscoord")
        with pytest.raises(Forbidden):
            revoke_token(s, coord, us_ids[0])
        with pytest.raises(Forbidden):
            revoke_token(s, admin_ctx, us_ids[0])  # another organisation's admin
        with pytest.raises(Forbidden):
            disable_user(s, admin_ctx, "uscoord")
        assert {t.username for t in list_tokens(s, admin_ctx)} == {"coord", "ops-admin"}  # its own org only
        assert disable_user(s, admin_ctx, "coord")
        with pytest.raises(Invalid):
            disable_user(s, admin_ctx, "ops-admin")  # not yourself
    with transaction(db) as s:
        assert revoke_token(s, uscoord, us_ids[0]).username == "uscoord"  # one's own token


def test_a_disabled_user_cannot_act_until_enabled_again(db: Database, world: World) -> None:
    opened = _signed_in(db, "coord")
    idle = timedelta(hours=2)
    with transaction(db) as s:
        assert disable_user(s, system(), "coord") and not disable_user(s, system(), "coord")
    with db.read() as s:
        assert principal_for_token(s, world.tokens["coord"]) is None
        assert principal_for_web_session(s, opened.token, utcnow(), idle) is None
        assert verify_login(s, "coord", GOOD) is None
    with transaction(db) as s:
        assert enable_user(s, system(), "coord")
    with db.read() as s:
        assert principal_for_token(s, world.tokens["coord"]) is not None  # unrevoked tokens work again
        assert principal_for_web_session(s, opened.token, utcnow(), idle) is None  # sessions stay ended


def test_weak_passwords_are_refused_and_setting_one_ends_the_users_sessions(db: Database, world: World) -> None:
    for weak in ("short1!", "password1234", "qwertyuiop123", "coordcoord2026", "aaaaaaaaaaaaaaaa", "x" * 257):
        with pytest.raises(Invalid), transaction(db) as s:
            set_password(s, system(), "coord", weak)
    for strong in (GOOD, "katchi-demo-2026", "한강 다리가 무너졌다 2026"):
        check_strength(strong, hints=("coord",))
    opened = _signed_in(db, "coord")
    with transaction(db) as s:
        set_password(s, system(), "coord", "another good passphrase here")
    with db.read() as s:
        assert principal_for_web_session(s, opened.token, utcnow(), timedelta(hours=2)) is None
        assert verify_login(s, "coord", GOOD) is None


def test_a_password_is_rehashed_at_sign_in_when_argon2_parameters_change(db: Database, world: World) -> None:
    old = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(GOOD)
    with transaction(db) as s:
        s.scalar(select(User).where(User.username == "coord")).password_hash = old
    with db.read() as s:
        verified = verify_login(s, "coord", GOOD)
    assert verified is not None and verified.rehash is not None and verified.stored == old
    with transaction(db) as s:
        assert open_web_session(s, system(), "coord", verified, lifetime=timedelta(hours=1)) is not None
    with db.read() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "coord"))
    assert stored == verified.rehash and not PasswordHasher().check_needs_rehash(stored)
    # A sign-in verified against a hash that changed meanwhile (a reset) opens nothing.
    with transaction(db) as s:
        assert open_web_session(s, system(), "coord", Verified(old, None), lifetime=timedelta(hours=1)) is None


def test_a_session_ends_after_idle_time_and_after_its_lifetime(db: Database, world: World) -> None:
    t0 = utcnow()
    opened = _signed_in(db, "coord", Context(None, source="test", now=t0))
    idle = timedelta(hours=2)
    with db.read() as s:
        fresh = principal_for_web_session(s, opened.token, t0 + timedelta(seconds=5), idle)
        assert fresh is not None and not fresh.stale
        later = principal_for_web_session(s, opened.token, t0 + timedelta(minutes=90), idle)
        assert later is not None and later.stale  # due for a touch
        assert principal_for_web_session(s, opened.token, t0 + timedelta(minutes=121), idle) is None
    with transaction(db) as s:
        touch_web_session(s, opened.token, t0 + timedelta(minutes=90))
    with db.read() as s:
        assert principal_for_web_session(s, opened.token, t0 + timedelta(minutes=121), idle) is not None
        assert principal_for_web_session(s, opened.token, t0 + timedelta(minutes=211), idle) is None
    for minutes in range(100, 12 * 60, 100):  # kept busy, it still ends after 12 hours
        with transaction(db) as s:
            touch_web_session(s, opened.token, t0 + timedelta(minutes=minutes))
    with db.read() as s:
        assert principal_for_web_session(s, opened.token, t0 + timedelta(hours=11, minutes=59), idle) is not None
        assert principal_for_web_session(s, opened.token, t0 + timedelta(hours=12, minutes=1), idle) is None
