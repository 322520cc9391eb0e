"""Writes the notifications an event causes, in the transaction that logs the event.

``record()`` keeps a transaction's log rows in ``session.info`` until just before COMMIT; the
``before_commit`` hook below reads the rows not yet seen, applies the rules table and adds one
``Notification`` per recipient, which the commit then flushes with everything else. So a committed
event has its notifications and a rolled-back command has none (a command rolled back in its
SAVEPOINT has its rows removed before any commit sees them). Installed on import of the package,
which ``katchi.tables`` imports: every process that writes (server, CLI, TAK gateway, exercise
runner) imports it before its first write.

The hook only adds rows of its own table and reads others; it never changes what a command did,
and a rule that fails on an entry is logged and skipped rather than refusing the command.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from katchi.accounts import principal_of
from katchi.core import NotFound, new_id
from katchi.eventlog.record import PENDING
from katchi.notifications import mail
from katchi.notifications.models import Notification
from katchi.notifications.rules import RULES, USERS_CACHE, Candidate, Notice, Recipient
from katchi.operations import Operation, visible_operation

log = logging.getLogger(__name__)

_SEEN = "katchi_notified_entries"
_MAIL = "katchi_notification_mail"
EXERCISE_EN, EXERCISE_KO = "[EXERCISE] ", "[훈련 상황] "


def _recipient(session: Session, entry: Mapping[str, Any], candidate: Candidate) -> Recipient | None:
    """The candidate as a reader of the entry, or ``None`` if the read rule keeps the entry from
    them: the operation itself must be visible to them, and the entry's label readable."""
    if not candidate[0].active:
        return None  # disabled earlier in the same transaction (candidates are cached per transaction)
    principal = principal_of(*candidate)
    op_id = entry["operation_id"]
    participant = True
    if op_id is not None:
        try:
            participant = visible_operation(session, principal, op_id).participant
        except NotFound:
            return None
    who = Recipient(principal, participant)
    return who if who.reads(entry["label"]) else None


def notices(session: Session, entry: Mapping[str, Any]) -> list[tuple[Candidate, str, Notice]]:
    """Who is notified of ``entry``, of what kind, in which words (at most one notice per person)."""
    out: list[tuple[Candidate, str, Notice]] = []
    done: set[str] = {entry["actor_id"]} if entry["actor_id"] else set()
    for rule in RULES.get(entry["kind"], ()):
        if not rule.applies(entry):
            continue
        for candidate in rule.recipients(session, entry):
            if candidate[0].id in done:
                continue
            who = _recipient(session, entry, candidate)
            notice = rule.text(session, entry, who) if who is not None else None
            if notice is not None:
                done.add(candidate[0].id)
                out.append((candidate, rule.kind, notice))
    return out


def _exercise(session: Session, entry: Mapping[str, Any]) -> bool:
    op = session.get(Operation, entry["operation_id"]) if entry["operation_id"] else None
    return op is not None and op.mode == "exercise"


def _notify(session: Session) -> None:
    """``before_commit``: the notifications of the log rows this transaction added since the last look."""
    pending: list[dict[str, Any]] = session.info.get(PENDING) or []
    seen: set[str] = session.info.setdefault(_SEEN, set())
    fresh = [row for row in pending if row["id"] not in seen and row["kind"] in RULES]
    seen.update(row["id"] for row in pending)
    if not fresh:
        return
    # Autoflush stays on: the rules' queries see what the transaction's commands left unflushed
    # (an organisation that joined the operation in the same batch as a message to it).
    for entry in fresh:
        try:
            found = notices(session, entry)
        except SQLAlchemyError:
            raise  # the transaction is broken anyway: the command fails as it would have
        except Exception:
            # A rule that cannot read an entry (a payload it did not expect) must not refuse
            # the command: the event stands, without its notifications, and the fault is logged.
            log.exception("no notifications for log entry %s (%s)", entry["seq"], entry["kind"])
            continue
        marked = bool(found) and _exercise(session, entry)
        for (user, _org), kind, notice in found:
            en, ko = notice.en, notice.ko
            if marked:
                en, ko = EXERCISE_EN + en, EXERCISE_KO + ko
            notification = Notification(
                id=new_id(),
                user_id=user.id,
                kind=kind,
                entry_seq=entry["seq"],
                event_kind=entry["kind"],
                subject_type=entry["subject_type"],
                subject_id=entry["subject_id"],
                operation_id=entry["operation_id"],
                label=entry["label"],
                detail_label=notice.detail_label,
                text_en=en,
                text_ko=ko,
                created_at=entry["occurred_at"],
                read_at=None,
            )
            session.add(notification)
            if user.email and mail.configured():
                session.info.setdefault(_MAIL, []).append((notification, mail.Mail(user.email, en, ko)))


def _sent_after_commit(session: Session) -> None:
    """``after_commit``: hand the committed notifications' e-mails to the outbox (never inside
    the transaction; a mail that fails is logged and the notification stays)."""
    if session.in_nested_transaction():
        return
    queued = session.info.pop(_MAIL, None) or []
    _forget(session)
    # A notification of a command rolled back with an enclosing SAVEPOINT (after its own committed)
    # was expunged with it: only what the root commit kept is mailed.
    outgoing = [m for notification, m in queued if inspect(notification).persistent]
    if outgoing:
        mail.send_later(outgoing)


def _forget(session: Session) -> None:
    for key in (_SEEN, USERS_CACHE):
        session.info.pop(key, None)


def _forget_after_rollback(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_MAIL, None)
        _forget(session)


def install() -> None:
    """Notify as events are committed, in every session (idempotent)."""
    for name, fn in (
        ("before_commit", _notify),
        ("after_commit", _sent_after_commit),
        ("after_rollback", _forget_after_rollback),
    ):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)
