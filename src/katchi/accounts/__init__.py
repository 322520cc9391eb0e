"""Organisations, users, roles and API tokens."""

from katchi.accounts.labels import assignable_label, releasable_label, release
from katchi.accounts.models import ApiToken, Organisation, User, WebSession
from katchi.accounts.queries import (
    known_nations,
    list_orgs,
    org_exists,
    org_read,
    orgs_by_slugs,
    principal_for_token,
    principal_for_user,
    principal_for_web_session,
    principal_of,
)
from katchi.accounts.schemas import OrganisationCreate, OrganisationRead, ReleaseRequest, UserCreate, UserRead
from katchi.accounts.service import (
    SESSION_TTL,
    OpenedSession,
    add_org,
    add_user,
    check_password,
    close_web_session,
    create_token,
    open_web_session,
    org_by_slug,
    require_admin_of,
    set_password,
)

__all__ = [
    "SESSION_TTL",
    "ApiToken",
    "OpenedSession",
    "Organisation",
    "OrganisationCreate",
    "OrganisationRead",
    "ReleaseRequest",
    "User",
    "UserCreate",
    "UserRead",
    "WebSession",
    "add_org",
    "add_user",
    "assignable_label",
    "check_password",
    "close_web_session",
    "create_token",
    "known_nations",
    "list_orgs",
    "open_web_session",
    "org_by_slug",
    "org_exists",
    "org_read",
    "orgs_by_slugs",
    "principal_for_token",
    "principal_for_user",
    "principal_for_web_session",
    "principal_of",
    "releasable_label",
    "release",
    "require_admin_of",
    "set_password",
]
