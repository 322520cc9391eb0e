"""The gateway's send queues are bounded: a device that does not read is cut off (its connection
aborted at once, even while its sender waits on a full socket) and the others are untouched."""

from __future__ import annotations

import asyncio
from typing import Any
from unittest.mock import MagicMock

from katchi.core.access import Principal, Role
from katchi.interop.tak.devices import Device
from katchi.interop.tak.gateway import Connection, Limits, TakGateway


def _conn(uid: str, queue_max: int) -> Connection:
    principal = Principal("u", uid, Role.asset_manager, "org-1", "roka", "military", "KOR")
    writer: Any = MagicMock()
    writer.transport.get_write_buffer_size.return_value = 0
    writer.get_extra_info.return_value = None
    return Connection(Device(uid, principal, None), writer, asyncio.Queue(queue_max))


def test_a_full_queue_drops_only_that_device() -> None:
    async def main() -> None:
        gateway = TakGateway(MagicMock(), MagicMock(), MagicMock(), limits=Limits(queue_max=5))
        slow, fast = _conn("SLOW", 5), _conn("FAST", 1000)
        gateway._by_org["org-1"] = {slow, fast}
        for i in range(20):
            gateway._offer_raw(slow, b"<event/>%d" % i)
            gateway._offer_raw(fast, b"<event/>%d" % i)
        assert slow.closed and slow.writer.transport.abort.called
        assert slow not in gateway._by_org["org-1"] and fast in gateway._by_org["org-1"]
        assert slow.queue.qsize() == 5  # bounded: nothing beyond the limit was kept
        assert fast.queue.qsize() == 20 and not fast.closed
        assert gateway.stats.dropped_connections == 1

    asyncio.run(main())


def test_the_gateways_caches_are_bounded_and_forget_an_operation_that_changed() -> None:
    gateway = TakGateway(MagicMock(), MagicMock(), MagicMock())
    for i in range(30_000):
        gateway._records[f"r{i}"] = {"_record": "incident"}
        gateway._operation_views[(f"org{i}", "op")] = True
    assert len(gateway._records) <= 20_000 and len(gateway._operation_views) <= 10_000
    gateway._operation_views[("org-a", "op1")] = True
    gateway._operation_views[("org-b", "op1")] = None
    gateway._operation_views[("org-a", "op2")] = False
    gateway._forget_operation("op1")
    assert ("org-a", "op1") not in gateway._operation_views and ("org-b", "op1") not in gateway._operation_views
    assert gateway._operation_views[("org-a", "op2")] is False
