"""The live bus: filtered, ordered delivery; a reader that falls behind is closed, never grows memory."""

from __future__ import annotations

import asyncio

from katchi.eventlog import CLOSED, LiveBus, LiveEvent


def ev(seq: int, label: str = "alliance", op: str = "op") -> LiveEvent:
    return LiveEvent(seq, op, "k", label, b"")


def test_filtered_ordered_delivery_and_overflow() -> None:
    async def main() -> None:
        bus = LiveBus(queue_max=5)
        kor = bus.subscribe(lambda e: e.label in {"alliance", "nation:KOR"})
        other_op = bus.subscribe(lambda e: e.operation_id == "other")
        bus.publish([ev(1), ev(2, "nation:USA"), ev(3, "nation:KOR")])
        await asyncio.sleep(0)
        assert [kor.queue.get_nowait().seq for _ in range(2)] == [1, 3]
        assert other_op.queue.empty()
        bus.publish([ev(i) for i in range(4, 20)])  # more than the reader's queue holds
        await asyncio.sleep(0)
        assert kor.dropped and kor.closed
        items = [kor.queue.get_nowait() for _ in range(kor.queue.qsize())]
        assert items[-1] is CLOSED and len(items) <= 5
        bus.unsubscribe(kor)
        bus.unsubscribe(other_op)
        assert bus.subscribers == 0

    asyncio.run(main())


def test_overflow_keeps_the_oldest_events_so_a_resume_misses_nothing() -> None:
    """Regression (found by the console's browser test): making room for the close marker dropped
    the *oldest* queued event, so a reader resuming after the last event it got skipped it."""

    async def main() -> None:
        bus = LiveBus(queue_max=4)
        sub = bus.subscribe(lambda e: True)
        bus.publish([ev(i) for i in range(1, 11)])
        await asyncio.sleep(0)
        items = [sub.queue.get_nowait() for _ in range(sub.queue.qsize())]
        assert items[-1] is CLOSED
        assert [e.seq for e in items[:-1]] == [1, 2, 3]  # a gap-free prefix: resume from 3 gets 4…

    asyncio.run(main())
