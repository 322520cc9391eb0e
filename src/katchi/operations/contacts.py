"""The operation's directory of liaison officers: commands and access-checked reads.

Who may write: contributors of an organisation for that organisation's own contacts, and the
operation's coordinators for any. Reads follow each contact's label like every other record.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, assignable_label, orgs_by_slugs
from katchi.core import Forbidden, Invalid, new_id
from katchi.core.access import Principal
from katchi.core.context import Context
from katchi.core.schemas import read_model
from katchi.eventlog import Subject, forget_answers_about, record
from katchi.operations.events import (
    CONTACT_ADDED,
    CONTACT_REMOVED,
    CONTACT_UPDATED,
    ContactListed,
    ContactRemoved,
)
from katchi.operations.models import Contact
from katchi.operations.queries import OperationView, coordinates, scoped, scoped_get
from katchi.operations.schemas import ContactCreate, ContactRead, ContactUpdate
from katchi.operations.service import writable_operation


def _org(session: Session, slug: str) -> Organisation:
    org = orgs_by_slugs(session, [slug]).get(slug)
    if org is None:
        raise Invalid(
            f"unknown organisation {slug!r}",
            errors=[{"loc": ["organisation"], "msg": "unknown organisation", "input": slug}],
        )
    return org


def _may_write(session: Session, principal: Principal, view: OperationView, org_id: str) -> None:
    if principal.org_id != org_id and not coordinates(session, principal, view):
        raise Forbidden("only the contact's own organisation or the operation's coordinators may change it")


def contact_read(c: Contact, org_slug: str) -> ContactRead:
    return read_model(ContactRead, c, organisation=org_slug)


def _listed(c: Contact, org_slug: str, changed: list[str] | None = None) -> ContactListed:
    return ContactListed(
        name=c.name,
        role=c.role,
        organisation=org_slug,
        radio_call_sign=c.radio_call_sign,
        languages=list(c.languages),
        changed=changed or [],
    )


def add_contact(session: Session, ctx: Context, op_id: str, data: ContactCreate) -> ContactRead:
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    org = _org(session, data.organisation)
    _may_write(session, principal, view, org.id)
    label = assignable_label(session, principal, data.label)
    if label == "public":
        raise Invalid(
            "a liaison officer's phone, e-mail and notes are never public: use alliance or narrower",
            errors=[{"loc": ["label"], "msg": "a contact may not be public", "input": label}],
        )
    now = ctx.occurred(session, view.id)
    contact = Contact(
        id=new_id(),
        operation_id=view.id,
        name=data.name,
        role=data.role,
        org_id=org.id,
        phone=data.phone,
        radio_call_sign=data.radio_call_sign,
        languages=data.languages,
        email=data.email,
        notes=data.notes,
        label=label,
        created_at=now,
        updated_at=now,
    )
    session.add(contact)
    record(
        session,
        ctx,
        kind=CONTACT_ADDED.name,
        subject=Subject("contact", contact.id),
        label=label,
        operation_id=view.id,
        payload=_listed(contact, org.slug),
    )
    return contact_read(contact, org.slug)


def update_contact(session: Session, ctx: Context, contact_id: str, data: ContactUpdate) -> ContactRead:
    """Change a contact's details; moving it to another organisation needs the right over both."""
    principal = ctx.require()
    contact, view = scoped_get(session, Contact, principal, contact_id, "contact")
    writable_operation(session, principal, view.id)
    _may_write(session, principal, view, contact.org_id)
    changes = {f: getattr(data, f) for f in type(data).model_fields if f in data.model_fields_set}
    if "organisation" in changes:
        org = _org(session, changes.pop("organisation"))
        _may_write(session, principal, view, org.id)
        contact.org_id = org.id
    for field, value in changes.items():
        setattr(contact, field, list(value) if field == "languages" else value)
    if not (contact.phone or contact.radio_call_sign or contact.email):
        raise Invalid(
            "a contact needs a phone, a radio call sign or an email",
            errors=[{"loc": ["phone"], "msg": "no way to reach the contact"}],
        )
    contact.updated_at = ctx.occurred(session, view.id)
    slug = _slug(session, contact.org_id)
    record(
        session,
        ctx,
        kind=CONTACT_UPDATED.name,
        subject=Subject("contact", contact.id),
        label=contact.label,
        operation_id=view.id,
        payload=_listed(contact, slug, sorted(data.model_fields_set)),
    )
    return contact_read(contact, slug)


def remove_contact(session: Session, ctx: Context, contact_id: str) -> ContactRead:
    """Take a contact out of the directory (its row and personal details go; the log keeps that
    it was listed); answers the contact as it was."""
    principal = ctx.require()
    contact, view = scoped_get(session, Contact, principal, contact_id, "contact")
    writable_operation(session, principal, view.id)
    _may_write(session, principal, view, contact.org_id)
    record(
        session,
        ctx,
        kind=CONTACT_REMOVED.name,
        subject=Subject("contact", contact.id),
        label=contact.label,
        operation_id=view.id,
        payload=ContactRemoved(name=contact.name, organisation=(slug := _slug(session, contact.org_id))),
    )
    # The answer (kept for a retried request with its Idempotency-Key) and earlier answers about
    # the contact keep none of the personal details that go with its row.
    gone = contact_read(contact, slug).model_copy(update={"phone": "", "email": "", "notes": ""})
    session.delete(contact)
    forget_answers_about(session, contact.id)
    return gone


def _slug(session: Session, org_id: str) -> str:
    return session.scalar(select(Organisation.slug).where(Organisation.id == org_id)) or ""


def list_contacts(
    session: Session, principal: Principal | None, view: OperationView, *, cursor: str | None, limit: int
) -> tuple[list[ContactRead], str | None]:
    """The directory as the reader may read it, a page at a time (in the order contacts were added)."""
    rows, nxt = scoped(session, Contact, principal, view, cursor=cursor, limit=limit)
    ids = {c.org_id for c in rows}
    stmt = select(Organisation.id, Organisation.slug).where(Organisation.id.in_(ids))
    slugs: dict[str, str] = {org_id: slug for org_id, slug in session.execute(stmt)} if ids else {}
    return [contact_read(c, slugs.get(c.org_id, "")) for c in rows], nxt


def get_contact(session: Session, principal: Principal | None, contact_id: str) -> ContactRead:
    contact, _ = scoped_get(session, Contact, principal, contact_id, "contact")
    return contact_read(contact, _slug(session, contact.org_id))
