"""Run the gateway as its own process: database, group-commit writer, log feeder, TCP/TLS servers."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from pathlib import Path

# Every table and the hooks that go with them, such as the search index's, before the first write
# (this process writes the chat it receives).
import katchi.tables  # noqa: F401
from katchi.assets import PositionPolicy
from katchi.db import Database
from katchi.eventlog import Feeder, LiveBus, Writer
from katchi.interop.tak.gateway import Limits, TakGateway


def tls_context(cert: Path, key: Path, ca: Path) -> ssl.SSLContext:
    """TLS that requires a client certificate signed by ``ca`` (its common name is the device uid)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    ctx.load_verify_locations(ca)
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


async def serve(
    database_url: str,
    *,
    tcp: tuple[str, int] | None = None,
    tls: tuple[str, int, ssl.SSLContext] | None = None,
    ready: asyncio.Event | None = None,
    stop: asyncio.Event | None = None,
    limits: Limits | None = None,
    positions: PositionPolicy | None = None,
) -> None:
    """Serve plain TCP on ``tcp`` (host, port) and/or TLS on ``tls`` (host, port, context)."""
    if tcp is None and tls is None:
        raise ValueError("serve plain TCP, TLS or both")
    db = Database(database_url)
    bus = LiveBus(queue_max=100_000)
    feeder = Feeder(db, bus)
    writer = Writer(db, on_commit=feeder.offer)
    writer.start()
    feeder.start()
    gateway = TakGateway(db, writer, bus, limits=limits or Limits(), positions=positions or PositionPolicy())
    follower = asyncio.create_task(gateway.follow())
    watcher = asyncio.create_task(gateway.watch_users())
    servers = []
    if tcp is not None:
        servers.append(await gateway.serve(*tcp))
    if tls is not None:
        servers.append(await gateway.serve(*tls))
    if ready is not None:
        ready.set()
    try:
        await (stop.wait() if stop is not None else asyncio.Event().wait())
    finally:
        for s in servers:
            s.close()
        gateway.close_all()
        await asyncio.sleep(0.05)  # let the senders close their sockets
        for task in (follower, watcher):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        writer.stop()
        feeder.stop()
        db.dispose()
