"""A TAK device as a raw TCP client, and a gateway running in a thread, for tests."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from katchi.assets import PositionPolicy
from katchi.interop.tak.gateway import Limits
from katchi.interop.tak.run import serve
from tests.support.server import free_port


class Client:
    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.buf = b""

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def wait_for(self, needle: bytes, timeout: float = 15.0) -> bool:
        """Whether ``needle`` arrives within ``timeout``. The default is generous because it only
        bounds a failure on a loaded CI machine; tests that a thing does *not* arrive pass their
        own short timeout."""
        deadline = time.monotonic() + timeout
        while needle not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                return False
            if not chunk:
                return False
            self.buf += chunk
        return True

    def closed(self, timeout: float = 5.0) -> bool:
        self.sock.settimeout(timeout)
        try:
            while chunk := self.sock.recv(65536):
                self.buf += chunk
        except TimeoutError:
            return False
        except ConnectionError:
            return True
        return True


@contextmanager
def running_gateway(db_url: str, positions: PositionPolicy | None = None, **limits: Any) -> Iterator[int]:
    """A gateway on plain TCP (loopback) in a thread; ``limits``: ``Limits`` fields. Yields its port."""
    port = free_port()
    loop = asyncio.new_event_loop()
    ready, stop = asyncio.Event(), asyncio.Event()
    thread = threading.Thread(
        target=lambda: loop.run_until_complete(
            serve(db_url, tcp=("127.0.0.1", port), ready=ready, stop=stop, limits=Limits(**limits), positions=positions)
        ),
        daemon=True,
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not ready.is_set() and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield port
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)


@pytest.fixture
def gateway(db_url: str) -> Iterator[int]:
    with running_gateway(db_url) as port:
        yield port
