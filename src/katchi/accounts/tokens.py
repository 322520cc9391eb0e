"""API tokens: issue (with an optional expiry), list and revoke. Only a token's SHA-256 is kept."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts.events import TOKEN_CREATED, TOKEN_REVOKED, TokenCreated, TokenRevoked
from katchi.accounts.models import ApiToken, Organisation, User
from katchi.accounts.users import require_admin_of, user_and_org
from katchi.core import Invalid, NotFound, new_id
from katchi.core.context import Context
from katchi.eventlog import Subject, record

_DURATION = re.compile(r"^\s*(\d{1,5})\s*([mhdw])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_duration(text: str) -> timedelta:
    """``90m``, ``12h``, ``30d``, ``8w`` → a positive duration."""
    m = _DURATION.match(text)
    if m is None or int(m.group(1)) == 0:
        raise Invalid(f"{text!r} is not a duration like 90m, 12h, 30d or 8w")
    return timedelta(**{_UNITS[m.group(2)]: int(m.group(1))})


def create_token(session: Session, ctx: Context, username: str, *, expires_in: timedelta | None = None) -> str:
    """Issue a bearer token and return it; only its digest is stored."""
    user, org = user_and_org(session, username)
    require_admin_of(ctx, org.id, "issue tokens", self_user_id=user.id)
    token = "katchi_" + secrets.token_urlsafe(32)
    row = ApiToken(
        id=new_id(),
        user_id=user.id,
        token_sha256=token_digest(token),
        prefix=token[:14],
        created_at=ctx.now,
        expires_at=ctx.now + expires_in if expires_in else None,
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


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: str
    username: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


def list_tokens(session: Session, ctx: Context, username: str | None = None) -> list[TokenInfo]:
    """Tokens of one user, or of everyone the caller administers (the operator: everyone)."""
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id).order_by(ApiToken.created_at)
    if username is not None:
        user, org = user_and_org(session, username)
        require_admin_of(ctx, org.id, "list tokens", self_user_id=user.id)
        query = query.where(ApiToken.user_id == user.id)
    elif ctx.principal is not None:
        require_admin_of(ctx, ctx.principal.org_id, "list tokens")
        query = query.where(User.org_id == ctx.principal.org_id)
    return [
        TokenInfo(t.id, name, t.prefix, t.created_at, t.expires_at, t.revoked_at) for t, name in session.execute(query)
    ]


def revoke_token(session: Session, ctx: Context, token_id: str) -> TokenInfo:
    """Revoke one token by its id (as ``list_tokens`` shows it); revoking twice changes nothing."""
    row = session.execute(
        select(ApiToken, User, Organisation)
        .join(User, User.id == ApiToken.user_id)
        .join(Organisation, Organisation.id == User.org_id)
        .where(ApiToken.id == token_id)
    ).first()
    if row is None:
        raise NotFound(f"no token {token_id!r}")
    token, user, org = row
    require_admin_of(ctx, org.id, "revoke tokens", self_user_id=user.id)
    _revoke(session, ctx, token, user, org)
    return TokenInfo(token.id, user.username, token.prefix, token.created_at, token.expires_at, token.revoked_at)


def revoke_user_tokens(session: Session, ctx: Context, username: str) -> int:
    """Revoke every live token of a user; how many were revoked."""
    user, org = user_and_org(session, username)
    require_admin_of(ctx, org.id, "revoke tokens", self_user_id=user.id)
    live = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    return sum(_revoke(session, ctx, t, user, org) for t in live)


def _revoke(session: Session, ctx: Context, token: ApiToken, user: User, org: Organisation) -> bool:
    if token.revoked_at is not None:
        return False
    token.revoked_at = ctx.now
    record(
        session,
        ctx,
        kind=TOKEN_REVOKED.name,
        subject=Subject("user", user.id),
        label=f"org:{org.slug}",
        payload=TokenRevoked(username=user.username, token_id=token.id, prefix=token.prefix),
    )
    return True
