"""A reader's own notifications, each shown only while the reader may still read what caused it.

The label is checked again at read time, with the reader's participation now: a notice about an
operation their organisation has since left, or one naming a record whose label they can no
longer read, is not shown (nor counted) — it is kept and comes back if they may read it again.
"""

from __future__ import annotations

from typing import cast

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from katchi.core import NotFound
from katchi.core.access import Principal, label_filter
from katchi.core.paging import paginate
from katchi.notifications.models import Notification
from katchi.notifications.schemas import NotificationPage, NotificationRead, SubjectRef
from katchi.operations import Operation, OperationParticipant


def visible(principal: Principal) -> ColumnElement[bool]:
    """The reader's own notifications whose event (operation, label, named record) they may read now."""
    taking_part = or_(
        Notification.operation_id.is_(None),
        exists().where(
            OperationParticipant.operation_id == Notification.operation_id,
            OperationParticipant.org_id == principal.org_id,
        ),
    )
    operation_readable = or_(
        Notification.operation_id.is_(None),
        exists().where(
            Operation.id == Notification.operation_id,
            label_filter(Operation.label, principal, participant=taking_part),
        ),
    )
    return and_(
        Notification.user_id == principal.user_id,
        operation_readable,
        label_filter(Notification.label, principal, participant=taking_part),
        or_(
            Notification.detail_label.is_(None),
            label_filter(cast(ColumnElement[str], Notification.detail_label), principal, participant=taking_part),
        ),
    )


def notification_read(n: Notification, lang: str) -> NotificationRead:
    return NotificationRead(
        id=n.id,
        kind=n.kind,
        subject=SubjectRef(type=n.subject_type, id=n.subject_id),
        operation_id=n.operation_id,
        text=n.text_ko if lang == "ko" else n.text_en,
        created_at=n.created_at,
        read_at=n.read_at,
    )


def unread_count(session: Session, principal: Principal) -> int:
    stmt = select(func.count()).select_from(Notification).where(visible(principal), Notification.read_at.is_(None))
    return int(session.scalar(stmt) or 0)


def list_notifications(
    session: Session,
    principal: Principal,
    *,
    lang: str = "en",
    unread_only: bool = False,
    cursor: str | None = None,
    limit: int = 100,
) -> NotificationPage:
    """The reader's notifications, newest first."""
    stmt = select(Notification).where(visible(principal))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    rows, nxt = paginate(session, stmt, Notification.id, cursor=cursor, limit=limit, newest_first=True)
    return NotificationPage(
        items=[notification_read(n, lang) for n in rows], next=nxt, unread=unread_count(session, principal)
    )


def own_notification(session: Session, principal: Principal, notification_id: str) -> Notification:
    """One of the reader's visible notifications; anyone else's, or a hidden one, is not found."""
    n = session.scalar(select(Notification).where(Notification.id == notification_id, visible(principal)))
    if n is None:
        raise NotFound(f"no notification {notification_id}")
    return n
