"""TAK devices: which organisation a device speaks for, as whom, and which asset it moves."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, User, principal_of
from katchi.assets import Asset
from katchi.core import Conflict, Invalid
from katchi.core.access import Principal
from katchi.core.context import Context
from katchi.eventlog import Subject, record
from katchi.interop.events import TAK_DEVICE_REGISTERED, DeviceRegistered
from katchi.interop.models import TakDevice

_UID = re.compile(r"^[A-Za-z0-9._:@-]{1,200}$")


def register_device(session: Session, ctx: Context, uid: str, username: str, asset_id: str | None = None) -> None:
    """Allow a device on the gateway (an administrative command). It acts as ``username`` (a user
    of the organisation the device belongs to; asset managers may move their assets) and may move
    ``asset_id``, which must be one of that organisation's assets."""
    if not _UID.match(uid):
        raise Invalid("a device uid is 1–200 letters, digits and . _ : @ -")
    if session.get(TakDevice, uid) is not None:
        raise Conflict(f"device {uid} is already registered")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise Invalid(f"no user {username}")
    org = session.get(Organisation, user.org_id)
    assert org is not None
    if asset_id is not None:
        asset = session.get(Asset, asset_id)
        if asset is None or asset.org_id != org.id:
            raise Invalid(f"asset {asset_id} is not one of {org.slug}'s assets")
    session.add(TakDevice(uid=uid, org_id=org.id, user_id=user.id, asset_id=asset_id, created_at=ctx.now))
    record(
        session,
        ctx,
        kind=TAK_DEVICE_REGISTERED.name,
        subject=Subject("device", uid),
        label=f"org:{org.slug}",
        payload=DeviceRegistered(uid=uid, org=org.slug, asset_id=asset_id),
    )


@dataclass(frozen=True)
class Device:
    uid: str
    principal: Principal
    asset_id: str | None


def device(session: Session, uid: str) -> Device | None:
    row = session.get(TakDevice, uid)
    if row is None:
        return None
    user = session.get(User, row.user_id)
    org = session.get(Organisation, row.org_id)
    if user is None or org is None or not user.active:
        return None
    return Device(uid, principal_of(user, org), row.asset_id)
