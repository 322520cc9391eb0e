"""Group commit: a refused command is rolled back alone; the live feed stays complete and ordered
when this process's writer and another process both write."""

from __future__ import annotations

import asyncio
import threading

import pytest
from sqlalchemy import select

from katchi.accounts import principal_for_token
from katchi.core import Invalid
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import Feeder, LiveBus, LiveEvent, Writer, transaction, verify_log
from katchi.operations import LogCreate, OperationCreate, OpsLogEntry, create_operation, post_log
from tests.support.world import World


def _ctx(db: Database, world: World) -> Context:
    with db.read() as s:
        return Context(principal_for_token(s, world.tokens["coord"]), source="test")


def test_a_refused_command_is_rolled_back_alone(db: Database, world: World) -> None:
    ctx = _ctx(db, world)
    with transaction(db) as s:
        op = create_operation(s, ctx, OperationCreate(name="op", hazard="flood"))
    writer = Writer(db)
    writer.start()
    gate = threading.Event()
    blocker = writer.submit(lambda s: gate.wait(5))  # hold the writer so the next three share a batch
    ok1 = writer.submit(lambda s: post_log(s, ctx, op.id, LogCreate(text="first")))
    bad = writer.submit(lambda s: post_log(s, ctx, op.id, LogCreate(text="bad", label="nation:XXX")))
    ok2 = writer.submit(lambda s: post_log(s, ctx, op.id, LogCreate(text="second")))
    gate.set()
    blocker.result(5)
    assert ok1.result(5).text == "first" and ok2.result(5).text == "second"
    with pytest.raises(Invalid):
        bad.result(5)
    writer.stop()
    with db.read() as s:
        assert sorted(s.scalars(select(OpsLogEntry.text))) == ["first", "second"]
    assert verify_log(db).ok


def test_feed_is_complete_and_ordered_with_a_second_writer_process(db: Database, world: World) -> None:
    ctx = _ctx(db, world)
    with transaction(db) as s:
        op = create_operation(s, ctx, OperationCreate(name="op", hazard="flood"))
    bus = LiveBus()
    feeder = Feeder(db, bus, poll_seconds=0.05)
    writer = Writer(db, on_commit=feeder.offer)
    got: list[LiveEvent] = []

    async def main() -> None:
        sub = bus.subscribe(lambda ev: ev.operation_id == op.id)
        feeder.start()
        writer.start()
        other = Database(db.url)  # stands in for another process writing to the same database
        for i in range(30):
            if i % 3 == 0:
                with transaction(other) as s:
                    post_log(s, ctx, op.id, LogCreate(text=f"other {i}"))
            else:
                await asyncio.wrap_future(
                    writer.submit(lambda s, i=i: post_log(s, ctx, op.id, LogCreate(text=f"w {i}")))
                )
        other.dispose()
        while len(got) < 30:
            got.append(await asyncio.wait_for(sub.queue.get(), 5))

    try:
        asyncio.run(main())
    finally:
        writer.stop()
        feeder.stop()
    seqs = [e.seq for e in got]
    assert seqs == sorted(seqs) and len(set(seqs)) == 30
    assert seqs == list(range(seqs[0], seqs[0] + 30))
    assert verify_log(db).ok
