"""Password sign-in with a throttle that does not harm the innocent.

Failures are counted over a window, in the database (every server of a deployment counts the same
attempts); attempts still being checked count too (``pending``), so guesses sent all at once do
not slip past:

- an account with ``per_account`` failures from one address is locked for that address for the
  rest of the window (429 with Retry-After, without checking the password), and with
  ``per_account_anywhere`` failures from any addresses it is locked everywhere: guessing one
  account's password is slow, and a guesser elsewhere cannot lock its owner out with a few tries;
- an address with ``per_address`` failures is *slowed*, not locked: its attempts are still checked
  (a right password is never refused because of other accounts' failures from the same CMOC NAT),
  one at a time and after a pause, and a wrong one answers 429.

Verifying runs in a read transaction off the writer thread; only the outcome (a session, or one
failure row) is written.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from katchi.accounts.events import LOGIN_FAILED, LoginFailed
from katchi.accounts.models import LoginFailure, Organisation, User
from katchi.accounts.passwords import Verified, verify
from katchi.core.context import Context
from katchi.eventlog import Subject, record

security_log = logging.getLogger("katchi.security")

#: Failures older than this are deleted now and then (the window is minutes; a day keeps evidence).
KEEP_FAILURES = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    window: timedelta = timedelta(minutes=5)
    per_account: int = 5
    per_account_anywhere: int = 20
    per_address: int = 50


@dataclass(frozen=True, slots=True)
class Pending:
    """Attempts being checked now (in this process): counted as if they had failed."""

    account: int = 0
    account_here: int = 0
    address: int = 0


@dataclass(frozen=True, slots=True)
class Gate:
    #: Seconds until the account may try again; None when it may try now.
    locked_for: int | None
    #: The address is over its threshold: check one attempt at a time, and answer 429 when wrong.
    slowed: bool


def login_gate(
    session: Session, username: str, address: str, now: datetime, policy: ThrottlePolicy, pending: Pending = Pending()
) -> Gate:
    """Whether ``username`` may try now from ``address`` (an ``address_key``)."""
    since = now - policy.window
    base = select(LoginFailure.at).where(LoginFailure.username == username, LoginFailure.at > since)
    here = session.scalars(
        base.where(LoginFailure.address == address).order_by(LoginFailure.at.desc()).limit(policy.per_account)
    ).all()
    anywhere = session.scalars(base.order_by(LoginFailure.at.desc()).limit(policy.per_account_anywhere)).all()
    locked_for = None
    for failures, pending_now, limit in (
        (here, pending.account_here, policy.per_account),
        (anywhere, pending.account, policy.per_account_anywhere),
    ):
        if len(failures) + pending_now >= limit:
            # Free again when the oldest failure that counts leaves the window (attempts still being
            # checked: in a moment).
            counted = failures[: max(0, limit - pending_now)]
            wait = int((counted[-1] + policy.window - now).total_seconds()) + 1 if counted else 2
            locked_for = max(locked_for or 0, max(1, wait))
    by_address = session.scalar(
        select(func.count()).select_from(LoginFailure).where(LoginFailure.address == address, LoginFailure.at > since)
    )
    return Gate(locked_for, (by_address or 0) + pending.address >= policy.per_address)


def verify_login(session: Session, username: str, password: str) -> Verified | None:
    """Check a password (argon2id, ~130 ms on 2 cores): call from a worker thread with a read session."""
    stored = session.scalar(select(User.password_hash).where(User.username == username, User.active.is_(True)))
    return verify(stored, password)


def record_login_failure(
    session: Session, ctx: Context, username: str, address: str, policy: ThrottlePolicy = ThrottlePolicy()
) -> None:
    """Count a wrong password. For an existing account it is also a security event in the log, at
    most ``per_account_anywhere`` per window (the throttle allows no more), so guessers cannot
    flood the chained log."""
    earlier = session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(LoginFailure.username == username, LoginFailure.at > ctx.now - policy.window)
    )
    session.add(LoginFailure(username=username[:100], address=address[:64], at=ctx.now))
    security_log.warning("sign-in failed for %r from %s", username[:100], address)
    if (earlier or 0) >= policy.per_account_anywhere:
        return
    row = session.execute(
        select(User.id, Organisation.slug)
        .join(Organisation, Organisation.id == User.org_id)
        .where(User.username == username)
    ).first()
    if row is not None:
        record(
            session,
            ctx,
            kind=LOGIN_FAILED.name,
            subject=Subject("user", row[0]),
            label=f"org:{row[1]}",
            payload=LoginFailed(username=username, address=address),
        )
    if (session.scalar(select(func.max(LoginFailure.id))) or 0) % 500 == 0:
        session.execute(delete(LoginFailure).where(LoginFailure.at < ctx.now - KEEP_FAILURES))
