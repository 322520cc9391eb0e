"""Which labels a user may put on a record: well-formed, naming known parties, readable by them."""

from __future__ import annotations

from sqlalchemy.orm import Session

from katchi.accounts.queries import known_nations, org_exists
from katchi.core import Invalid, parse_label
from katchi.core.access import Principal, can_read


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
