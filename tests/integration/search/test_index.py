"""The index is kept in step with the records in the transactions that write them: rebuilding it
from the records gives the same rows, and ``katchi search reindex`` / ``db upgrade`` rebuild it."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import select, update

from katchi import lessons, operations, search
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.search import SearchDocument, SearchState
from katchi.search import index as index_module
from tests.e2e.test_cli import katchi
from tests.support.api import create_operation, ok
from tests.support.server import LiveServer
from tests.support.world import World, acting_as, user_token


def _rows(db: Database) -> set[tuple[Any, ...]]:
    with db.read() as s:
        return {
            (d.type, d.record_id, d.operation_id, d.label, d.title["en"], d.title["ko"], d.terms)
            for d in s.scalars(select(SearchDocument))
        }


def test_rebuilding_gives_the_rows_the_commands_wrote(server: LiveServer, world: World, db: Database) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-redcross"])["id"]
    ok(coord.post(f"/operations/{op}/log", json={"text": "대피소를 추가로 개설함", "label": "nation:KOR"}), 201)
    ok(coord.post(f"/operations/{op}/decisions", json={"title": "Open shelters", "rationale": "Rain tonight"}), 201)
    ok(coord.post(f"/operations/{op}/messages", json={"text": "구호물자 도착"}), 201)
    manager = server.client(user_token(db, "ll-manager", "kor-cmoc", "lessons_manager"))
    lesson = ok(manager.post("/observations", json={"title": {"ko": "명단 지연"}, "observation": {"en": "Late"},
                                                    "label": "nation:KOR"}), 201)["id"]  # fmt: skip
    ok(manager.post(f"/lessons/{lesson}/actions/validate", json={"root_cause": {"en": "Fax"}}))
    incremental = _rows(db)
    assert {r[0] for r in incremental} == {"log", "decision", "message", "lesson"}

    with db.write_session() as s, s.begin():
        assert search.rebuild(s)["documents"] == 4
    assert _rows(db) == incremental
    with db.write_session() as s, s.begin():
        assert search.ensure_current(s) is None  # built by this analyser: nothing to do
        s.execute(update(SearchState).values(value="0"))
    with db.write_session() as s, s.begin():
        built = search.ensure_current(s)
    assert built is not None and built["documents"] == 4 and _rows(db) == incremental


def test_the_command_line_builds_the_index(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    upgraded = katchi(["db", "upgrade"], url)
    assert upgraded.returncode == 0 and "search index built: 0 records" in upgraded.stdout
    assert "search index built" not in katchi(["db", "upgrade"], url).stdout  # already current
    assert katchi(["seed", "demo"], url).returncode == 0
    db = Database(url)
    try:
        seeded = _rows(db)
        assert seeded  # the demo's log entries, decisions and messages were indexed as they were written
        again = katchi(["search", "reindex"], url)
        assert again.returncode == 0 and f"search index built: {len(seeded)} records" in again.stdout
        assert _rows(db) == seeded
    finally:
        db.dispose()


def test_rebuilding_while_a_server_writes_loses_and_doubles_nothing(
    db: Database, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rebuild holds the write lock from its start, so a server's command waits for it: a
    command between its delete and its re-read would otherwise fail (an edited record's index row
    is gone: a stale update) or be indexed twice (PostgreSQL: a unique violation)."""
    coord = acting_as(db, world, "coord")
    with transaction(db) as s:
        op = operations.create_operation(s, coord, operations.OperationCreate(name="Quake", hazard="earthquake"))
        body = lessons.ObservationCreate.model_validate({"title": {"en": "Late lists"}, "observation": {"en": "x"}})
        lesson = lessons.record_observation(s, coord, body)
    deleted, go = threading.Event(), threading.Event()
    records = index_module._records

    def paused(session: Any) -> Any:
        deleted.set()
        go.wait(30)
        yield from records(session)

    monkeypatch.setattr(index_module, "_records", paused)
    failures: list[str] = []
    server = Database(db.url)  # another process's connections, as a running server has

    def rebuild() -> None:
        try:
            with db.write_session() as s, s.begin():
                search.rebuild(s)
        except Exception as exc:
            failures.append(f"rebuild: {exc!r}")

    def write() -> None:
        try:
            with transaction(server) as s:
                operations.post_message(s, coord, op.id, operations.MessageCreate(text="shelter open"))
                title = lessons.LessonUpdate.model_validate({"title": {"en": "Shelter lists late", "ko": "명단 지연"}})
                lessons.edit_lesson(s, coord, lesson.id, title)
        except Exception as exc:
            failures.append(f"write: {exc!r}")

    rebuilding = threading.Thread(target=rebuild)
    rebuilding.start()
    assert deleted.wait(30)
    writing = threading.Thread(target=write)
    writing.start()
    time.sleep(0.5)  # the command waits for the lock (or, unlocked, runs into the rebuild)
    go.set()
    rebuilding.join(60)
    writing.join(60)
    server.dispose()
    assert failures == []
    with db.read() as s:
        rows = {(d.type, d.title["ko"]) for d in s.scalars(select(SearchDocument))}
    assert rows == {("message", "shelter open"), ("observation", "명단 지연")}
