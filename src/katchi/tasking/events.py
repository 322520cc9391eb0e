"""Event kinds of the tasking domain: one per RFA life-cycle step."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from katchi.eventlog import LabelReleased, event_kind


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


class RfaTasked(RfaTransitioned):
    last_resort: dict[str, Any]


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
STEP_KIND = {
    action: event_kind(f"tasking.rfa.{past}", RfaTasked if action == "task" else RfaTransitioned, doc).name
    for action, (past, doc) in _STEPS.items()
}
