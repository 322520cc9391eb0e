"""Which labels a user may put on a record: well-formed, naming known parties, readable by them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from katchi.accounts.queries import known_nations, org_exists
from katchi.core import Forbidden, Invalid, parse_label
from katchi.core.access import Principal, Role, can_read
from katchi.core.context import Context
from katchi.eventlog import LabelReleased, Subject, record


def assignable_label(session: Session, principal: Principal, label: str) -> str:
    """Return ``label`` if ``principal`` may mark a record with it, else raise Invalid.

    A label naming an unknown nation or organisation is refused, and so is one the author could
    not read themselves: nobody can create a record they would lose sight of at once.
    """
    parsed = parse_label(label)
    if parsed.kind == "nation" and parsed.value not in known_nations(session):
        raise Invalid(
            f"unknown label {label!r}: no organisation of nation {parsed.value}",
            errors=[{"loc": ["label"], "msg": "unknown nation", "input": label}],
        )
    if parsed.kind == "org" and not org_exists(session, parsed.value or ""):
        raise Invalid(
            f"unknown label {label!r}: no organisation {parsed.value!r}",
            errors=[{"loc": ["label"], "msg": "unknown organisation", "input": label}],
        )
    if not can_read(principal, str(parsed), participant=True):
        raise Invalid(
            f"label {label!r} would hide the record from its own author",
            errors=[{"loc": ["label"], "msg": "label not readable by author", "input": label}],
        )
    return str(parsed)


def releasable_label(session: Session, principal: Principal, owner_org_id: str, current: str, new: str) -> str:
    """Check a release (DESIGN.md §5): only a coordinator of the record's owning organisation may
    widen its label, to a label they could assign, and only ever to a wider audience."""
    if principal.org_id != owner_org_id or principal.role not in (Role.coordinator, Role.admin):
        raise Forbidden("only a coordinator of the owning organisation may release a record")
    label = assignable_label(session, principal, new)
    if parse_label(label).rank >= parse_label(current).rank:
        raise Invalid(
            f"a release must widen the audience: {current!r} → {label!r} does not",
            errors=[{"loc": ["label"], "msg": "not wider than the current label", "input": new}],
        )
    return label


def release(
    session: Session,
    ctx: Context,
    rec: Any,
    *,
    owner_org_id: str,
    label: str,
    kind: str,
    subject: Subject,
    operation_id: str | None = None,
) -> None:
    """The release command shared by every labelled record with ``label`` and ``updated_at``:
    check it (``releasable_label``), widen the label, and log ``kind`` with the old and new labels."""
    new = releasable_label(session, ctx.require(), owner_org_id, rec.label, label)
    old, rec.label, rec.updated_at = rec.label, new, ctx.now
    record(
        session,
        ctx,
        kind=kind,
        subject=subject,
        label=new,
        operation_id=operation_id,
        payload=LabelReleased(from_label=old, to_label=new),
    )
