"""The CAP import command: a decoded alert becomes, updates or closes an incident of an operation,
as a command of the importing user; each imported message is remembered, so a repeat is skipped
and an Update or Cancel finds its incident. (Mapping CAP to incidents: ``bridge``.)"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.cop import Incident, IncidentCreate, IncidentUpdate, report_incident, update_incident
from katchi.core import Invalid, new_id
from katchi.core.access import Principal, can_read, label_filter
from katchi.core.context import Context
from katchi.interop.cap.bridge import CATEGORY_KIND, SEVERITY, info_with_area
from katchi.interop.cap.model import Alert
from katchi.interop.models import CapMessage
from katchi.operations import OperationView, writable_operation


class ImportResult(BaseModel):
    """What importing one CAP message did: created | updated | cancelled | skipped (with why)."""

    action: str
    incident_id: str | None
    reason: str = ""


def _label(alert: Alert, principal: Principal) -> str:
    if alert.scope == "Public":
        return "public"
    if alert.scope == "Restricted":
        return "alliance"
    return f"org:{principal.org_slug}"


def import_alert(session: Session, ctx: Context, op_id: str, alert: Alert) -> ImportResult:
    """Bring a decoded (valid) CAP alert into an operation as a command of the importing user."""
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    mode = view.op.mode
    if alert.status in ("Test", "System", "Draft"):
        reason = f"status {alert.status} messages are not imported"
        return ImportResult(action="skipped", incident_id=None, reason=reason)
    if (alert.status == "Exercise") != (mode == "exercise"):
        raise Invalid(
            f"a CAP message with status {alert.status} cannot go into a {mode} operation "
            "(exercise and real data never mix)"
        )
    key = (alert.sender, alert.identifier, alert.sent)
    seen = session.scalar(
        select(CapMessage).where(
            CapMessage.operation_id == view.id,
            CapMessage.sender == key[0],
            CapMessage.identifier == key[1],
            CapMessage.sent == key[2],
        )
    )
    if seen is not None:
        # Named only to who may read it: the duplicate check must not reveal a hidden incident.
        earlier = session.get(Incident, seen.incident_id)
        readable = earlier is not None and can_read(principal, earlier.label, participant=view.participant)
        return ImportResult(
            action="skipped", incident_id=seen.incident_id if readable else None, reason="already imported"
        )
    if alert.msg_type in ("Update", "Cancel"):
        target = _referenced_incident(session, principal, view, alert)
        if target is None:
            if alert.msg_type == "Cancel":
                reason = "cancels a message that was never imported"
                return ImportResult(action="skipped", incident_id=None, reason=reason)
        else:
            info = alert.infos[0] if alert.infos else None
            update = IncidentUpdate(
                status="closed" if alert.msg_type == "Cancel" else None,
                severity=SEVERITY.get(info.severity) if info and alert.msg_type == "Update" else None,
                description=(info.description or info.headline) if info and alert.msg_type == "Update" else None,
            )
            update_incident(session, ctx, target, update)
            _remember(session, view.id, alert, target, ctx)
            action = "cancelled" if alert.msg_type == "Cancel" else "updated"
            return ImportResult(action=action, incident_id=target)
    if alert.msg_type not in ("Alert", "Update"):
        return ImportResult(action="skipped", incident_id=None, reason=f"msgType {alert.msg_type} carries no incident")
    found = info_with_area(alert)
    if found is None:
        reason = "no <polygon> or <circle> to place it on the map (geocodes only)"
        return ImportResult(action="skipped", incident_id=None, reason=reason)
    info, geometry = found
    incident = report_incident(
        session,
        ctx,
        view.id,
        IncidentCreate(
            kind=CATEGORY_KIND.get(info.categories[0], "other") if info.categories else "other",
            title=(info.headline or info.event)[:300],
            severity=SEVERITY.get(info.severity, "moderate"),
            location=geometry,
            description=(info.description or "")[:10_000],
            label=_label(alert, principal),
        ),
    )
    _remember(session, view.id, alert, incident.id, ctx)
    return ImportResult(action="created", incident_id=incident.id)


def _referenced_incident(session: Session, principal: Principal, view: OperationView, alert: Alert) -> str | None:
    """The newest referenced incident the importer may read; one it may not read is treated as
    never imported, so an Update or Cancel cannot tell hidden incidents from absent ones."""
    for sender, identifier, sent in reversed(alert.reference_triplets()):
        row = session.scalar(
            select(CapMessage.incident_id)
            .join(Incident, Incident.id == CapMessage.incident_id)
            .where(
                CapMessage.operation_id == view.id,
                CapMessage.sender == sender,
                CapMessage.identifier == identifier,
                CapMessage.sent == sent,
                label_filter(Incident.label, principal, participant=view.participant),
            )
        )
        if row is not None:
            return row
    return None


def _remember(session: Session, op_id: str, alert: Alert, incident_id: str, ctx: Context) -> None:
    session.add(
        CapMessage(
            id=new_id(),
            operation_id=op_id,
            sender=alert.sender,
            identifier=alert.identifier,
            sent=alert.sent,
            msg_type=alert.msg_type,
            incident_id=incident_id,
            imported_at=ctx.now,
        )
    )


# --- export ----------------------------------------------------------------------------------
