"""Organisations, users, roles and API tokens."""

from katchi.accounts.labels import assignable_label, releasable_label, release
from katchi.accounts.models import ApiToken, Organisation, User
from katchi.accounts.queries import (
    known_nations,
    list_orgs,
    org_exists,
    org_read,
    orgs_by_slugs,
    principal_for_token,
    principal_for_user,
    principal_of,
)
from katchi.accounts.schemas import OrganisationCreate, OrganisationRead, ReleaseRequest, UserCreate, UserRead
from katchi.accounts.service import (
    add_org,
    add_user,
    check_password,
    create_token,
    org_by_slug,
    set_password,
)

__all__ = [
    "ApiToken",
    "Organisation",
    "OrganisationCreate",
    "OrganisationRead",
    "ReleaseRequest",
    "User",
    "UserCreate",
    "UserRead",
    "add_org",
    "add_user",
    "assignable_label",
    "check_password",
    "create_token",
    "known_nations",
    "list_orgs",
    "org_by_slug",
    "org_exists",
    "org_read",
    "orgs_by_slugs",
    "principal_for_token",
    "principal_for_user",
    "principal_of",
    "releasable_label",
    "release",
    "set_password",
]
