"""Password sign-in for the console: the throttle (``accounts.login``), argon2 off the writer
thread and bounded in how many run at once, and a queue per slowed client address."""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from starlette.concurrency import run_in_threadpool

from katchi.accounts import (
    Gate,
    OpenedSession,
    ThrottlePolicy,
    Verified,
    login_gate,
    open_web_session,
    record_login_failure,
    verify_login,
)
from katchi.core.clock import utcnow
from katchi.core.context import Context

if TYPE_CHECKING:
    from katchi.web.runtime import Runtime

security_log = logging.getLogger("katchi.security")
#: A slowed address waits this long before each attempt is checked.
SLOW_PAUSE_SECONDS = 1.0


@dataclass(frozen=True, slots=True)
class Outcome:
    opened: OpenedSession | None
    #: Set when the answer is 429: seconds before trying again.
    retry_after: int | None = None


class SignIn:
    def __init__(self, rt: Runtime) -> None:
        s = rt.settings
        self._rt = rt
        self._policy = ThrottlePolicy(
            timedelta(seconds=s.login_window_seconds), s.login_account_failures, s.login_address_failures
        )
        self._lifetime = timedelta(hours=s.session_hours)
        self._hashing = asyncio.Semaphore(max(1, s.login_hash_concurrency))
        self._queues: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()

    async def attempt(self, username: str, password: str, address: str) -> Outcome:
        rt = self._rt

        def gate() -> Gate:
            with rt.db.read() as s:
                return login_gate(s, username, address, utcnow(), self._policy)

        g = await run_in_threadpool(gate)
        if g.locked_for is not None:
            security_log.warning("sign-in refused: %r is locked after repeated failures (from %s)", username, address)
            return Outcome(None, g.locked_for)
        if not g.slowed:
            return await self._check(username, password, address, slowed=False)
        queue = self._queues.get(address)
        if queue is None:
            queue = self._queues[address] = asyncio.Lock()
        async with queue:
            await asyncio.sleep(SLOW_PAUSE_SECONDS)
            return await self._check(username, password, address, slowed=True)

    async def _check(self, username: str, password: str, address: str, *, slowed: bool) -> Outcome:
        rt = self._rt

        def check() -> Verified | None:
            with rt.db.read() as s:
                return verify_login(s, username, password)

        async with self._hashing:
            verified = await run_in_threadpool(check)
        ctx = Context(None, source="web")
        if verified is not None:
            opened = await asyncio.wrap_future(
                rt.writer.submit(lambda s: open_web_session(s, ctx, username, verified, lifetime=self._lifetime))
            )
            if opened is not None:
                return Outcome(opened)
        else:
            await asyncio.wrap_future(rt.writer.submit(lambda s: record_login_failure(s, ctx, username, address)))
        return Outcome(None, int(SLOW_PAUSE_SECONDS) if slowed else None)
