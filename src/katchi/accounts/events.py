"""Event kinds of the accounts domain."""

from __future__ import annotations

from pydantic import BaseModel

from katchi.eventlog import event_kind


class OrgCreated(BaseModel):
    slug: str
    name_en: str
    name_ko: str
    nation: str
    kind: str


class UserCreated(BaseModel):
    username: str
    org: str
    role: str


class PasswordSet(BaseModel):
    username: str


class TokenCreated(BaseModel):
    username: str
    token_id: str
    prefix: str


class TokenRevoked(BaseModel):
    username: str
    token_id: str
    prefix: str


class UserChanged(BaseModel):
    username: str


class RoleSet(BaseModel):
    username: str
    role: str
    #: The role it replaced.
    previous: str


class EmailSet(BaseModel):
    username: str
    #: Whether an address is set now (the address itself stays out of the chained log).
    has_email: bool


class SessionChanged(BaseModel):
    username: str


class LoginFailed(BaseModel):
    username: str
    #: The client address the wrong password came from.
    address: str


ORG_CREATED = event_kind("accounts.org.created", OrgCreated, "An organisation joined the platform.")
USER_CREATED = event_kind("accounts.user.created", UserCreated, "A user account was created.")
PASSWORD_SET = event_kind("accounts.user.password_set", PasswordSet, "A user's password was set.")
TOKEN_CREATED = event_kind("accounts.token.created", TokenCreated, "An API token was issued.")
TOKEN_REVOKED = event_kind("accounts.token.revoked", TokenRevoked, "An API token was revoked.")
USER_DISABLED = event_kind("accounts.user.disabled", UserChanged, "A user account was disabled.")
USER_ENABLED = event_kind("accounts.user.enabled", UserChanged, "A disabled user account was enabled again.")
ROLE_SET = event_kind("accounts.user.role_set", RoleSet, "A user's role was changed by an admin of their organisation.")
EMAIL_SET = event_kind("accounts.user.email_set", EmailSet, "A user's e-mail address was set or removed.")
LOGIN_FAILED = event_kind("accounts.login.failed", LoginFailed, "A wrong password was given for an account.")
SESSION_OPENED = event_kind("accounts.session.opened", SessionChanged, "A user signed in to the console.")
SESSION_CLOSED = event_kind("accounts.session.closed", SessionChanged, "A user signed out of the console.")
