"""Records a decision may name (its ``links``), registered by the domains that own them.

A link is kept with the label its record had when it was linked, so each reader is shown only the
links it may read, in the decision (REST) and in its event (timeline, live stream) alike.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from katchi.core import Invalid
from katchi.core.access import Principal, can_read
from katchi.operations.models import Decision, Message, Operation, OpsLogEntry
from katchi.operations.queries import OperationView

#: Link type → model (with ``id`` and ``label``; ``operation_id`` when it belongs to an operation).
LINKABLE: dict[str, Any] = {"operation": Operation, "log": OpsLogEntry, "decision": Decision, "message": Message}


def linkable(type_name: str, model: Any) -> None:
    """Let decisions link to records of ``model`` as ``{"type": type_name, "id": …}``."""
    LINKABLE[type_name] = model


def resolve_links(
    session: Session, principal: Principal, view: OperationView, links: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Each link with its record's label; a link to a record that does not exist, is in another
    operation or is hidden from the author is refused in the same words (no existence oracle)."""
    out = []
    for i, link in enumerate(links):
        model = LINKABLE.get(link["type"])
        if model is None:
            raise Invalid(
                f"unknown link type {link['type']!r}: use {', '.join(sorted(LINKABLE))}",
                errors=[{"loc": ["links", i, "type"], "msg": "unknown link type", "input": link["type"]}],
            )
        rec = session.get(model, link["id"])
        if rec is None or not _visible(session, principal, view, rec):
            raise Invalid(
                f"no {link['type']} {link['id']} in this operation",
                errors=[{"loc": ["links", i, "id"], "msg": "no such record", "input": link["id"]}],
            )
        out.append({"type": link["type"], "id": link["id"], "label": rec.label})
    return out


def _visible(session: Session, principal: Principal, view: OperationView, rec: Any) -> bool:
    if isinstance(rec, Operation):  # its own operation only: its label means nothing in another one
        return bool(rec.id == view.id)
    if hasattr(rec, "operation_id"):
        return bool(rec.operation_id == view.id and can_read(principal, rec.label, participant=view.participant))
    return can_read(principal, rec.label, participant=True)  # platform records (assets)
