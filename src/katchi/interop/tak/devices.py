"""TAK devices as the gateway sees them: which organisation a device speaks for, as whom, which
asset it moves, and which operation its chat goes to (commands: ``service.py``); and the list of
an organisation's devices for its admin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, User, org_by_slug, principal_of, require_admin_of
from katchi.core import NotFound
from katchi.core.access import Principal
from katchi.core.context import Context
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


class DeviceInfo(BaseModel):
    """A registered device as its organisation's admin sees it."""

    uid: str
    org: str
    user: str
    asset_id: str | None
    operation_id: str | None
    created_at: datetime


def list_devices(session: Session, ctx: Context, org_slug: str | None = None) -> list[DeviceInfo]:
    """Devices of one organisation (its admin or the operator), by default the caller's; the
    operator with no ``org_slug`` lists every device."""
    query = (
        select(TakDevice, Organisation.slug, User.username)
        .join(Organisation, Organisation.id == TakDevice.org_id)
        .join(User, User.id == TakDevice.user_id)
    )
    if org_slug is not None:
        org = org_by_slug(session, org_slug)
        require_admin_of(ctx, org.id, "list devices")
        query = query.where(TakDevice.org_id == org.id)
    elif ctx.principal is not None:
        require_admin_of(ctx, ctx.principal.org_id, "list devices")
        query = query.where(TakDevice.org_id == ctx.principal.org_id)
    return [
        DeviceInfo(
            uid=d.uid,
            org=slug,
            user=username,
            asset_id=d.asset_id,
            operation_id=d.operation_id,
            created_at=d.created_at,
        )
        for d, slug, username in session.execute(query.order_by(Organisation.slug, TakDevice.uid))
    ]


class DeviceCreate(BaseModel):
    """A device to allow on the gateway: its uid (or TLS certificate common name), the user it acts
    as, the asset it moves and the operation its chat goes to."""

    uid: str = Field(min_length=1, max_length=200)
    user: str = Field(min_length=1, max_length=100)
    asset_id: str | None = Field(default=None, max_length=32)
    operation_id: str | None = Field(default=None, max_length=32)


class DeviceAssign(BaseModel):
    """The operation the device's chat goes to (null: none; its chat is then refused)."""

    operation_id: str | None = Field(default=None, max_length=32)


def device_info(session: Session, ctx: Context, uid: str) -> DeviceInfo:
    """One device, for an admin of its organisation (after a command on it)."""
    row = session.get(TakDevice, uid)
    if row is None:
        raise NotFound(f"no device {uid}")
    require_admin_of(ctx, row.org_id, "read devices")
    org, user = session.get(Organisation, row.org_id), session.get(User, row.user_id)
    assert org is not None and user is not None
    return DeviceInfo(
        uid=row.uid,
        org=org.slug,
        user=user.username,
        asset_id=row.asset_id,
        operation_id=row.operation_id,
        created_at=row.created_at,
    )
