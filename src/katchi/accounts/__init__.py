"""Organisations, users, roles, API tokens, console sessions and password sign-in."""

from katchi.accounts.events import USER_DISABLED
from katchi.accounts.labels import assignable_label, releasable_label, release
from katchi.accounts.login import Gate, Pending, ThrottlePolicy, login_gate, record_login_failure, verify_login
from katchi.accounts.models import ApiToken, LoginFailure, Organisation, User, WebSession
from katchi.accounts.passwords import Verified, check_strength
from katchi.accounts.queries import (
    active_user_ids,
    known_nations,
    list_orgs,
    org_exists,
    org_read,
    orgs_by_slugs,
    principal_for_token,
    principal_for_user,
    principal_of,
    stand_in,
)
from katchi.accounts.schemas import OrganisationCreate, OrganisationRead, ReleaseRequest, UserCreate, UserRead
from katchi.accounts.service import add_org, org_by_slug, require_admin_of
from katchi.accounts.sessions import (
    OpenedSession,
    SignedIn,
    close_web_session,
    open_web_session,
    principal_for_web_session,
    touch_web_session,
)
from katchi.accounts.tokens import (
    TokenInfo,
    create_token,
    list_tokens,
    parse_duration,
    revoke_token,
    revoke_user_tokens,
)
from katchi.accounts.users import add_user, disable_user, enable_user, set_email, set_password

__all__ = [
    "USER_DISABLED",
    "ApiToken",
    "Gate",
    "LoginFailure",
    "OpenedSession",
    "Organisation",
    "OrganisationCreate",
    "OrganisationRead",
    "Pending",
    "ReleaseRequest",
    "SignedIn",
    "ThrottlePolicy",
    "TokenInfo",
    "User",
    "UserCreate",
    "UserRead",
    "Verified",
    "WebSession",
    "active_user_ids",
    "add_org",
    "add_user",
    "assignable_label",
    "check_strength",
    "close_web_session",
    "create_token",
    "disable_user",
    "enable_user",
    "known_nations",
    "list_orgs",
    "list_tokens",
    "login_gate",
    "open_web_session",
    "org_by_slug",
    "org_exists",
    "org_read",
    "orgs_by_slugs",
    "parse_duration",
    "principal_for_token",
    "principal_for_user",
    "principal_for_web_session",
    "principal_of",
    "record_login_failure",
    "releasable_label",
    "release",
    "require_admin_of",
    "revoke_token",
    "revoke_user_tokens",
    "set_email",
    "set_password",
    "stand_in",
    "touch_web_session",
    "verify_login",
]
