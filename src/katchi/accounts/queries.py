"""Reads of the accounts domain: who a token or session belongs to, and the directory."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from katchi.accounts.models import ApiToken, Organisation, User
from katchi.accounts.schemas import OrganisationRead
from katchi.accounts.service import DIRECTORY
from katchi.accounts.tokens import token_digest
from katchi.core.access import Principal, Role
from katchi.core.clock import utcnow
from katchi.db import cached


def principal_of(user: User, org: Organisation) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        org_id=org.id,
        org_slug=org.slug,
        org_kind=org.kind,
        nation=org.nation,
    )


def stand_in(org: Organisation) -> Principal:
    """A principal for an organisation as a whole (a viewer with no user), to ask what the
    organisation may read: the owner of an asset, the addressee of an inject."""
    return Principal(
        user_id="",
        username="",
        role=Role.viewer,
        org_id=org.id,
        org_slug=org.slug,
        org_kind=org.kind,
        nation=org.nation,
    )


def principal_for_token(session: Session, token: str, now: datetime | None = None) -> Principal | None:
    """The user a bearer token acts for; None if unknown, revoked, expired or its user disabled."""
    now = now or utcnow()
    row = session.execute(
        select(User, Organisation)
        .join(ApiToken, ApiToken.user_id == User.id)
        .join(Organisation, Organisation.id == User.org_id)
        .where(
            ApiToken.token_sha256 == token_digest(token),
            ApiToken.revoked_at.is_(None),
            or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > now),
            User.active.is_(True),
        )
    ).first()
    return principal_of(row[0], row[1]) if row else None


def principal_for_user(session: Session, user_id: str) -> Principal | None:
    row = session.execute(
        select(User, Organisation)
        .join(Organisation, Organisation.id == User.org_id)
        .where(User.id == user_id, User.active.is_(True))
    ).first()
    return principal_of(row[0], row[1]) if row else None


def active_user_ids(session: Session, user_ids: set[str]) -> set[str]:
    """Which of these users may still act (not disabled)."""
    return set(session.scalars(select(User.id).where(User.id.in_(user_ids), User.active.is_(True))))


def org_read(org: Organisation) -> OrganisationRead:
    return OrganisationRead(
        id=org.id, slug=org.slug, names={"en": org.name_en, "ko": org.name_ko}, nation=org.nation, kind=org.kind
    )


def list_orgs(session: Session) -> list[OrganisationRead]:
    """The directory of organisations is alliance-wide: every signed-in user may read it."""
    return [org_read(o) for o in session.scalars(select(Organisation).order_by(Organisation.slug))]


def orgs_by_slugs(session: Session, slugs: list[str]) -> dict[str, Organisation]:
    return {o.slug: o for o in session.scalars(select(Organisation).where(Organisation.slug.in_(slugs)))}


def _directory(session: Session) -> dict[str, str]:
    """Slug → nation of every organisation, cached for the session's transaction(s)."""

    def load() -> dict[str, str]:
        return {slug: nation for slug, nation in session.execute(select(Organisation.slug, Organisation.nation))}

    return cached(session, DIRECTORY, None, load)


def known_nations(session: Session) -> set[str]:
    return set(_directory(session).values())


def org_exists(session: Session, slug: str) -> bool:
    return slug in _directory(session)
