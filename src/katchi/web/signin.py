"""Password sign-in for the console: the throttle (``accounts.login``), argon2 off the writer
thread and bounded in how many run and wait at once, and a queue per slowed client address.

Attempts being checked are counted as pending (per account, per account and address, per
address) from before the throttle is read until their outcome is written, so guesses sent all at
once meet the same limits as guesses sent one after another."""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Literal

from starlette.concurrency import run_in_threadpool

from katchi.accounts import (
    Gate,
    OpenedSession,
    Pending,
    ThrottlePolicy,
    Verified,
    login_gate,
    open_web_session,
    record_login_failure,
    verify_login,
)
from katchi.core.clock import utcnow
from katchi.core.context import Context
from katchi.core.net import address_key

if TYPE_CHECKING:
    from katchi.web.runtime import Runtime

security_log = logging.getLogger("katchi.security")
#: A slowed address waits this long before each attempt is checked.
SLOW_PAUSE_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Outcome:
    opened: OpenedSession | None
    #: Set when the answer is 429 or 503: seconds before trying again.
    retry_after: int | None = None
    #: Why it was refused: the account is locked, the address is slowed or busy, the server is busy.
    refused: Literal["account", "address", "busy"] | None = None


class SignIn:
    def __init__(self, rt: Runtime) -> None:
        s = rt.settings
        self._rt = rt
        self._policy = ThrottlePolicy(
            window=timedelta(seconds=s.login_window_seconds),
            per_account=s.login_account_failures,
            per_account_anywhere=s.login_account_failures_anywhere,
            per_address=s.login_address_failures,
        )
        self._lifetime = timedelta(hours=s.session_hours)
        self._hashing = asyncio.Semaphore(max(1, s.login_hash_concurrency))
        self._in_flight_max = s.login_address_in_flight
        self._waiting_max = s.login_waiting_max
        self._waiting = 0
        self._pending: Counter[tuple[str, ...]] = Counter()
        self._queues: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def attempt(self, username: str, password: str, client: str) -> Outcome:
        address = address_key(client)
        keys = (("account", username), ("here", username, address), ("address", address))
        if self._pending[keys[2]] >= self._in_flight_max:
            return Outcome(None, 1, "address")
        if self._waiting >= self._waiting_max:
            security_log.warning("sign-in refused: %d attempts already wait to be checked", self._waiting)
            return Outcome(None, 2, "busy")
        pending = Pending(*(self._pending[k] for k in keys))
        self._pending.update(keys)  # reserved before the throttle is read: no burst slips past it
        later = False  # True: the reservation ends when the failure is written, not here
        try:
            rt = self._rt

            def gate() -> Gate:
                with rt.db.read() as s:
                    return login_gate(s, username, address, utcnow(), self._policy, pending)

            g = await run_in_threadpool(gate)
            if g.locked_for is not None:
                security_log.warning("sign-in refused: %r is locked after repeated failures (%s)", username, address)
                return Outcome(None, g.locked_for, "account")
            if not g.slowed:
                outcome, later = await self._check(username, password, address, keys, slowed=False)
                return outcome
            queue = self._queues.get(address)
            if queue is None:
                queue = self._queues[address] = asyncio.Lock()
            async with queue:
                await asyncio.sleep(SLOW_PAUSE_SECONDS)
                outcome, later = await self._check(username, password, address, keys, slowed=True)
                return outcome
        finally:
            if not later:
                self._release(keys)

    def _release(self, keys: tuple[tuple[str, ...], ...]) -> None:
        self._pending.subtract(keys)
        for k in keys:
            if self._pending[k] <= 0:
                del self._pending[k]

    async def _check(
        self, username: str, password: str, address: str, keys: tuple[tuple[str, ...], ...], *, slowed: bool
    ) -> tuple[Outcome, bool]:
        """The outcome, and whether the reservation is released later (by the failure's write)."""
        rt = self._rt

        def check() -> Verified | None:
            with rt.db.read() as s:
                return verify_login(s, username, password)

        self._waiting += 1
        try:
            await self._hashing.acquire()
        finally:
            self._waiting -= 1
        try:
            verified = await run_in_threadpool(check)
        finally:
            self._hashing.release()
        ctx = Context(None, source="web")
        if verified is not None:
            opened = await asyncio.wrap_future(
                rt.writer.submit(lambda s: open_web_session(s, ctx, username, verified, lifetime=self._lifetime))
            )
            return Outcome(opened), False
        # Answer at once: waiting for the write would tell a known account (whose failure is also
        # logged) from an unknown name. The attempt stays pending until its failure is written.
        loop = asyncio.get_running_loop()
        written = rt.writer.submit(lambda s: record_login_failure(s, ctx, username, address, self._policy))
        written.add_done_callback(lambda _: loop.call_soon_threadsafe(self._release, keys))
        return (Outcome(None, int(SLOW_PAUSE_SECONDS), "address") if slowed else Outcome(None)), True
