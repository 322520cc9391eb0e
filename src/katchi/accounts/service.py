"""Commands on organisations (platform administration), and who may administer accounts."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts.events import ORG_CREATED, OrgCreated
from katchi.accounts.models import Organisation
from katchi.accounts.schemas import OrganisationCreate
from katchi.core import Conflict, Forbidden, NotFound, new_id
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import forget
from katchi.eventlog import Subject, record

#: Cache name (``katchi.db.cached``) of the slug → nation directory; forgotten when an org is added.
DIRECTORY = "directory"


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


#: Roles that speak for a whole nation (an approver reads and decides the taskings of every asset of
#: its nation awaiting national approval, whatever operation they are in): only the platform
#: operator grants or takes them, never an organisation's admin.
NATIONAL_ROLES = frozenset({Role.approver})


def require_role_grantable(ctx: Context, *roles: Role | str) -> None:
    """An admin may give or take any role of their organisation's users but a national one."""
    if ctx.principal is not None and NATIONAL_ROLES & {Role(r) for r in roles}:
        raise Forbidden(
            "only the platform operator (the katchi command on the server) grants or takes the approver role"
        )


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
