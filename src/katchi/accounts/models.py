"""Organisations, their users, and API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base


class Organisation(Base):
    """A party to the response: a military unit, a civil agency, an NGO or an international body."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name_en: Mapped[str] = mapped_column(String(200))
    name_ko: Mapped[str] = mapped_column(String(200))
    #: ISO 3166-1 alpha-3 (KOR, USA …): decides who reads ``nation:`` labels.
    nation: Mapped[str] = mapped_column(String(3))
    #: military | civil | ngo | io — military assets are a last resort (Oslo Guidelines).
    kind: Mapped[str] = mapped_column(String(16))
    #: The label its TAK devices' chat carries (NULL: ``org:<slug>``), set by its admin.
    device_label: Mapped[str | None] = mapped_column(String(80), default=None)
    created_at: Mapped[datetime]


class User(Base):
    """A person (or device account) acting for one organisation with one role."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    #: argon2id hash; NULL until a password is set (token-only users).
    password_hash: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    #: Where notifications are also sent by e-mail when the server has SMTP settings (optional).
    email: Mapped[str | None] = mapped_column(String(254), default=None)


class ApiToken(Base):
    """A bearer token; only its SHA-256 is stored (tokens are 256-bit random, so no slow hash)."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    #: The first characters, to tell tokens apart in listings without revealing them.
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    #: After this the token no longer works (NULL: until revoked).
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class WebSession(Base):
    """A browser sign-in. The cookie holds a random token; only its SHA-256 is stored, so signing
    out (deleting the row) ends the session on every server at once."""

    __tablename__ = "web_sessions"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    #: Sent back in forms and the ``X-CSRF-Token`` header of the console's requests.
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    #: The absolute end of the session, however busy it is.
    expires_at: Mapped[datetime]
    #: The session also ends after ``session_idle_minutes`` without a request (updated at most
    #: once a minute, so reading pages costs no write per request).
    last_seen_at: Mapped[datetime]


class LoginFailure(Base):
    """A wrong password: the login throttle counts these per account and per client address over
    a window, in the database so every server of a deployment counts the same attempts."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_username_at", "username", "at"),
        Index("ix_login_failures_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: As typed (it may name no account: unknown names are throttled the same way).
    username: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
