"""Notifications over HTTP: the caller's own, newest first and paged, in their language, marked
read only by their owner; the unread count live over SSE within seconds of the event; e-mail
through a real SMTP server with nothing above the recipient's labels."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from httpx_sse import EventSource

from katchi.accounts import set_email
from katchi.core.clock import utcnow
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.notifications import sweep_overdue
from tests.support.api import create_operation, items, ok, point, problem
from tests.support.server import LiveServer, free_port
from tests.support.world import World


def _rfa(client: httpx.Client, op_id: str, title: str, **extra: Any) -> dict[str, Any]:
    body = {"title": title, "capability": "water_purification", "location": point(), "submit": True} | extra
    return ok(client.post(f"/operations/{op_id}/rfas", json=body), 201)  # type: ignore[no-any-return]


def test_the_list_is_the_callers_own_newest_first_paged_and_marked_read_by_its_owner(
    server: LiveServer, world: World
) -> None:
    coord, prov, roka = (server.client(world.tokens[u]) for u in ("coord", "province", "roka"))
    op = create_operation(coord, ["kor-province", "kor-army"])
    rfas = [_rfa(prov, op["id"], f"Need {i}") for i in range(3)]
    for r in rfas:
        ok(coord.post(f"/rfas/{r['id']}/actions/validate"))
    page = ok(prov.get("/notifications", params={"limit": 2, "lang": "en"}))
    assert page["unread"] == 3 and len(page["items"]) == 2 and page["next"]
    assert [n["text"] for n in page["items"]] == [
        "Your RFA “Need 2” is now validated",
        "Your RFA “Need 1” is now validated",
    ]
    first = page["items"][0]
    assert first["kind"] == "rfa_changed" and first["subject"] == {"type": "rfa", "id": rfas[2]["id"]}
    assert first["operation_id"] == op["id"] and first["read_at"] is None and first["created_at"]
    rest = ok(prov.get("/notifications", params={"limit": 2, "cursor": page["next"], "lang": "en"}))
    assert [n["text"] for n in rest["items"]] == ["Your RFA “Need 0” is now validated"] and rest["next"] is None
    korean = ok(prov.get("/notifications", params={"lang": "ko"}))["items"][0]["text"]
    assert korean == "귀하의 지원 요청 “Need 2” 상태: 검증됨"
    assert ok(prov.get("/notifications", headers={"Accept-Language": "en-GB"}))["items"][0]["text"].startswith("Your")

    assert ok(roka.get("/notifications")) == {"items": [], "next": None, "unread": 0}
    problem(roka.post(f"/notifications/{first['id']}/read"), 404)  # someone else's: not found
    problem(prov.post("/notifications/nope/read"), 404)
    marked = ok(prov.post(f"/notifications/{first['id']}/read"))
    assert marked["id"] == first["id"] and marked["read_at"] is not None
    assert ok(prov.get("/notifications"))["unread"] == 2
    unread = items(prov, "/notifications", unread="true")
    assert {n["id"] for n in unread} == {n["id"] for n in [*page["items"][1:], *rest["items"]]}
    assert ok(prov.post("/notifications/read")) == {"marked": 2, "unread": 0}
    assert items(prov, "/notifications", unread="true") == []
    assert len(items(prov, "/notifications")) == 3


def _unread_events(resp: httpx.Response) -> Iterator[int]:
    for sse in EventSource(resp).iter_sse():
        if sse.event == "unread":
            yield int(json.loads(sse.data)["unread"])


def test_the_unread_count_arrives_live_within_seconds(server: LiveServer, world: World) -> None:
    coord, prov = server.client(world.tokens["coord"]), server.client(world.tokens["province"])
    op = create_operation(coord, ["kor-province"])
    first = _rfa(prov, op["id"], "Generators for Ilsan")
    second = _rfa(prov, op["id"], "Tarps for Ilsan")
    ok(coord.post(f"/rfas/{first['id']}/actions/validate"))
    headers = {"Authorization": f"Bearer {world.tokens['province']}", "Accept": "text/event-stream"}
    with (
        httpx.Client(base_url=server.url, timeout=httpx.Timeout(5.0, read=8.0)) as client,
        client.stream("GET", "/api/v1/notifications/stream", headers=headers) as resp,
    ):
        assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/event-stream")
        counts = _unread_events(resp)
        assert next(counts) == 1  # the count at once
        ok(coord.post(f"/rfas/{second['id']}/actions/validate"))
        committed = time.monotonic()
        assert next(counts) == 2  # read until the event actually arrives (the read times out at 8 s)
        assert time.monotonic() - committed < 5.0
        ok(prov.post("/notifications/read"))
        # Marking read shows at the next keep-alive (1 s in tests).
        assert next(counts) == 0


def test_the_stream_needs_credentials(server: LiveServer) -> None:
    with httpx.Client(base_url=server.url) as client:
        assert client.get("/api/v1/notifications/stream").status_code == 401


class _Inbox:
    def __init__(self) -> None:
        self.mails: list[tuple[list[str], EmailMessage]] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.arrived:
            self.mails.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content, policy=policy.default)))
            self.arrived.notify_all()
        return "250 OK"

    def wait_for(self, n: int, timeout: float = 5.0) -> list[tuple[list[str], EmailMessage]]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.mails) >= n, timeout)
            return list(self.mails)


@pytest.fixture
def smtp() -> Iterator[tuple[_Inbox, int]]:
    inbox, port = _Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_notifications_are_emailed_with_only_what_the_recipient_may_read(
    db_url: str, db: Database, world: World, smtp: tuple[_Inbox, int]
) -> None:
    inbox, port = smtp
    with transaction(db) as s:
        for user, address in (("roka", "roka@army.example.kr"), ("usav", "ops@cab.example.mil")):
            set_email(s, Context(None, source="test"), user, address)
    settings = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False, "smtp_from": "katchi@cmoc.example"}
    with LiveServer.start(db_url, **settings) as srv:
        coord = srv.client(world.tokens["coord"])
        op = create_operation(coord, ["kor-army", "us-aviation"])
        secret = {"text": "Korean eyes only: the dam may fail", "label": "nation:KOR"}
        ok(coord.post(f"/operations/{op['id']}/messages", json=secret | {"to_orgs": ["kor-army"]}), 201)
        shared = {"text": "Aviation: hold at Osan", "label": "alliance", "to_orgs": ["us-aviation"]}
        ok(coord.post(f"/operations/{op['id']}/messages", json=shared), 201)
        assert len(inbox.wait_for(2)) >= 2
        time.sleep(0.5)  # nothing more is on its way
        mails = inbox.mails
    assert sorted(rcpt[0] for rcpt, _ in mails) == ["ops@cab.example.mil", "roka@army.example.kr"]
    by_rcpt = {rcpt[0]: msg for rcpt, msg in mails}
    us = by_rcpt["ops@cab.example.mil"].get_content()
    kor = by_rcpt["roka@army.example.kr"].get_content()
    assert "Aviation: hold at Osan" in us and "dam" not in us
    assert "Korean eyes only: the dam may fail" in kor and "귀 기관에 보낸 메시지" in kor
    assert by_rcpt["ops@cab.example.mil"]["From"] == "katchi@cmoc.example"
    # The in-app notifications are there as well.
    with LiveServer.start(db_url) as srv:
        texts = [n["text"] for n in items(srv.client(world.tokens["usav"]), "/notifications", lang="en")]
    assert texts == ["Message to your organisation from coord@kor-cmoc: Aviation: hold at Osan"]


def test_an_unreachable_smtp_server_loses_no_notification(db_url: str, db: Database, world: World) -> None:
    with transaction(db) as s:
        set_email(s, Context(None, source="test"), "roka", "roka@army.example.kr")
    with LiveServer.start(db_url, smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False) as srv:
        coord, roka = srv.client(world.tokens["coord"]), srv.client(world.tokens["roka"])
        op = create_operation(coord, ["kor-army"])
        msg = {"text": "Pumps to Paju", "to_orgs": ["kor-army"]}
        ok(coord.post(f"/operations/{op['id']}/messages", json=msg), 201)
        assert ok(roka.get("/notifications"))["unread"] == 1


def test_a_sweep_run_by_another_process_reaches_the_stream(server: LiveServer, world: World, db: Database) -> None:
    """What the CLI (another connection than the server's writer) commits reaches the live count:
    the server's feeder reads it from the log (a poll on SQLite, NOTIFY on PostgreSQL)."""
    coord, prov = server.client(world.tokens["coord"]), server.client(world.tokens["province"])
    op = create_operation(coord, ["kor-province"])
    soon = (utcnow() + timedelta(seconds=1)).isoformat()
    _rfa(prov, op["id"], "Fuel for generators", needed_by=soon)
    time.sleep(1.2)
    headers = {"Authorization": f"Bearer {world.tokens['coord']}", "Accept": "text/event-stream"}
    with (
        httpx.Client(base_url=server.url, timeout=httpx.Timeout(5.0, read=8.0)) as client,
        client.stream("GET", "/api/v1/notifications/stream", headers=headers) as resp,
    ):
        counts = _unread_events(resp)
        assert next(counts) == 0
        with transaction(db) as s:
            assert sweep_overdue(s, Context(None, source="cli")).overdue == 1
        committed = time.monotonic()
        assert next(counts) == 1
        assert time.monotonic() - committed < 5.0
    texts = [n["text"] for n in items(coord, "/notifications", lang="en")]
    assert len(texts) == 1 and texts[0].startswith("RFA “Fuel for generators” is past its needed-by time")
