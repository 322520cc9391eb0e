"""Console sessions: opened after a password was verified, ended by sign-out, idle time, their
absolute lifetime, a password reset or disabling the user. Only the cookie's SHA-256 is stored,
so deleting the row ends the session on every server at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from katchi.accounts.events import SESSION_CLOSED, SESSION_OPENED, SessionChanged
from katchi.accounts.models import Organisation, User, WebSession
from katchi.accounts.passwords import Verified
from katchi.accounts.queries import principal_of
from katchi.accounts.tokens import token_digest
from katchi.core.access import Principal
from katchi.core.context import Context
from katchi.eventlog import Subject, record

#: ``last_seen_at`` is written at most this often, so reading pages costs no write per request.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class OpenedSession:
    token: str
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class SignedIn:
    principal: Principal
    csrf_token: str
    #: True when the session's idle clock should be restarted (``touch_web_session``).
    stale: bool


def open_web_session(
    session: Session, ctx: Context, username: str, verified: Verified, *, lifetime: timedelta
) -> OpenedSession | None:
    """Sign in a user whose password was verified off the writer thread; None when the account
    changed in between (disabled, or its password reset). Saves the rehashed password, if any."""
    row = session.execute(
        select(User, Organisation)
        .join(Organisation, Organisation.id == User.org_id)
        .where(User.username == username, User.active.is_(True))
    ).first()
    if row is None or row[0].password_hash != verified.stored:
        return None
    user, org = row
    if verified.rehash is not None:
        user.password_hash = verified.rehash
    token = secrets.token_urlsafe(32)
    web = WebSession(
        token_sha256=token_digest(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=ctx.now,
        expires_at=ctx.now + lifetime,
        last_seen_at=ctx.now,
    )
    session.add(web)
    record(
        session,
        ctx,
        kind=SESSION_OPENED.name,
        subject=Subject("user", user.id),
        label=f"org:{org.slug}",
        payload=SessionChanged(username=user.username),
    )
    return OpenedSession(token, web.csrf_token, web.expires_at)


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


def principal_for_web_session(session: Session, token: str, now: datetime, idle: timedelta) -> SignedIn | None:
    """The signed-in user of a console cookie; None if unknown, signed out, idle for longer than
    ``idle``, past its lifetime, or its user disabled."""
    row = session.execute(
        select(User, Organisation, WebSession.csrf_token, WebSession.last_seen_at)
        .join(WebSession, WebSession.user_id == User.id)
        .join(Organisation, Organisation.id == User.org_id)
        .where(
            WebSession.token_sha256 == token_digest(token),
            WebSession.expires_at > now,
            WebSession.last_seen_at > now - idle,
            User.active.is_(True),
        )
    ).first()
    if row is None:
        return None
    user, org, csrf, seen = row
    return SignedIn(principal_of(user, org), csrf, now - seen >= TOUCH_EVERY)


def touch_web_session(session: Session, token: str, now: datetime) -> None:
    """Restart a session's idle clock (not an event: the log records sign-in and sign-out)."""
    session.execute(
        update(WebSession)
        .where(WebSession.token_sha256 == token_digest(token), WebSession.last_seen_at < now)
        .values(last_seen_at=now)
    )
