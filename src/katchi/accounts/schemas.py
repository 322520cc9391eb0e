"""Input and output shapes of the accounts domain."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from katchi.core.access import Role

OrgKind = Literal["military", "civil", "ngo", "io"]


class OrganisationCreate(BaseModel):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    name_en: str = Field(min_length=1, max_length=200)
    name_ko: str | None = Field(default=None, max_length=200)
    nation: str = Field(pattern=r"^[A-Z]{3}$")
    kind: OrgKind


class OrganisationRead(BaseModel):
    id: str
    slug: str
    names: dict[str, str]
    nation: str
    kind: str
    label: str = "alliance"


class ReleaseRequest(BaseModel):
    """Widen a record's label: ``{"label": "alliance"}``."""

    label: str = Field(max_length=80)


class UserCreate(BaseModel):
    username: str = Field(pattern=r"^[a-zA-Z0-9_.-]{2,100}$")
    org: str
    role: Role
    display_name: str | None = None


class UserRead(BaseModel):
    id: str
    username: str
    display_name: str
    org: str
    role: str
    label: str


class RoleChange(BaseModel):
    """``{"role": "coordinator"}``: what the user may do from now on."""

    role: Role


class UserInfo(BaseModel):
    """A user as their organisation's admin sees them (never a password or its hash)."""

    id: str
    username: str
    display_name: str
    org: str
    role: str
    active: bool
    #: Whether the user can sign in to the console (token-only users have none).
    has_password: bool
    created_at: datetime


class PasswordChange(BaseModel):
    """A new password (at least 12 characters, not a common or guessable one). Never logged."""

    password: str = Field(min_length=1, max_length=1000)


class TokenCreate(BaseModel):
    """A token's lifetime such as ``90m``, ``12h``, ``30d`` or ``8w``; none: until revoked."""

    expires_in: str | None = Field(default=None, max_length=20)


class TokenRead(BaseModel):
    """A token as listings show it: never the token, only its first characters."""

    id: str
    username: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None


class TokenIssued(BaseModel):
    """A new token: ``token`` is shown this once and never again (only its digest is kept)."""

    token: str
    username: str
    prefix: str
    expires_at: datetime | None
