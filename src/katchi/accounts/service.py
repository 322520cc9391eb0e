"""Commands of the accounts domain (CLI administration and seeding use these)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts.events import (
    ORG_CREATED,
    PASSWORD_SET,
    SESSION_CLOSED,
    SESSION_OPENED,
    TOKEN_CREATED,
    USER_CREATED,
    OrgCreated,
    PasswordSet,
    SessionChanged,
    TokenCreated,
    UserCreated,
)
from katchi.accounts.models import ApiToken, Organisation, User, WebSession
from katchi.accounts.schemas import OrganisationCreate, UserCreate
from katchi.core import Conflict, Forbidden, Invalid, NotFound, new_id
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import forget
from katchi.eventlog import Subject, record

_hasher = PasswordHasher()

#: Cache name (``katchi.db.cached``) of the slug → nation directory; forgotten when an org is added.
DIRECTORY = "directory"


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def require_operator(ctx: Context, what: str) -> None:
    """Platform-wide administration (organisations) is the platform operator's: the CLI on the
    server, a system context. No user's role reaches it."""
    if ctx.principal is not None:
        raise Forbidden(f"only the platform operator (the katchi command on the server) may {what}")


def require_admin_of(ctx: Context, org_id: str, what: str, *, self_user_id: str | None = None) -> None:
    """Accounts of an organisation are administered by the platform operator or that organisation's
    admin; ``self_user_id``: a user may also act on their own account (password, tokens)."""
    p = ctx.principal
    if p is None or (self_user_id is not None and p.user_id == self_user_id):
        return
    if p.role != Role.admin:
        raise Forbidden(f"only an admin may {what}")
    if p.org_id != org_id:
        raise Forbidden(f"an admin may {what} only in their own organisation")


def add_org(session: Session, ctx: Context, data: OrganisationCreate) -> Organisation:
    require_operator(ctx, "add organisations")
    if session.scalar(select(Organisation.id).where(Organisation.slug == data.slug)):
        raise Conflict(f"organisation {data.slug!r} already exists")
    org = Organisation(
        id=new_id(),
        slug=data.slug,
        name_en=data.name_en,
        name_ko=data.name_ko or data.name_en,
        nation=data.nation,
        kind=data.kind,
        created_at=ctx.now,
    )
    session.add(org)
    forget(session, DIRECTORY)
    record(
        session,
        ctx,
        kind=ORG_CREATED.name,
        subject=Subject("organisation", org.id),
        label="alliance",
        payload=OrgCreated(slug=org.slug, name_en=org.name_en, name_ko=org.name_ko, nation=org.nation, kind=org.kind),
    )
    return org


def org_by_slug(session: Session, slug: str) -> Organisation:
    org = session.scalar(select(Organisation).where(Organisation.slug == slug))
    if org is None:
        raise NotFound(f"no organisation {slug!r}")
    return org


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


def _user(session: Session, username: str) -> tuple[User, Organisation]:
    row = session.execute(
        select(User, Organisation).join(Organisation, User.org_id == Organisation.id).where(User.username == username)
    ).first()
    if row is None:
        raise NotFound(f"no user {username!r}")
    return row[0], row[1]


def set_password(session: Session, ctx: Context, username: str, password: str) -> None:
    if len(password) < 8:
        raise Invalid("password must have at least 8 characters")
    user, org = _user(session, username)
    require_admin_of(ctx, org.id, "set passwords", self_user_id=user.id)
    user.password_hash = _hasher.hash(password)
    record(
        session,
        ctx,
        kind=PASSWORD_SET.name,
        subject=Subject("user", user.id),
        label=f"org:{org.slug}",
        payload=PasswordSet(username=username),
    )


def check_password(session: Session, username: str, password: str) -> User | None:
    """The user if the password matches (constant work either way), else None."""
    user = session.scalar(select(User).where(User.username == username, User.active.is_(True)))
    stored = user.password_hash if user and user.password_hash else None
    try:
        if stored is None:
            _hasher.verify(_DUMMY, password)
            return None
        _hasher.verify(stored, password)
    except Exception:
        return None
    return user


_DUMMY = _hasher.hash("not-a-real-password")


def create_token(session: Session, ctx: Context, username: str) -> str:
    """Issue a bearer token and return it; only its digest is stored."""
    user, org = _user(session, username)
    require_admin_of(ctx, org.id, "issue tokens", self_user_id=user.id)
    token = "katchi_" + secrets.token_urlsafe(32)
    row = ApiToken(
        id=new_id(),
        user_id=user.id,
        token_sha256=token_digest(token),
        prefix=token[:14],
        created_at=ctx.now,
        revoked_at=None,
    )
    session.add(row)
    record(
        session,
        ctx,
        kind=TOKEN_CREATED.name,
        subject=Subject("user", user.id),
        label=f"org:{org.slug}",
        payload=TokenCreated(username=username, token_id=row.id, prefix=row.prefix),
    )
    return token


SESSION_TTL = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class OpenedSession:
    token: str
    csrf_token: str
    expires_at: datetime


def open_web_session(session: Session, ctx: Context, username: str, password: str) -> OpenedSession | None:
    """Sign a user in with a password; None (and nothing recorded) when the credentials are wrong."""
    user = check_password(session, username, password)
    if user is None:
        return None
    org = session.get(Organisation, user.org_id)
    assert org is not None
    token = secrets.token_urlsafe(32)
    row = WebSession(
        token_sha256=token_digest(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=ctx.now,
        expires_at=ctx.now + SESSION_TTL,
    )
    session.add(row)
    record(
        session,
        ctx,
        kind=SESSION_OPENED.name,
        subject=Subject("user", user.id),
        label=f"org:{org.slug}",
        payload=SessionChanged(username=user.username),
    )
    return OpenedSession(token, row.csrf_token, row.expires_at)


def close_web_session(session: Session, ctx: Context, token: str) -> bool:
    """Sign out: the session row is deleted, so the cookie is worthless everywhere at once."""
    row = session.get(WebSession, token_digest(token))
    if row is None:
        return False
    user = session.get(User, row.user_id)
    org = session.get(Organisation, user.org_id) if user else None
    session.delete(row)
    record(
        session,
        ctx,
        kind=SESSION_CLOSED.name,
        subject=Subject("user", row.user_id),
        label=f"org:{org.slug}" if org else "public",
        payload=SessionChanged(username=user.username if user else ""),
    )
    return True
