"""The TAK port can face a field network: one connection per device uid, a deadline to identify,
a cap on connections per address, and a send queue bounded in bytes."""

from __future__ import annotations

import socket
import time

from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.interop.tak import register_device
from tests.support.cot import pli
from tests.support.tak import Client, running_gateway
from tests.support.world import World


def _devices(db: Database, *uids: str) -> None:
    with transaction(db) as s:
        for uid in uids:
            register_device(s, Context(None, source="test"), uid, "roka")


def test_a_second_connection_of_the_same_uid_replaces_the_first(db: Database, world: World, gateway: int) -> None:
    _devices(db, "ANDROID-KOR-1", "ANDROID-KOR-2")
    first, other = Client(gateway), Client(gateway)
    first.send(pli("ANDROID-KOR-1", 37.0, 127.0))
    other.send(pli("ANDROID-KOR-2", 37.0, 127.0))
    assert first.wait_for(b"TakControl") and other.wait_for(b"TakControl")
    twin = Client(gateway)
    twin.send(pli("ANDROID-KOR-1", 37.1, 127.1))
    assert twin.wait_for(b"TakControl")
    assert first.closed(timeout=5.0)  # no twins: the older connection goes
    other.buf = b""
    twin.send(pli("ANDROID-KOR-1", 37.2, 127.2))
    assert other.wait_for(b'lat="37.2"')  # the new one is the device now
    assert not twin.closed(timeout=0.3)


def test_a_connection_that_does_not_identify_in_time_is_closed(db: Database, world: World, db_url: str) -> None:
    _devices(db, "ANDROID-KOR-1")
    with running_gateway(db_url, identify_seconds=0.5) as port:
        silent = Client(port)
        started = time.monotonic()
        assert silent.closed(timeout=3.0) and time.monotonic() - started < 2.0
        dribble = Client(port)  # a byte at a time, never a whole event
        started = time.monotonic()
        for ch in pli("ANDROID-KOR-1", 37.0, 127.0)[:60]:
            try:
                dribble.send(bytes([ch]))
            except OSError:
                break
            time.sleep(0.02)
        assert dribble.closed(timeout=3.0) and time.monotonic() - started < 3.0
        prompt = Client(port)
        prompt.send(pli("ANDROID-KOR-1", 37.0, 127.0))
        assert prompt.wait_for(b"TakControl") and not prompt.closed(timeout=1.0)  # identified: no deadline


def test_connections_per_address_are_capped(db: Database, world: World, db_url: str) -> None:
    _devices(db, "ANDROID-KOR-1", "ANDROID-KOR-2")
    with running_gateway(db_url, per_address=2) as port:
        a, b = Client(port), Client(port)
        a.send(pli("ANDROID-KOR-1", 37.0, 127.0))
        b.send(pli("ANDROID-KOR-2", 37.0, 127.0))
        assert a.wait_for(b"TakControl") and b.wait_for(b"TakControl")
        try:
            third = Client(port)
            refused = third.closed(timeout=2.0)
        except ConnectionError:  # reset while connecting
            refused = True
        assert refused
        a.sock.close()
        time.sleep(0.3)
        again = Client(port)
        again.send(pli("ANDROID-KOR-1", 37.0, 127.0))
        assert again.wait_for(b"TakControl")


def test_a_device_that_does_not_read_is_let_go_when_its_queue_passes_its_byte_limit(
    db: Database, world: World, db_url: str
) -> None:
    _devices(db, "ANDROID-KOR-1", "ANDROID-KOR-2")
    with running_gateway(db_url, queue_bytes=256 * 1024) as port:
        reader = socket.create_connection(("127.0.0.1", port))
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        reader.sendall(pli("ANDROID-KOR-2", 37.0, 127.0))
        talker = Client(port)
        talker.send(pli("ANDROID-KOR-1", 37.0, 127.0))
        assert talker.wait_for(b"TakControl")
        big = pli("ANDROID-KOR-1", 37.0, 127.0, detail=f"<remarks>{'x' * 40_000}</remarks>")
        for _ in range(400):  # 16 MB for the reader, which reads nothing: far fewer events than queue_max
            talker.send(big)
        reader.settimeout(5.0)
        deadline = time.monotonic() + 10
        closed = False
        while time.monotonic() < deadline and not closed:
            try:
                closed = reader.recv(1 << 20) == b""
            except (ConnectionError, TimeoutError):
                closed = True
        assert closed
        assert not talker.closed(timeout=0.3)  # the talker is unaffected
