"""The TAK gateway with raw TCP clients: positions shared within an organisation and moving its
asset, incidents pushed by releasability, GeoChat to messages, and bad input closing only the
offending connection."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest
from sqlalchemy import select

from katchi import assets, cop, operations, tasking
from katchi.accounts import principal_for_token
from katchi.core import Forbidden, Invalid
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.interop.tak import assign_device, register_device, set_device_label
from katchi.interop.tak.gateway import Limits
from katchi.interop.tak.protocol import take_frame
from katchi.interop.tak.run import serve
from katchi.operations import Message
from tests.support.api import point
from tests.support.cot import pli
from tests.support.server import free_port
from tests.support.tak import Client
from tests.support.world import World, acting_as


def chat(uid: str, text: str) -> bytes:
    return pli(uid, 37.5, 127.0, kind="b-t-f", detail=f"<remarks>{text}</remarks>")


def test_gateway(db: Database, world: World, gateway: int) -> None:
    coord, roka = acting_as(db, world, "coord"), acting_as(db, world, "roka")
    with transaction(db) as s:
        op = operations.create_operation(
            s,
            coord,
            operations.OperationCreate(name="Quake", hazard="earthquake", participants=["kor-army", "us-aviation"]),
        )
        kuh = assets.register_asset(
            s, roka, assets.AssetCreate(name="KUH-1 #1", capability="medium_helicopter", location=point())
        )
        system = Context(None, source="test")
        register_device(s, system, "ANDROID-KOR-1", "roka", kuh.id)
        register_device(s, system, "ANDROID-KOR-2", "roka", operation_id=op.id)
        register_device(s, system, "WINTAK-US-1", "usav")
    k1, k2, u1 = Client(gateway), Client(gateway), Client(gateway)
    for client, uid in ((k1, "ANDROID-KOR-1"), (k2, "ANDROID-KOR-2"), (u1, "WINTAK-US-1")):
        client.send(pli(uid, 37.0, 127.0))
    # Same-organisation positions are shared; other organisations do not get them.
    time.sleep(0.3)
    k1.send(pli("ANDROID-KOR-1", 37.61, 126.99))
    assert k2.wait_for(b'uid="ANDROID-KOR-1"')
    assert not u1.wait_for(b"ANDROID-KOR-1", timeout=1.0)
    # ... and the device's position moves its asset.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with db.read() as s:
            loc = s.get(assets.Asset, kuh.id).location
        if loc["coordinates"] == [126.99, 37.61] or loc["coordinates"] == [126.99, 37.0]:
            break
        time.sleep(0.1)
    assert loc["coordinates"][0] == 126.99
    # Incidents go to every device that may see them.
    with transaction(db) as s:
        shared = cop.report_incident(
            s, coord, op.id, cop.IncidentCreate(kind="fire", title="Market fire", severity="severe", location=point())
        )
        korean = cop.report_incident(
            s,
            coord,
            op.id,
            cop.IncidentCreate(kind="fire", title="KOR only", severity="minor", location=point(), label="nation:KOR"),
        )
    for client in (k1, k2, u1):
        assert client.wait_for(f"katchi-incident-{shared.id}".encode())
    assert k1.wait_for(f"katchi-incident-{korean.id}".encode())
    assert not u1.wait_for(f"katchi-incident-{korean.id}".encode(), timeout=1.0)
    # GeoChat becomes a message of the operation the device is assigned to.
    k2.send(chat("ANDROID-KOR-2", "Landing zone clear"))
    deadline = time.monotonic() + 5
    texts: list[str] = []
    while time.monotonic() < deadline and not any("Landing zone clear" in t for t in texts):
        with db.read() as s:
            texts = [m.text for m in s.scalars(select(Message)).all()]
        time.sleep(0.1)
    assert any("Landing zone clear" in t for t in texts)
    # Hostile input closes that connection only; unknown devices are refused.
    u1.send(b'<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><event>&x;</event>')
    assert u1.closed()
    stranger = Client(gateway)
    stranger.send(pli("ATAK-UNKNOWN", 37.0, 127.0))
    assert stranger.closed()
    oversized = Client(gateway)
    oversized.send(pli("ANDROID-KOR-2", 37.0, 127.0) + b"<event>" + b"x" * 70_000)
    assert oversized.closed()
    with transaction(db) as s:
        later = cop.report_incident(
            s, coord, op.id, cop.IncidentCreate(kind="fire", title="Later", severity="minor", location=point())
        )
    assert k1.wait_for(f"katchi-incident-{later.id}".encode())


def test_taskings_reach_the_tasked_crew_and_name_the_asset_only_where_it_may_be_seen(
    db: Database, world: World, gateway: int
) -> None:
    coord, roka = acting_as(db, world, "coord"), acting_as(db, world, "roka")
    with transaction(db) as s:
        spec = operations.OperationCreate(name="Quake", hazard="earthquake", participants=["kor-army", "us-aviation"])
        op = operations.create_operation(s, coord, spec)
        heli = assets.register_asset(
            s,
            roka,
            assets.AssetCreate(
                name="KUH-1 #7",
                capability="medium_helicopter",
                location=point(),
                label="nation:KOR",
                caveats=assets.Caveats(max_hours=48, excluded_tasks=["security"]),
            ),
        )
        register_device(s, Context(None, source="test"), "ANDROID-KOR-7", "roka", heli.id)
        register_device(s, Context(None, source="test"), "WINTAK-US-1", "usav")
        need = tasking.RfaCreate(
            title="Lift casualties", capability="medium_helicopter", location=point(), label="nation:KOR", submit=True
        )
        rfa = tasking.create_rfa(s, coord, op.id, need)
    crew, us = Client(gateway), Client(gateway)
    crew.send(pli("ANDROID-KOR-7", 37.0, 127.0))
    us.send(pli("WINTAK-US-1", 37.0, 127.0))
    uid = f"katchi-rfa-{rfa.id}".encode()
    assert crew.wait_for(uid)  # the open RFA, on connecting
    assert not us.wait_for(uid, timeout=1.0)  # nation:KOR
    for action, body in (("validate", {}), ("task", {"asset_id": heli.id, "justification": "x", "hours": 24})):
        with transaction(db) as s:
            tasking.act_on_rfa(s, coord, rfa.id, tasking.RfaAction(action), tasking.RfaActionBody(**body))
    # The crew sees its tasking, live, with the caveats it must keep.
    assert crew.wait_for("tasked · tasked to KUH-1 #7 · caveats: max 48 h, not for security · nation:KOR".encode())
    # The RFA is released to the alliance; its tasking keeps the asset's nation:KOR label, so US
    # devices see the RFA and its state but never the asset, live or on connecting.
    with transaction(db) as s:
        tasking.release_rfa(s, coord, rfa.id, "alliance")
    assert us.wait_for("tasked · alliance".encode())
    assert crew.wait_for("tasked · tasked to KUH-1 #7 · caveats: max 48 h, not for security · alliance".encode())
    late = Client(gateway)
    late.send(pli("WINTAK-US-1", 37.0, 127.0))
    assert late.wait_for("tasked · alliance".encode())
    assert b"KUH-1" not in us.buf + late.buf


def test_tls_requires_a_device_certificate_matching_the_uid(db: Database, world: World, db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import ssl

    from katchi.interop.tak.run import tls_context
    from tests.support.certs import make_pki

    pki = make_pki(tmp_path, ["ANDROID-KOR-1", "ANDROID-OTHER"], without_common_name=("ANDROID-NONAME",))
    with transaction(db) as s:
        register_device(s, Context(None, source="test"), "ANDROID-KOR-1", "roka")
    port, tls_port = free_port(), free_port()
    server_ctx = tls_context(pki["server"][0], pki["server"][1], pki["ca"][0])
    loop = asyncio.new_event_loop()
    ready, stop = asyncio.Event(), asyncio.Event()
    thread = threading.Thread(
        target=lambda: loop.run_until_complete(
            serve(
                db_url,
                tcp=("127.0.0.1", port),
                tls=("127.0.0.1", tls_port, server_ctx),
                ready=ready,
                stop=stop,
                limits=Limits(identify_seconds=1.0),
            )
        ),
        daemon=True,
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not ready.is_set() and time.monotonic() < deadline:
        time.sleep(0.02)

    def device(uid: str | None) -> ssl.SSLSocket:
        ctx = ssl.create_default_context(cafile=str(pki["ca"][0]))
        if uid is not None:
            ctx.load_cert_chain(pki[uid][0], pki[uid][1])
        raw = socket.create_connection(("127.0.0.1", tls_port), timeout=5)
        return ctx.wrap_socket(raw, server_hostname="127.0.0.1")

    def answered(sock: ssl.SSLSocket, data: bytes) -> bool:
        """Whether the gateway keeps the connection open after ``data`` (it sends the snapshot)."""
        try:
            sock.sendall(data)
            sock.settimeout(1.5)
            return sock.recv(1) != b""
        except TimeoutError:
            return True  # still connected, nothing to say yet
        except (ssl.SSLError, ConnectionError, OSError):
            return False

    try:
        ok_device = device("ANDROID-KOR-1")
        assert answered(ok_device, pli("ANDROID-KOR-1", 37.5, 127.0))
        ok_device.close()
        impostor = device("ANDROID-OTHER")  # a valid certificate, but for another uid
        assert not answered(impostor, pli("ANDROID-KOR-1", 37.5, 127.0))
        nameless = device("ANDROID-NONAME")  # a valid certificate with no common name: nobody
        assert not answered(nameless, pli("ANDROID-KOR-1", 37.5, 127.0))
        # A connection that never starts the handshake is closed by the identify deadline.
        silent = Client(tls_port)
        started = time.monotonic()
        assert silent.closed(timeout=5.0) and time.monotonic() - started < 3.0
        try:
            no_cert = device(None)
            assert not answered(no_cert, pli("ANDROID-KOR-1", 37.5, 127.0))
        except (ssl.SSLError, ConnectionError):
            pass  # refused during the handshake
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def test_protocol_version_1_is_negotiated_and_spoken(db: Database, world: World, gateway: int) -> None:
    import takproto

    with db.read() as s:
        coord = Context(principal_for_token(s, world.tokens["coord"]), source="test")
    with transaction(db) as s:
        op = operations.create_operation(
            s, coord, operations.OperationCreate(name="Proto", hazard="flood", participants=["kor-army"])
        )
        register_device(s, Context(None, source="test"), "ANDROID-PROTO", "roka")
        register_device(s, Context(None, source="test"), "ANDROID-XML", "roka")
    proto, xml = Client(gateway), Client(gateway)
    xml.send(pli("ANDROID-XML", 37.0, 127.0))
    proto.send(pli("ANDROID-PROTO", 37.0, 127.0))
    assert proto.wait_for(b'type="t-x-takp-v"')  # the gateway offers version 1
    request = pli("ANDROID-PROTO", 0.0, 0.0, kind="t-x-takp-q").replace(
        b"</detail>", b'<TakControl><TakRequest version="1"/></TakControl></detail>'
    )
    proto.send(request)
    assert proto.wait_for(b'<TakResponse status="true"/>')
    proto.buf = b""
    frame = bytes(
        takproto.xml2proto(
            pli("ANDROID-PROTO", 37.55, 126.97, callsign="Proto 1").decode(), takproto.TAKProtoVer.STREAM
        )
    )
    proto.send(frame)
    assert xml.wait_for(b'callsign="Proto 1"')  # shared as XML with the version-0 device
    with transaction(db) as s:
        inc = cop.report_incident(
            s, coord, op.id, cop.IncidentCreate(kind="fire", title="Proto fire", severity="minor", location=point())
        )
    assert proto.wait_for(f"katchi-incident-{inc.id}".encode())
    frames, rest = [], proto.buf[proto.buf.index(b"\xbf") :]
    while (taken := take_frame(rest, 1 << 20)) is not None:
        payload, rest = taken
        frames.append(takproto.parse_proto(bytearray(b"\xbf" + _varint(len(payload)) + payload)))
    assert f"katchi-incident-{inc.id}" in {m.cotEvent.uid for m in frames if m is not None}
    proto.send(b"\xbf\xff\xff\xff\xff\x0f")  # a frame announcing 4 GB: refused, connection closed
    assert proto.closed()


def test_devices_get_only_operations_their_user_may_read(db: Database, world: World, gateway: int) -> None:
    """A device gets nothing of an operation labelled for another nation (which its organisation
    cannot take part in): its user gets 404 on that operation over REST (snapshot and live alike)."""
    with db.read() as s:
        coord = Context(principal_for_token(s, world.tokens["coord"]), source="test")
    with transaction(db) as s:
        spec = operations.OperationCreate(
            name="KOR-only response", hazard="flood", participants=["kor-army"], label="nation:KOR"
        )
        op = operations.create_operation(s, coord, spec)
        before = cop.report_incident(
            s, coord, op.id, cop.IncidentCreate(kind="flood", title="Before", severity="minor", location=point())
        )
        register_device(s, Context(None, source="test"), "ANDROID-KOR-3", "roka")
        register_device(s, Context(None, source="test"), "WINTAK-US-3", "usav")
    kor, us = Client(gateway), Client(gateway)
    kor.send(pli("ANDROID-KOR-3", 37.0, 127.0))
    us.send(pli("WINTAK-US-3", 37.0, 127.0))
    assert kor.wait_for(f"katchi-incident-{before.id}".encode())
    with transaction(db) as s:
        after = cop.report_incident(
            s, coord, op.id, cop.IncidentCreate(kind="flood", title="After", severity="minor", location=point())
        )
    assert kor.wait_for(f"katchi-incident-{after.id}".encode())
    assert not us.wait_for(b"katchi-incident-", timeout=1.5), us.buf


def test_a_device_that_reads_the_rfa_but_not_its_tasking_follows_it_to_the_end(
    db: Database, world: World, gateway: int
) -> None:
    coord, roka = acting_as(db, world, "coord"), acting_as(db, world, "roka")
    with transaction(db) as s:
        spec = operations.OperationCreate(name="Quake", hazard="earthquake", participants=["kor-army", "us-aviation"])
        op = operations.create_operation(s, coord, spec)
        heli = assets.register_asset(
            s,
            roka,
            assets.AssetCreate(name="KUH-1 #9", capability="medium_helicopter", location=point(), label="nation:KOR"),
        )
        register_device(s, Context(None, source="test"), "WINTAK-US-9", "usav")
        need = tasking.RfaCreate(title="Lift", capability="medium_helicopter", location=point(), submit=True)
        rfa = tasking.create_rfa(s, coord, op.id, need)
    us = Client(gateway)
    us.send(pli("WINTAK-US-9", 37.0, 127.0))
    assert us.wait_for(f"katchi-rfa-{rfa.id}".encode())
    steps = [(coord, "validate", {}), (coord, "task", {"asset_id": heli.id}), (roka, "accept", {})]
    steps += [(roka, "start", {}), (roka, "complete", {})]
    for ctx, action, body in steps:
        with transaction(db) as s:
            tasking.act_on_rfa(s, ctx, rfa.id, tasking.RfaAction(action), tasking.RfaActionBody(**body))
    for state in ("accepted", "underway", "completed"):
        assert us.wait_for(f"{state} · alliance".encode()), (state, us.buf[-600:])
    last = us.buf[us.buf.rindex(b"<event") :]
    assert b"completed" in last and b"KUH-1" not in us.buf
    start, stale = (last.split(f'{k}="'.encode())[1].split(b'"')[0] for k in ("start", "stale"))
    assert start == stale  # the marker is sent stale: the device drops it from its map


def _messages(db: Database, needle: str, timeout: float = 5.0) -> list[Message]:
    deadline = time.monotonic() + timeout
    while True:
        with db.read() as s:
            found = [m for m in s.scalars(select(Message)).all() if needle in m.text]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_chat_goes_only_to_the_assigned_operation_under_the_organisations_device_label(
    db: Database, world: World, gateway: int
) -> None:
    with db.read() as s:
        coord = Context(principal_for_token(s, world.tokens["coord"]), source="test")
        uscoord = Context(principal_for_token(s, world.tokens["uscoord"]), source="test")
    system = Context(None, source="test")
    with transaction(db) as s:
        spec = operations.OperationCreate(name="Real", hazard="flood", participants=["kor-army"])
        real = operations.create_operation(s, coord, spec)
        register_device(s, system, "ANDROID-KOR-5", "roka")
    # Someone opens a newer operation with the device's organisation in it: chat must not go there.
    with transaction(db) as s:
        spec = operations.OperationCreate(name="Bait", mode="exercise", hazard="flood", participants=["kor-army"])
        bait = operations.create_operation(s, uscoord, spec)
    device = Client(gateway)
    device.send(pli("ANDROID-KOR-5", 37.0, 127.0))
    time.sleep(0.3)
    device.send(chat("ANDROID-KOR-5", "Unassigned hello"))
    assert device.wait_for(b"not assigned to an operation"), device.buf[-500:]
    assert _messages(db, "Unassigned hello", timeout=1.0) == []
    with transaction(db) as s:
        assign_device(s, system, "ANDROID-KOR-5", real.id)
    device.send(chat("ANDROID-KOR-5", "Assigned hello"))
    (msg,) = _messages(db, "Assigned hello")
    assert msg.operation_id == real.id and msg.operation_id != bait.id and msg.label == "org:kor-army"
    with transaction(db) as s:
        set_device_label(s, system, "kor-army", "nation:KOR")
    device.send(chat("ANDROID-KOR-5", "Wider hello"))
    (msg,) = _messages(db, "Wider hello")
    assert msg.label == "nation:KOR"


def test_device_commands_check_who_asks(db: Database, world: World) -> None:
    with db.read() as s:
        coord = Context(principal_for_token(s, world.tokens["coord"]), source="test")
        roka = Context(principal_for_token(s, world.tokens["roka"]), source="test")
    with transaction(db) as s:
        op = operations.create_operation(
            s, coord, operations.OperationCreate(name="Op", hazard="flood", participants=["kor-army"])
        )
        other = operations.create_operation(s, coord, operations.OperationCreate(name="Other", hazard="flood"))
        register_device(s, Context(None, source="test"), "ANDROID-KOR-6", "roka")
    with pytest.raises(Forbidden), transaction(db) as s:
        register_device(s, roka, "ROGUE-1", "roka")  # an asset manager is not its organisation's admin
    with pytest.raises(Forbidden), transaction(db) as s:
        assign_device(s, coord, "ANDROID-KOR-6", op.id)  # another organisation's device
    with pytest.raises(Forbidden), transaction(db) as s:
        set_device_label(s, coord, "kor-army", "alliance")
    with pytest.raises(Invalid, match="does not take part"), transaction(db) as s:
        assign_device(s, Context(None, source="test"), "ANDROID-KOR-6", other.id)
    with pytest.raises(Invalid), transaction(db) as s:
        set_device_label(s, Context(None, source="test"), "kor-army", "nation:USA")  # not readable by its users


def test_disabling_a_user_closes_their_devices_connections_within_5_s(db: Database, world: World, gateway: int) -> None:
    from katchi.accounts import disable_user

    system = Context(None, source="test")
    with transaction(db) as s:
        register_device(s, system, "ANDROID-KOR-9", "roka")
        register_device(s, system, "WINTAK-US-9", "usav")
    kor, us = Client(gateway), Client(gateway)
    kor.send(pli("ANDROID-KOR-9", 37.0, 127.0))
    us.send(pli("WINTAK-US-9", 37.0, 127.0))
    assert kor.wait_for(b"TakControl") and us.wait_for(b"TakControl")  # both identified
    started = time.monotonic()
    with transaction(db) as s:
        disable_user(s, system, "roka")
    assert kor.closed(timeout=5.0) and time.monotonic() - started < 5.0
    assert not us.closed(timeout=0.5)  # another user's device stays
    again = Client(gateway)
    again.send(pli("ANDROID-KOR-9", 37.0, 127.0))
    assert again.closed(timeout=5.0)  # and the disabled user's device cannot come back


def test_exercise_assets_reach_devices_only_in_their_exercise_marked_exercise(
    db: Database, world: World, gateway: int
) -> None:
    """An exercise's twin of a real helicopter, tasked in the exercise, reaches the crew's device
    only in that exercise's markers, each saying EXERCISE; the real operation's markers name only
    the real helicopter, and the real helicopter's status never changes."""
    coord, roka = acting_as(db, world, "coord"), acting_as(db, world, "roka")
    with transaction(db) as s:
        real_op = operations.create_operation(
            s, coord, operations.OperationCreate(name="Real flood", hazard="flood", participants=["kor-army"])
        )
        drill = operations.create_operation(
            s,
            coord,
            operations.OperationCreate(name="Drill", mode="exercise", hazard="earthquake", participants=["kor-army"]),
        )
        heli = assets.register_asset(
            s, roka, assets.AssetCreate(name="KUH-1 real", capability="medium_helicopter", location=point())
        )
        twin = assets.register_asset(
            s, roka, assets.AssetCreate(name="KUH-1 drill twin", capability="medium_helicopter", location=point()),
            operation_id=drill.id,
        )  # fmt: skip
        register_device(s, Context(None, source="test"), "ANDROID-KOR-EX", "roka")
        need = tasking.RfaCreate(title="Drill lift", capability="medium_helicopter", location=point(), submit=True)
        drill_rfa = tasking.create_rfa(s, coord, drill.id, need)
        real_rfa = tasking.create_rfa(s, coord, real_op.id, need.model_copy(update={"title": "Real lift"}))
        for rfa, asset in ((drill_rfa, twin), (real_rfa, heli)):
            tasking.act_on_rfa(s, coord, rfa.id, tasking.RfaAction.validate, tasking.RfaActionBody())
            body = tasking.RfaActionBody(asset_id=asset.id, justification="no civilian helicopter")
            tasking.act_on_rfa(s, coord, rfa.id, tasking.RfaAction.task, body)
    crew = Client(gateway)
    crew.send(pli("ANDROID-KOR-EX", 37.0, 127.0))
    assert crew.wait_for(b"tasked to KUH-1 real"), crew.buf
    assert crew.wait_for(b"tasked to [EX] KUH-1 drill twin"), crew.buf.decode()
    events = [e for e in crew.buf.split(b"</event>") if b"KUH-1" in e]
    for e in events:
        if b"drill twin" in e:
            assert f"katchi-rfa-{drill_rfa.id}".encode() in e and b"EXERCISE" in e
        else:
            assert f"katchi-rfa-{real_rfa.id}".encode() in e and b"EXERCISE" not in e
    with db.read() as s:
        assert s.get(assets.Asset, heli.id).status == "requested"  # type: ignore[union-attr]  # its own real tasking only


def test_a_device_connecting_while_a_change_is_pushed_does_not_stop_live_delivery(
    db: Database, world: World, gateway: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pushing a change waits on the database per organisation; a device of another organisation
    connecting meanwhile once broke the push loop, and every device stopped getting changes."""
    from katchi.interop.tak.gateway import TakGateway

    coord = acting_as(db, world, "coord")
    with transaction(db) as s:
        spec = operations.OperationCreate(name="Quake", hazard="earthquake", participants=["kor-army", "us-aviation"])
        op = operations.create_operation(s, coord, spec)
        register_device(s, Context(None, source="test"), "ANDROID-KOR-9", "roka")
        register_device(s, Context(None, source="test"), "WINTAK-US-9", "usav")
    kor = Client(gateway)
    kor.send(pli("ANDROID-KOR-9", 37.0, 127.0))
    assert kor.wait_for(b"<event")  # connected (its snapshot: the protocol offer)
    slow = threading.Event()
    answer = TakGateway._operation_view

    def slow_view(self: TakGateway, principal: object, op_id: str) -> bool | None:
        slow.set()
        time.sleep(1.0)  # the push is waiting on the database for ROK Army's view of the operation
        return answer(self, principal, op_id)  # type: ignore[arg-type]

    monkeypatch.setattr(TakGateway, "_operation_view", slow_view)
    with transaction(db) as s:
        first = cop.report_incident(s, coord, op.id, cop.IncidentCreate(kind="fire", title="A", severity="minor",
                                                                          location=point()))  # fmt: skip
    assert slow.wait(10)
    us = Client(gateway)  # another organisation's device connects during that wait
    us.send(pli("WINTAK-US-9", 37.0, 127.0))
    assert kor.wait_for(f"katchi-incident-{first.id}".encode())
    with transaction(db) as s:
        second = cop.report_incident(s, coord, op.id, cop.IncidentCreate(kind="fire", title="B", severity="minor",
                                                                           location=point()))  # fmt: skip
    assert kor.wait_for(f"katchi-incident-{second.id}".encode())
    assert us.wait_for(f"katchi-incident-{second.id}".encode())
