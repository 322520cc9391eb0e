"""Event kinds of the tasking domain: one per RFA life-cycle step."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from katchi.eventlog import LabelReleased, Readable, event_kind


class RfaCreated(BaseModel):
    title: str
    capability: str
    quantity: int
    priority: str
    requesting_org: str
    state: str
    location: dict[str, Any]


class RfaTransitioned(BaseModel):
    action: str
    from_state: str
    to_state: str
    reason: str = ""
    tasking_id: str | None = None
    asset_id: str | None = None
    asset_status: str | None = None
    tasking_status: str | None = None
    #: The tasking's own label: the tasking's fields are shown only to readers of it.
    tasking_label: str | None = None


class RfaTasked(RfaTransitioned):
    last_resort: dict[str, Any]


#: Fields of a step that belong to the tasking, not to the RFA.
TASKING_PARTS = frozenset({"tasking_id", "asset_id", "asset_status", "tasking_status", "last_resort", "tasking_label"})
#: Steps taken by the asset's owner or its nation's approver: who acted, and their reason, would
#: tell a reader who may not read the tasking whose asset it is.
_BY_OWNER_OR_NATION = {
    "accept": "the asset's owner",
    "decline": "the asset's owner",
    "start": "the asset's owner",
    "complete": "the asset's owner",
    "approve": "the asset's nation",
    "deny": "the asset's nation",
}


def visible_alternatives(last_resort: dict[str, Any], readable: Readable) -> dict[str, Any]:
    """The last-resort record with only the civilian alternatives this reader may read (each is
    kept with its asset's label; one kept without is shown to nobody)."""
    alternatives = last_resort.get("alternatives")
    if not alternatives:
        return last_resort
    kept = [a for a in alternatives if isinstance(a, dict) and readable(str(a.get("label", "")))]
    return {**last_resort, "alternatives": kept}


def shape_step(view: dict[str, Any], readable: Readable) -> dict[str, Any]:
    """A step of the RFA as one reader sees it: the tasking's fields only if it may read the
    tasking; otherwise also not who of the owner or its nation acted, nor their reason. (Steps
    logged before ``tasking_label`` existed were logged under the tasking's label.)"""
    payload = view["payload"]
    label = payload.get("tasking_label")
    if label is not None and not readable(label):
        kept = {k: v for k, v in payload.items() if k not in TASKING_PARTS}
        who = _BY_OWNER_OR_NATION.get(str(payload.get("action")))
        if who is None:
            return {**view, "payload": kept}
        return {**view, "actor": who, "payload": kept | {"reason": ""}}
    if isinstance(payload.get("last_resort"), dict):
        return {**view, "payload": {**payload, "last_resort": visible_alternatives(payload["last_resort"], readable)}}
    return view


RFA_RELEASED = event_kind("tasking.rfa.released", LabelReleased, "An RFA was released to a wider audience.")
RFA_CREATED = event_kind("tasking.rfa.created", RfaCreated, "An RFA was drafted (or created submitted).")
_STEPS = {
    "submit": ("submitted", "An RFA was submitted to the CMOC."),
    "validate": ("validated", "A coordinator validated an RFA."),
    "reject": ("rejected", "A coordinator rejected an RFA."),
    "task": ("tasked", "A coordinator tasked an asset to an RFA."),
    "accept": ("accepted", "The asset's organisation accepted a tasking."),
    "decline": ("declined", "The asset's organisation declined a tasking."),
    "start": ("started", "The tasked asset started work."),
    "complete": ("completed", "The tasked asset completed the RFA."),
    "cancel": ("cancelled", "An RFA was cancelled."),
}
RFA_APPROVED = event_kind(
    "tasking.rfa.approved",
    RfaTransitioned,
    "An approver of the asset's nation approved its tasking; its owner may now accept.",
    shape=shape_step,
)
RFA_DENIED = event_kind(
    "tasking.rfa.denied",
    RfaTransitioned,
    "An approver of the asset's nation denied its tasking; the RFA is declined and the asset free.",
    shape=shape_step,
)
STEP_KIND = {
    action: event_kind(
        f"tasking.rfa.{past}", RfaTasked if action == "task" else RfaTransitioned, doc, shape=shape_step
    ).name
    for action, (past, doc) in _STEPS.items()
}
