"""Matches are ranked by relevance a block of the newest at a time: paging through them returns
every readable match once, the best of each block first."""

from __future__ import annotations

import pytest

from katchi.db import Database
from katchi.eventlog import transaction
from katchi.operations import LogCreate, OperationCreate, create_operation, post_log
from katchi.search import queries, search
from tests.support.world import World, acting_as


def test_paging_returns_every_match_once_best_first_in_each_block(
    db: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = acting_as(db, world, "coord")
    texts = ["water", "water water water", "roads", "water water", "water and roads", "water " * 5, "water"]
    with transaction(db) as s:
        op = create_operation(s, ctx, OperationCreate(name="x", hazard="flood", participants=[]))
        ids = [post_log(s, ctx, op.id, LogCreate(text=t)).id for t in texts]
    matching = [i for i, t in zip(ids, texts, strict=True) if "water" in t]
    monkeypatch.setattr(queries, "BLOCK", 3)
    pages: list[list[str]] = []
    cursor = None
    while True:
        with db.read() as s:
            hits, cursor = search(s, ctx.principal, "water", cursor=cursor, limit=2)
        pages.append([h.id for h in hits])
        if cursor is None:
            break
    found = [i for page in pages for i in page]
    assert sorted(found) == sorted(matching) and len(found) == len(set(found))
    # Blocks of three, newest first: "water", "water"×5, "water and roads" — ranked: the most
    # mentions, then the shorter text; then the older three: "water"×3, "water"×2, "water".
    newest = list(reversed(matching))
    assert found == [newest[1], newest[0], newest[2], newest[4], newest[3], newest[5]]
