"""Commands of TAK devices: allow a device on the gateway, assign it to an operation, set the label
its organisation's chat carries. Administrative commands of the device's organisation: the platform
operator (the ``katchi`` command) or that organisation's admin."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, User, assignable_label, principal_of, require_admin_of
from katchi.assets import Asset
from katchi.core import Conflict, Invalid, NotFound
from katchi.core.access import Principal, Role
from katchi.core.context import Context
from katchi.eventlog import Subject, record
from katchi.interop.events import (
    TAK_DEVICE_ASSIGNED,
    TAK_DEVICE_LABEL_SET,
    TAK_DEVICE_REGISTERED,
    DeviceAssigned,
    DeviceLabelSet,
    DeviceRegistered,
)
from katchi.interop.models import TakDevice
from katchi.operations import visible_operation

_UID = re.compile(r"^[A-Za-z0-9._:@-]{1,200}$")


def register_device(
    session: Session,
    ctx: Context,
    uid: str,
    username: str,
    asset_id: str | None = None,
    operation_id: str | None = None,
) -> None:
    """Allow a device on the gateway. It acts as ``username`` (a user of the organisation the
    device belongs to; asset managers may move their assets), may move ``asset_id`` (one of that
    organisation's assets) and chats into ``operation_id`` (see :func:`assign_device`)."""
    if not _UID.match(uid):
        raise Invalid("a device uid is 1–200 letters, digits and . _ : @ -")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise Invalid(f"no user {username}")
    org = session.get(Organisation, user.org_id)
    assert org is not None
    require_admin_of(ctx, org.id, "register devices")
    if session.get(TakDevice, uid) is not None:
        raise Conflict(f"device {uid} is already registered")
    if asset_id is not None:
        asset = session.get(Asset, asset_id)
        if asset is None or asset.org_id != org.id:
            raise Invalid(f"asset {asset_id} is not one of {org.slug}'s assets")
    if operation_id is not None:
        _check_operation(session, principal_of(user, org), operation_id)
    session.add(
        TakDevice(
            uid=uid, org_id=org.id, user_id=user.id, asset_id=asset_id, operation_id=operation_id, created_at=ctx.now
        )
    )
    record(
        session,
        ctx,
        kind=TAK_DEVICE_REGISTERED.name,
        subject=Subject("device", uid),
        label=f"org:{org.slug}",
        payload=DeviceRegistered(uid=uid, org=org.slug, asset_id=asset_id, operation_id=operation_id),
    )


def assign_device(session: Session, ctx: Context, uid: str, operation_id: str | None) -> None:
    """Send the device's chat to ``operation_id`` (None: nowhere; its chat is then refused). The
    operation must be one the device's user reads and its organisation takes part in."""
    row = session.get(TakDevice, uid)
    if row is None:
        raise NotFound(f"no device {uid}")
    require_admin_of(ctx, row.org_id, "assign devices")
    if operation_id is not None:
        user, org = session.get(User, row.user_id), session.get(Organisation, row.org_id)
        assert user is not None and org is not None
        _check_operation(session, principal_of(user, org), operation_id)
    row.operation_id = operation_id
    org = session.get(Organisation, row.org_id)
    assert org is not None
    record(
        session,
        ctx,
        kind=TAK_DEVICE_ASSIGNED.name,
        subject=Subject("device", uid),
        label=f"org:{org.slug}",
        payload=DeviceAssigned(uid=uid, operation_id=operation_id),
    )


def set_device_label(session: Session, ctx: Context, org_slug: str, label: str) -> None:
    """The label the organisation's devices' chat carries; one its users could put on a record."""
    org = session.scalar(select(Organisation).where(Organisation.slug == org_slug))
    if org is None:
        raise NotFound(f"no organisation {org_slug!r}")
    require_admin_of(ctx, org.id, "set the devices' label")
    stand_in = Principal(
        user_id="", username="", role=Role.viewer,
        org_id=org.id, org_slug=org.slug, org_kind=org.kind, nation=org.nation,
    )  # fmt: skip
    org.device_label = assignable_label(session, stand_in, label)
    record(
        session,
        ctx,
        kind=TAK_DEVICE_LABEL_SET.name,
        subject=Subject("organisation", org.id),
        label=f"org:{org.slug}",
        payload=DeviceLabelSet(org=org.slug, label=org.device_label),
    )


def _check_operation(session: Session, principal: Principal, operation_id: str) -> None:
    try:
        view = visible_operation(session, principal, operation_id)
    except NotFound:
        view = None
    if view is None or not view.participant:
        raise Invalid(
            f"the device's organisation does not take part in operation {operation_id} (or its user cannot read it)"
        )
    if view.op.status != "active":
        raise Invalid(f"operation {operation_id} is closed")
