"""TAK devices as the gateway sees them: which organisation a device speaks for, as whom, which
asset it moves, and which operation its chat goes to (commands: ``service.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from katchi.accounts import Organisation, User, principal_of
from katchi.core.access import Principal
from katchi.interop.models import TakDevice


@dataclass(frozen=True)
class Device:
    uid: str
    principal: Principal
    asset_id: str | None
    #: Where its chat goes (None: refused) and under which label.
    operation_id: str | None = None
    chat_label: str = ""


def device(session: Session, uid: str) -> Device | None:
    row = session.get(TakDevice, uid)
    if row is None:
        return None
    user = session.get(User, row.user_id)
    org = session.get(Organisation, row.org_id)
    if user is None or org is None or not user.active:
        return None
    return Device(uid, principal_of(user, org), row.asset_id, row.operation_id, org.device_label or f"org:{org.slug}")
