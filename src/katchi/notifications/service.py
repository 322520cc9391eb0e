"""Commands: a reader marks notifications read; the overdue sweep reports open RFAs past their
needed-by time.

Marking read is a reader's own bookkeeping about their own notices, like a console session's last
use: it changes no shared record, so it is not an event of any operation and is not logged.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from katchi.core.context import Context
from katchi.eventlog import LogEntry, Subject, record
from katchi.notifications.events import RFA_OVERDUE, RfaOverdue
from katchi.notifications.models import Notification
from katchi.notifications.queries import notification_read, own_notification, unread_count, visible
from katchi.notifications.rules import OPEN_STATES
from katchi.notifications.schemas import MarkedRead, NotificationRead, SweepResult
from katchi.operations import Operation
from katchi.tasking import Rfa


def mark_read(session: Session, ctx: Context, notification_id: str, *, lang: str = "en") -> NotificationRead:
    """Mark one of the caller's notifications read (another's answers 404)."""
    principal = ctx.require()
    n = own_notification(session, principal, notification_id)
    if n.read_at is None:
        n.read_at = ctx.now
    session.flush()
    return notification_read(n, lang)


def mark_all_read(session: Session, ctx: Context) -> MarkedRead:
    """Mark every notification the caller sees read."""
    principal = ctx.require()
    ids = select(Notification.id).where(visible(principal), Notification.read_at.is_(None))
    done = session.execute(
        update(Notification)
        .where(Notification.id.in_(ids))
        .values(read_at=ctx.now)
        .execution_options(synchronize_session=False)
    )
    return MarkedRead(marked=done.rowcount or 0, unread=unread_count(session, principal))  # type: ignore[attr-defined]


def sweep_overdue(session: Session, ctx: Context) -> SweepResult:
    """Log ``notifications.rfa.overdue`` once for each open RFA past its needed-by time, by its
    operation's clock (an exercise's simulated time); the rules notify its coordinators. A system
    command: the server runs it every ``notification_sweep_seconds``, ``katchi notifications
    sweep`` on demand."""
    open_rfas = (Rfa.state.in_(OPEN_STATES), Rfa.needed_by.is_not(None))
    # A closed operation takes no step, this one included.
    active = select(Operation.id).where(Operation.status == "active")
    ops = session.scalars(select(Rfa.operation_id).where(*open_rfas, Rfa.operation_id.in_(active)).distinct()).all()
    found = 0
    for op_id in sorted(ops):
        now = ctx.occurred(session, op_id)
        late = session.scalars(select(Rfa).where(Rfa.operation_id == op_id, *open_rfas, Rfa.needed_by < now)).all()
        if not late:
            continue
        told = set(
            session.scalars(
                select(LogEntry.subject_id).where(LogEntry.operation_id == op_id, LogEntry.kind == RFA_OVERDUE.name)
            )
        )
        for rfa in sorted(late, key=lambda r: r.id):
            if rfa.id in told:
                continue
            assert rfa.needed_by is not None
            record(
                session,
                ctx,
                kind=RFA_OVERDUE.name,
                subject=Subject("rfa", rfa.id),
                label=rfa.label,
                operation_id=op_id,
                payload=RfaOverdue(needed_by=rfa.needed_by, state=rfa.state),
                occurred_at=now,
            )
            found += 1
    return SweepResult(overdue=found)
