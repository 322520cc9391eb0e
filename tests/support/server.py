"""A real uvicorn server in a background thread, for tests that need HTTP and SSE end to end."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import uvicorn
from fastapi import FastAPI

from katchi.settings import Settings
from katchi.web import create_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LiveServer:
    url: str
    app: FastAPI

    @classmethod
    @contextmanager
    def start(cls, db_url: str, **settings: object) -> Iterator[LiveServer]:
        port = free_port()
        app = create_app(Settings(database_url=db_url, stream_ping_seconds=1.0, **settings))  # type: ignore[arg-type]
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", access_log=False, timeout_graceful_shutdown=1
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            if time.monotonic() > deadline or not thread.is_alive():
                raise RuntimeError("test server did not start")
            time.sleep(0.02)
        try:
            yield cls(f"http://127.0.0.1:{port}", app)
        finally:
            server.should_exit = True
            thread.join(timeout=10)

    def client(self, token: str | None = None, **kw: object) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url + "/api/v1", headers=headers, timeout=10, **kw)  # type: ignore[arg-type]


def wait_until_up(url: str, proc: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """Poll ``url`` until it answers 200; fail if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(url).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not start")


@contextmanager
def katchi_process(db_url: str) -> Iterator[str]:
    """A real ``katchi serve`` subprocess on a free loopback port; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "katchi", "serve", "--port", str(port), "--log-level", "warning"],
        env=os.environ | {"KATCHI_DATABASE_URL": db_url},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/healthz", proc)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
