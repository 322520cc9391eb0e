"""A message that reaches Katchi through the TAK gateway's own process is found by search like
one posted through the API: every process that writes keeps the search index."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from sqlalchemy import select

from katchi import operations
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.interop.tak import register_device
from katchi.operations import Message
from katchi.search import SearchDocument
from tests.support.cot import pli
from tests.support.server import free_port
from tests.support.tak import Client
from tests.support.world import World, acting_as


def test_chat_through_the_gateway_process_is_indexed(db_url: str, db: Database, world: World) -> None:
    coord = acting_as(db, world, "coord")
    with transaction(db) as s:
        op = operations.create_operation(
            s, coord, operations.OperationCreate(name="Quake", hazard="earthquake", participants=["kor-army"])
        )
        register_device(s, Context(None, source="test"), "ANDROID-KOR-2", "roka", operation_id=op.id)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "katchi", "tak", "serve", "--tcp-port", str(port)],
        env=os.environ | {"KATCHI_DATABASE_URL": db_url},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client = Client(port)
                break
            except ConnectionRefusedError:
                assert time.monotonic() < deadline, "the gateway did not start"
                time.sleep(0.2)
        client.send(pli("ANDROID-KOR-2", 37.5, 127.0, kind="b-t-f", detail="<remarks>Landing zone clear</remarks>"))
        stored: list[str] = []
        while not stored and time.monotonic() < deadline:
            time.sleep(0.2)
            with db.read() as s:
                stored = list(s.scalars(select(Message.id)))
        assert stored, "the chat was not stored"
        with db.read() as s:
            indexed = set(s.scalars(select(SearchDocument.record_id)))
        assert set(stored) <= indexed
    finally:
        proc.terminate()
        proc.wait(timeout=20)
