"""Taking credentials back reaches connections already open: within 5 seconds a revoked token
gets 401 and its live stream closes; a disabled user's console session and stream end; and the
sign-in throttle locks a guessed account without refusing anyone else behind the same address."""

from __future__ import annotations

import time

import httpx
from sqlalchemy import func, select

from katchi.accounts import disable_user, revoke_user_tokens, set_password
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import LogEntry, transaction
from tests.support.api import create_operation
from tests.support.browser import PASSWORD
from tests.support.server import LiveServer
from tests.support.world import World
from tests.web.test_console_auth import _login


def system() -> Context:  # as `katchi token revoke` / `katchi user disable` act
    """A fresh system context (its ``now`` is when it is made)."""
    return Context(None, source="cli")


LIMIT = 5.0


def _stream_ends(client: httpx.Client, path: str, then: object) -> float:
    """Open a live stream, run ``then``, and return how long after it the server closed the stream."""
    with client.stream("GET", path, headers={"Accept": "text/event-stream"}, timeout=15) as resp:
        assert resp.status_code == 200
        chunks = resp.iter_bytes()
        assert next(chunks).startswith(b"retry: 1000\n: ping")  # connected, told to come back after 1 s
        started = time.monotonic()
        then()  # type: ignore[operator]
        for _ in chunks:  # keep-alives until the server hangs up
            assert time.monotonic() - started < LIMIT + 5, "the stream was not closed"
        return time.monotonic() - started


def _until(check: object) -> float:
    started = time.monotonic()
    while not check():  # type: ignore[operator]
        assert time.monotonic() - started < LIMIT + 5
        time.sleep(0.1)
    return time.monotonic() - started


def test_a_revoked_token_gets_401_and_its_open_stream_closes_within_5_s(
    db: Database, world: World, server: LiveServer
) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-army"])
    assert coord.get("/me").status_code == 200  # its principal is now cached

    def revoke() -> None:
        with transaction(db) as s:
            revoke_user_tokens(s, system(), "coord")

    closed_after = _stream_ends(coord, f"/operations/{op['id']}/stream", revoke)
    assert closed_after < LIMIT
    assert _until(lambda: coord.get("/me").status_code == 401) < LIMIT
    answer = coord.get("/me")
    assert answer.status_code == 401 and "revoked" in answer.json()["detail"]
    assert server.client(world.tokens["uscoord"]).get("/me").status_code == 200


def test_disabling_a_user_ends_their_console_session_and_stream_within_5_s(
    db: Database, world: World, server: LiveServer
) -> None:
    with transaction(db) as s:
        set_password(s, system(), "coord", PASSWORD)
    op = create_operation(server.client(world.tokens["coord"]), ["kor-army"])
    browser, signed_in = _login(server, "coord")
    assert signed_in.status_code == 303 and browser.get("/").status_code == 200

    def disable() -> None:
        with transaction(db) as s:
            disable_user(s, system(), "coord")

    assert _stream_ends(browser, f"/api/v1/operations/{op['id']}/stream", disable) < LIMIT
    page = browser.get("/")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    assert browser.get("/api/v1/me").status_code == 401
    assert server.client(world.tokens["coord"]).get("/me").status_code == 401


def test_five_failures_lock_an_account_not_its_neighbours(db: Database, world: World, server: LiveServer) -> None:
    with transaction(db) as s:
        for user in ("coord", "province"):
            set_password(s, system(), user, PASSWORD)
    for _ in range(5):
        _, wrong = _login(server, "coord", "not the password at all")
        assert wrong.status_code == 401
    _, locked = _login(server, "coord")  # even the right password waits
    assert locked.status_code == 429 and 240 <= int(locked.headers["retry-after"]) <= 301
    assert "Too many failed sign-ins. Try again in 5 minutes." in locked.text
    _, ko = _login(server, "coord", "wrong", lang="ko")
    assert ko.status_code == 429 and "로그인 실패가 너무 많습니다. 5분 후에 다시 시도하세요." in ko.text
    # Someone else behind the same address signs in at once.
    _, neighbour = _login(server, "province")
    assert neighbour.status_code == 303
    with db.read() as s:
        failures = s.scalars(select(LogEntry.payload).where(LogEntry.kind == "accounts.login.failed")).all()
    assert len(failures) == 5 and failures[0] == {"username": "coord", "address": "127.0.0.1"}


def test_a_busy_address_is_slowed_but_a_right_password_still_gets_in(db: Database, world: World) -> None:
    with transaction(db) as s:
        set_password(s, system(), "province", PASSWORD)
    with LiveServer.start(str(db.url), login_address_failures=3) as server:
        for name in ("nobody-1", "nobody-2", "nobody-3"):  # three names, one failure each: no account locked
            _, wrong = _login(server, name, "guess")
            assert wrong.status_code == 401
        started = time.monotonic()
        _, slowed = _login(server, "nobody-4", "guess")
        assert slowed.status_code == 429 and slowed.headers["retry-after"] == "1"
        assert time.monotonic() - started >= 1.0
        _, right = _login(server, "province")
        assert right.status_code == 303


def test_guesses_sent_all_at_once_do_not_get_past_the_lock(db: Database, world: World, server: LiveServer) -> None:
    import concurrent.futures

    with transaction(db) as s:
        set_password(s, system(), "coord", PASSWORD)
    with concurrent.futures.ThreadPoolExecutor(25) as pool:
        answers = list(pool.map(lambda i: _login(server, "coord", f"guess number {i}")[1].status_code, range(25)))
    assert answers.count(401) <= 5 and set(answers) <= {401, 429}, answers
    with db.read() as s:
        logged = s.scalar(select(func.count()).select_from(LogEntry).where(LogEntry.kind == "accounts.login.failed"))
    assert logged is not None and logged <= 5


def test_a_guesser_from_elsewhere_cannot_lock_a_user_out_of_their_own_address(
    db: Database, world: World, server: LiveServer
) -> None:
    """Failures lock an account per address; a higher account-wide threshold bounds guessing from
    many addresses. (The test server sees every client as 127.0.0.1, so failures are recorded as
    another address's, as a guesser elsewhere would leave them.)"""
    from datetime import timedelta

    from katchi.accounts import record_login_failure

    with transaction(db) as s:
        set_password(s, system(), "coord", PASSWORD)
        for _ in range(6):
            record_login_failure(s, system(), "coord", "198.51.100.7")
    _, mine = _login(server, "coord")
    assert mine.status_code == 303  # 127.0.0.1 has no failures: the owner signs in
    with transaction(db) as s:
        for i in range(20):
            ctx = Context(None, source="web", now=system().now - timedelta(seconds=i))
            record_login_failure(s, ctx, "coord", f"203.0.113.{i}")
    _, everywhere = _login(server, "coord")
    assert everywhere.status_code == 429  # guessed from many addresses: locked everywhere
