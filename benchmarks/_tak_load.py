"""A bounded loopback TAK load generator: N devices over plain TCP, each sending a CoT position at
R per second (send time carried in the event) while reading everything the server sends it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import time
from dataclasses import dataclass, field

from tests.support.cot import pli

MARK = b'<bench t="'


def position(uid: str, lat: float, lon: float) -> bytes:
    """A position report carrying its send time (and sender, to tell echoes apart)."""
    bench = f'<__group name="Cyan" role="Team Member"/><bench t="{time.time():.6f}" u="{uid}"/>'
    return pli(uid, round(lat, 6), round(lon, 6), detail=bench)


@dataclass
class Result:
    sent: int = 0
    received: int = 0
    latencies: list[float] = field(default_factory=list)
    disconnected: int = 0


async def _device(
    uid: str, port: int, rate: float, start: float, until: float, drain_until: float, result: Result
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    rng = random.Random(uid)
    lat, lon = 37.5 + rng.uniform(-0.1, 0.1), 127.0 + rng.uniform(-0.1, 0.1)

    async def send() -> None:
        writer.write(position(uid, lat, lon))  # the first event identifies the device (warm-up)
        await writer.drain()
        await asyncio.sleep(max(0.0, start - time.time()) + rng.uniform(0, 1 / rate))
        while time.time() < until:
            writer.write(position(uid, lat + rng.uniform(-1e-3, 1e-3), lon))
            await writer.drain()
            result.sent += 1
            await asyncio.sleep(1 / rate)

    async def receive() -> None:
        buf = b""
        own = f' u="{uid}"'.encode()  # a server that echoes a device's own position: not a delivery
        while time.time() < drain_until:
            try:
                chunk = await asyncio.wait_for(reader.read(1 << 16), timeout=max(0.05, drain_until - time.time()))
            except TimeoutError:
                return
            if not chunk:
                result.disconnected += 1
                return
            now = time.time()
            buf += chunk
            pos = 0
            while (i := buf.find(MARK, pos)) >= 0:
                j = buf.find(b'"', i + len(MARK))
                if j < 0:
                    break
                sent_at = float(buf[i + len(MARK) : j])
                # the timed phase only (every device is connected by then), and not the device's own
                if sent_at >= start and not buf.startswith(own, j + 1):
                    result.latencies.append(now - sent_at)
                    result.received += 1
                pos = j
            buf = buf[pos:]

    sender = asyncio.create_task(send())
    try:
        await receive()
    finally:
        sender.cancel()
        with contextlib.suppress(BaseException):
            await sender
        writer.close()


async def run_load(
    port: int, uids: list[str], rate: float, seconds: float, drain: float = 5.0, warmup: float = 2.0
) -> Result:
    """Connect every device and identify it, wait ``warmup`` seconds, then send for ``seconds``
    and read for ``drain`` more; only the timed phase is counted."""
    result = Result()
    start = time.time() + warmup
    until = start + seconds
    await asyncio.gather(
        *(_device(uid, port, rate, start, until, until + drain, result) for uid in uids), return_exceptions=True
    )
    return result


def process_usage(pid: int) -> tuple[float, int]:
    """(CPU seconds used so far, resident memory in bytes) of a process and all its descendants,
    from /proc (FreeTAKServer runs its services as child processes)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}  # pid -> (parent, cpu seconds)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                stats[int(entry)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks)
    tree, grew = {pid}, True
    while grew:
        found = {p for p, (parent, _) in stats.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    cpu, rss = 0.0, 0
    for p in tree:
        with contextlib.suppress(OSError):
            with open(f"/proc/{p}/status") as f:
                rss += next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmRSS:"))
            cpu += stats.get(p, (0, 0.0))[1]
    return cpu, rss
