"""Commands on user accounts: create, set a password, disable and enable."""

from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from katchi.accounts.events import (
    EMAIL_SET,
    PASSWORD_SET,
    USER_CREATED,
    USER_DISABLED,
    USER_ENABLED,
    EmailSet,
    PasswordSet,
    UserChanged,
    UserCreated,
)
from katchi.accounts.models import Organisation, User, WebSession
from katchi.accounts.passwords import check_strength, hash_password
from katchi.accounts.schemas import UserCreate
from katchi.accounts.service import org_by_slug, require_admin_of
from katchi.core import Conflict, Invalid, NotFound, new_id
from katchi.core.context import Context
from katchi.eventlog import Subject, record


def user_and_org(session: Session, username: str) -> tuple[User, Organisation]:
    row = session.execute(
        select(User, Organisation).join(Organisation, User.org_id == Organisation.id).where(User.username == username)
    ).first()
    if row is None:
        raise NotFound(f"no user {username!r}")
    return row[0], row[1]


def add_user(session: Session, ctx: Context, data: UserCreate) -> User:
    org = org_by_slug(session, data.org)
    require_admin_of(ctx, org.id, "add users")
    if session.scalar(select(User.id).where(User.username == data.username)):
        raise Conflict(f"user {data.username!r} already exists")
    user = User(
        id=new_id(),
        username=data.username,
        display_name=data.display_name or data.username,
        org_id=org.id,
        role=data.role.value,
        password_hash=None,
        active=True,
        created_at=ctx.now,
    )
    session.add(user)
    record(
        session,
        ctx,
        kind=USER_CREATED.name,
        subject=Subject("user", user.id),
        label=f"org:{org.slug}",
        payload=UserCreated(username=user.username, org=org.slug, role=user.role),
    )
    return user


def set_password(session: Session, ctx: Context, username: str, password: str) -> None:
    """Set a password that passes the strength rule; the user's console sessions end (a password
    is reset because it may be known to someone else)."""
    user, org = user_and_org(session, username)
    require_admin_of(ctx, org.id, "set passwords", self_user_id=user.id)
    check_strength(password, hints=(user.username, user.display_name, org.slug, org.name_en, "katchi"))
    user.password_hash = hash_password(password)
    end_sessions(session, user.id)
    record(
        session,
        ctx,
        kind=PASSWORD_SET.name,
        subject=Subject("user", user.id),
        label=f"org:{org.slug}",
        payload=PasswordSet(username=username),
    )


def set_email(session: Session, ctx: Context, username: str, email: str | None) -> None:
    """Set (or, with ``None`` or ``""``, remove) the address a user's notifications are e-mailed to."""
    user, org = user_and_org(session, username)
    require_admin_of(ctx, org.id, "set e-mail addresses", self_user_id=user.id)
    address = (email or "").strip() or None
    if address is not None and not _EMAIL.fullmatch(address):
        raise Invalid(f"not an e-mail address: {address!r}", errors=[{"loc": ["email"], "msg": "not an address"}])
    user.email = address
    record(
        session,
        ctx,
        kind=EMAIL_SET.name,
        subject=Subject("user", user.id),
        label=f"org:{org.slug}",
        payload=EmailSet(username=username, has_email=address is not None),
    )


#: One address, no display name, no spaces or line breaks (it goes into a mail header).
_EMAIL = re.compile(r"[^@\s<>,;\"]{1,64}@[A-Za-z0-9.-]{1,189}\.[A-Za-z]{2,63}")


def disable_user(session: Session, ctx: Context, username: str) -> bool:
    """Stop a user acting anywhere: tokens, console sessions and TAK devices stop working (the
    servers notice within seconds); False if already disabled. Tokens are kept, so re-enabling
    the account restores them unless they were revoked."""
    user, org = user_and_org(session, username)
    require_admin_of(ctx, org.id, "disable users")
    if ctx.principal is not None and ctx.principal.user_id == user.id:
        raise Invalid("you cannot disable your own account")
    if not user.active:
        return False
    user.active = False
    end_sessions(session, user.id)
    record(
        session,
        ctx,
        kind=USER_DISABLED.name,
        subject=Subject("user", user.id),
        label=f"org:{org.slug}",
        payload=UserChanged(username=username),
    )
    return True


def enable_user(session: Session, ctx: Context, username: str) -> bool:
    user, org = user_and_org(session, username)
    require_admin_of(ctx, org.id, "enable users")
    if user.active:
        return False
    user.active = True
    record(
        session,
        ctx,
        kind=USER_ENABLED.name,
        subject=Subject("user", user.id),
        label=f"org:{org.slug}",
        payload=UserChanged(username=username),
    )
    return True


def end_sessions(session: Session, user_id: str) -> None:
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))
