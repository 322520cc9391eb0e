"""Search is filtered by the one read rule, both ways: every user finds exactly the records the
ordinary lists show them — never a record of another nation or organisation, never one of an
operation they may not read, and none missing."""

from __future__ import annotations

import itertools

import httpx

from katchi.db import Database
from tests.support.api import create_operation, items, ok
from tests.support.server import LiveServer
from tests.support.world import USERS, World, user_token

WORD = "convoy"


def _post_everywhere(client: httpx.Client, op: str, labels: list[str], tag: str) -> None:
    for label, (kind, field) in itertools.product(labels, (("log", "text"), ("messages", "text"),
                                                           ("decisions", "title"))):  # fmt: skip
        ok(client.post(f"/operations/{op}/{kind}", json={field: f"{tag} {label} 수송 {WORD}s", "label": label}), 201)


def _readable_by_lists(client: httpx.Client) -> set[str]:
    """What the ordinary lists show this user that mentions the word."""
    found: set[str] = set()
    for op in items(client, "/operations"):
        for kind, field in (("log", "text"), ("messages", "text"), ("decisions", "title")):
            found |= {r["id"] for r in items(client, f"/operations/{op['id']}/{kind}") if WORD in r[field]}
    for path in ("/lessons", "/observations"):
        found |= {r["id"] for r in items(client, path) if WORD in (r["title"]["en"] + r["observation"]["en"])}
    return found


def _searched(client: httpx.Client, q: str) -> set[str]:
    return {h["id"] for h in items(client, "/search", q=q, limit=50)}


def test_every_user_finds_exactly_what_they_may_read(server: LiveServer, world: World, db: Database) -> None:
    coord, us = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    kor_labels = ["public", "alliance", "nation:KOR", "org:kor-cmoc"]
    us_labels = ["public", "alliance", "nation:USA", "org:us-liaison"]
    combined = create_operation(coord, ["kor-redcross", "us-liaison"])["id"]
    _post_everywhere(coord, combined, kor_labels, "combined")
    _post_everywhere(us, combined, us_labels, "combined-us")
    us_only = create_operation(us, [], name="USFK internal")["id"]
    _post_everywhere(us, us_only, us_labels, "us-only")
    korean_op = create_operation(coord, ["kor-province"], label="nation:KOR", name="ROK internal")["id"]
    _post_everywhere(coord, korean_op, kor_labels, "kor-op")
    manager = server.client(user_token(db, "ll-manager", "kor-cmoc", "lessons_manager"))
    us_manager = server.client(user_token(db, "us-ll", "us-liaison", "lessons_manager"))
    lessons = {}
    for who, label in ((manager, "nation:KOR"), (manager, "org:kor-cmoc"), (us_manager, "nation:USA"),
                       (us_manager, "alliance")):  # fmt: skip
        body = {"title": {"en": f"Lesson {label} {WORD}s"}, "observation": {"en": f"{WORD} late"}, "label": label}
        lessons[label] = ok(who.post("/observations", json=body), 201)["id"]

    us_entry = ok(us.post(f"/operations/{combined}/log", json={"text": f"secret {WORD}", "label": "nation:USA"}),
                  201)["id"]  # fmt: skip
    for username, _org, _role in USERS:
        client = server.client(world.tokens[username])
        expected = _readable_by_lists(client)
        assert expected, username
        assert _searched(client, f"{WORD}s") == expected, username
        assert _searched(client, "수송") == expected - set(lessons.values()) - {us_entry}, username
    korean = server.client(world.tokens["coord"])
    assert us_entry not in _searched(korean, WORD) and lessons["nation:USA"] not in _searched(korean, WORD)
    assert us_entry in _searched(us, WORD) and lessons["nation:KOR"] not in _searched(us, WORD)
    # The US participant of a nation:KOR operation reads none of it, whatever its records' labels.
    assert [h for h in items(coord, "/search", q="kor-op") if h["operation_id"] == korean_op]
    assert not [h for h in items(us, "/search", q="kor-op") if h["operation_id"] == korean_op]
