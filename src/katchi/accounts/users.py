"""Commands on user accounts: create, set a password, change the role, disable and enable; and
the list of an organisation's users for its admin."""

from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from katchi.accounts.events import (
    EMAIL_SET,
    PASSWORD_SET,
    ROLE_SET,
    USER_CREATED,
    USER_DISABLED,
    USER_ENABLED,
    EmailSet,
    PasswordSet,
    RoleSet,
    UserChanged,
    UserCreated,
)
from katchi.accounts.models import Organisation, User, WebSession
from katchi.accounts.passwords import check_strength, hash_password
from katchi.accounts.schemas import UserCreate, UserInfo
from katchi.accounts.service import org_by_slug, require_admin_of, require_role_grantable
from katchi.core import Conflict, Invalid, NotFound, new_id
from katchi.core.access import Role
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
    require_role_grantable(ctx, data.role)
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
#: An ASCII dot-atom address (no quoting, comments or routes: what every mail server reads the
#: same way) at a domain of letters, digits and hyphens.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"(?=.{{3,254}}$){_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*\.[A-Za-z]{{2,63}}", re.ASCII)


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


def set_role(session: Session, ctx: Context, username: str, role: Role) -> bool:
    """Change what a user may do (an admin of their organisation, or the operator); False if the
    user already has ``role``. An admin cannot change their own role: removing their own admin role
    would lock them out of administering their organisation, and no other change needs it. The
    user's console sessions and tokens act with the new role at once (within the token cache's
    few seconds); labels, not roles, decide what they read, so nothing they may see changes."""
    user, org = user_and_org(session, username)
    require_admin_of(ctx, org.id, "change roles")
    require_role_grantable(ctx, role, user.role)
    if ctx.principal is not None and ctx.principal.user_id == user.id:
        raise Invalid("you cannot change your own role (another admin of your organisation, or the operator, can)")
    if user.role == role.value:
        return False
    previous, user.role = user.role, role.value
    record(
        session,
        ctx,
        kind=ROLE_SET.name,
        subject=Subject("user", user.id),
        label=f"org:{org.slug}",
        payload=RoleSet(username=username, role=role.value, previous=previous),
    )
    return True


def list_users(session: Session, ctx: Context, org_slug: str | None = None) -> list[UserInfo]:
    """Users of one organisation (its admin or the operator), or of the caller's organisation;
    the operator with no ``org_slug`` lists everyone. Never a password or its hash."""
    query = select(User, Organisation).join(Organisation, Organisation.id == User.org_id)
    if org_slug is not None:
        org = org_by_slug(session, org_slug)
        require_admin_of(ctx, org.id, "list users")
        query = query.where(User.org_id == org.id)
    elif ctx.principal is not None:
        require_admin_of(ctx, ctx.principal.org_id, "list users")
        query = query.where(User.org_id == ctx.principal.org_id)
    return [_info(u, o) for u, o in session.execute(query.order_by(Organisation.slug, User.username))]


def user_info(session: Session, ctx: Context, username: str) -> UserInfo:
    """One user as their organisation's admin sees them (after a command on the account)."""
    user, org = user_and_org(session, username)
    require_admin_of(ctx, org.id, "read accounts", self_user_id=user.id)
    return _info(user, org)


def _info(u: User, o: Organisation) -> UserInfo:
    return UserInfo(
        id=u.id,
        username=u.username,
        display_name=u.display_name,
        org=o.slug,
        role=u.role,
        active=u.active,
        has_password=u.password_hash is not None,
        created_at=u.created_at,
    )
