"""The TAK gateway: ATAK/WinTAK/iTAK devices speak Cursor-on-Target (TAK protocol version 0, XML
events over TCP or TLS) with Katchi.

- A connection is identified by its first event's ``uid`` (over TLS it must equal the client
  certificate's common name) and must be a registered device; anything else is closed.
- What a device sends is shared with the other connected devices of its organisation (TAK group
  behaviour); its own position report (``a-…``) also moves its asset in Katchi (at most once a
  second); a GeoChat message (``b-t-f``) becomes a message in the operation the device's
  organisation assigned it to, under the organisation's label for devices (refused, with a
  notice to the device, when it is not assigned).
- Katchi pushes incidents and RFAs, with the asset each RFA is tasked to, to every device whose
  organisation may see them: the releasability rule of ``core.access`` per device, as for the API
  and streams (the asset is named only to devices that may see the tasking).
- Malformed, oversized or hostile input closes that connection, and only that one; a device that
  does not read what it is sent is disconnected when its queue passes its bound (in events and in
  bytes).
- Exposure limits (``Limits``): a connection must identify within ``identify_seconds``; a uid
  has one connection (a new one replaces the old: no twins); each client address may hold at
  most ``per_address`` connections. Disabling a user closes their devices' connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import ssl
import struct
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import orjson
from cachetools import LRUCache
from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import USER_DISABLED, active_user_ids
from katchi.assets import PositionPolicy, report_position
from katchi.cop import Incident, list_incidents
from katchi.core import Invalid, NotFound
from katchi.core.access import Principal, can_read, reader
from katchi.core.context import Context
from katchi.core.net import address_key
from katchi.db import Database
from katchi.eventlog import CLOSED, LiveBus, LiveEvent, Writer
from katchi.exercises import exercise_time
from katchi.interop.cot import CotError, CotEvent, decode_cot
from katchi.interop.tak.devices import Device, device
from katchi.interop.tak.markers import OPEN_RFA, TaskedAsset, incident_cot, notice_cot, rfa_cot, tasked_assets
from katchi.interop.tak.protocol import (
    detail_attr,
    proto_event,
    protocol_offer,
    protocol_response,
    remarks,
    take_frame,
    to_proto,
)
from katchi.operations import MessageCreate, Operation, list_operations, post_message, visible_operation
from katchi.tasking import Rfa, Tasking, list_rfas

log = logging.getLogger(__name__)
END = b"</event>"
#: Tasking statuses after which an RFA's marker no longer names the asset.
ENDED_TASKING = ("declined", "denied", "cancelled")


@dataclass(frozen=True)
class Limits:
    """What one device, or one address, may hold of the gateway."""

    #: Seconds from connecting to the first complete event naming a registered device.
    identify_seconds: float = 10.0
    #: Connections at once from one client address (a CMOC's devices may share a NAT address) …
    per_address: int = 32
    #: … and from everywhere.
    connections: int = 2000
    #: Events queued for a device that does not read, and their bytes; past either it is let go.
    queue_max: int = 5000
    queue_bytes: int = 8 * 1024 * 1024


@dataclass(eq=False)
class Connection:
    device: Device
    writer: asyncio.StreamWriter
    queue: asyncio.Queue[bytes | None]
    #: Bytes waiting in ``queue`` (what waits in the socket's buffer is counted too, when offering).
    queued_bytes: int = 0
    last_asset_update: float = 0.0
    #: The newest own position not yet written (positions are written at most once a second; the
    #: last one of a burst is written when the second is up, so the asset ends where the device is).
    pending_position: CotEvent | None = None
    #: TAK protocol version 1 (protobuf) after a successful negotiation; version 0 (XML) before.
    proto: bool = False
    closed: bool = False


@dataclass
class Stats:
    accepted: int = 0
    delivered: int = 0
    dropped_connections: int = 0
    refused: int = 0


@dataclass
class TakGateway:
    db: Database
    writer: Writer
    bus: LiveBus
    limits: Limits = field(default_factory=Limits)
    positions: PositionPolicy = field(default_factory=PositionPolicy)
    max_event_bytes: int = 64 * 1024
    position_interval_s: float = 1.0
    stats: Stats = field(default_factory=Stats)
    _by_org: dict[str, set[Connection]] = field(default_factory=dict)
    _by_uid: dict[str, Connection] = field(default_factory=dict)
    _per_address: Counter[str] = field(default_factory=Counter)
    #: (organisation, operation) → may read it / takes part; forgotten when the operation changes.
    _operation_views: LRUCache[tuple[str, str], bool | None] = field(default_factory=lambda: LRUCache(10_000))
    #: Incidents and RFAs as last pushed; a record evicted is read again from the database.
    _records: LRUCache[str, dict[str, Any]] = field(default_factory=lambda: LRUCache(20_000))
    #: Operation → is an exercise.
    _exercises: LRUCache[str, bool] = field(default_factory=lambda: LRUCache(10_000))

    # --- serving --------------------------------------------------------------------------

    async def serve(self, host: str, port: int, tls: ssl.SSLContext | None = None) -> asyncio.Server:
        """Listen; with ``tls`` the handshake happens inside the connection's handler, so the caps
        and the identify deadline cover it too."""

        async def handle(reader: asyncio.StreamReader, stream: asyncio.StreamWriter) -> None:
            await self._handle(reader, stream, tls)

        return await asyncio.start_server(handle, host, port, limit=self.max_event_bytes * 2)

    def close_all(self) -> None:
        """Disconnect every device (shutting down)."""
        for group in self._by_org.values():
            for conn in tuple(group):
                self._drop(conn)

    async def follow(self) -> None:
        """Push Katchi's incident and RFA changes to the devices that may see them, and close the
        connections of users who were disabled (run as a task)."""

        def wanted(ev: LiveEvent) -> bool:
            return ev.kind.startswith(("cop.incident.", "tasking.rfa.", "operations.operation.")) or (
                ev.kind == USER_DISABLED.name
            )

        sub = self.bus.subscribe(wanted)
        try:
            while True:
                item = await sub.queue.get()
                if item is CLOSED:  # this gateway fell behind the log: resubscribe, keep going
                    self.bus.unsubscribe(sub)
                    sub = self.bus.subscribe(wanted)
                    await self._drop_disabled()  # it may have missed a disabling
                    continue
                if isinstance(item, LiveEvent):
                    try:
                        if item.kind == USER_DISABLED.name:
                            await self._drop_disabled()
                        elif item.kind.startswith("operations.operation."):
                            self._forget_operation(item.operation_id)
                        else:
                            await self._publish(item)
                    except Exception:  # one change that cannot be pushed must not stop the others
                        log.exception("could not push log entry %d (%s) to devices", item.seq, item.kind)
        finally:
            self.bus.unsubscribe(sub)

    def _forget_operation(self, op_id: str | None) -> None:
        """An operation changed (participants, coordinators): read who may see it afresh."""
        for key in [k for k in self._operation_views if k[1] == op_id]:
            self._operation_views.pop(key, None)

    async def watch_users(self, every_s: float = 5.0) -> None:
        """Recheck now and then that the connected devices' users may still act (a device that
        identified while its user was being disabled is closed too; run as a task)."""
        while True:
            await asyncio.sleep(every_s)
            try:
                await self._drop_disabled()
            except Exception:
                log.exception("could not recheck the devices' users")

    async def _drop_disabled(self) -> None:
        """Close every connection whose device's user can no longer act."""
        conns = [c for group in self._by_org.values() for c in group]
        users = {c.device.principal.user_id for c in conns}
        if not users:
            return

        def active() -> set[str]:
            with self.db.read() as s:
                return active_user_ids(s, users)

        still = await asyncio.to_thread(active)
        for conn in conns:
            if conn.device.principal.user_id not in still:
                log.info("closing %s: its user was disabled", conn.device.uid)
                self._drop(conn, abort=True)

    async def _handle(
        self, reader: asyncio.StreamReader, stream: asyncio.StreamWriter, tls: ssl.SSLContext | None = None
    ) -> None:
        peer = stream.get_extra_info("peername")
        address = address_key(str(peer[0])) if peer else "?"
        total = sum(self._per_address.values())
        if self._per_address[address] >= self.limits.per_address or total >= self.limits.connections:
            self.stats.refused += 1
            log.info("refusing a connection from %s: %d from it, %d in all", address, self._per_address[address], total)
            _reset(stream)
            return
        self._per_address[address] += 1
        conn: Connection | None = None
        sender: asyncio.Task[None] | None = None
        buf = b""
        identify_by = time.monotonic() + self.limits.identify_seconds
        try:
            peer_cn = None
            if tls is not None:  # the handshake counts against the identify deadline
                try:
                    await stream.start_tls(tls, ssl_handshake_timeout=max(0.1, identify_by - time.monotonic()))
                except (ssl.SSLError, OSError, TimeoutError):
                    self.stats.refused += 1
                    return
                peer_cn = _common_name(stream)
                if peer_cn is None:  # a device over TLS is its certificate's common name, or nobody
                    self.stats.refused += 1
                    return
            while True:
                if conn is None:  # not identified yet: the deadline covers every read until then
                    chunk = await asyncio.wait_for(reader.read(65536), max(0.0, identify_by - time.monotonic()))
                else:
                    chunk = await reader.read(65536)
                if not chunk:
                    return
                buf += chunk
                while True:
                    if conn is not None and conn.proto:
                        taken = take_frame(buf, self.max_event_bytes)
                        if taken is None:
                            break
                        payload, buf = taken
                        event, raw = proto_event(payload)
                    else:
                        end = buf.find(END)
                        if end < 0:
                            break
                        raw, buf = buf[: end + len(END)].lstrip(), buf[end + len(END) :]
                        if len(raw) > self.max_event_bytes:
                            raise CotError([])
                        event = decode_cot(raw)
                    if conn is None:
                        conn = await self._identify(event, stream, peer_cn)
                        if conn is None:
                            return
                        sender = asyncio.create_task(self._send(conn))
                        await self._snapshot(conn)
                        self._offer_raw(conn, protocol_offer())
                    if event.type == "t-x-takp-q":
                        self._negotiate(conn, event)
                        continue
                    await self._received(conn, event, raw)
                    await asyncio.sleep(0)  # let the senders drain between the events of a burst
                if len(buf) > self.max_event_bytes + 16:
                    raise CotError([])
        except (CotError, UnicodeDecodeError):
            self.stats.refused += 1
            log.info("closing %s: malformed, oversized or hostile input", conn.device.uid if conn else "a device")
        except TimeoutError:
            self.stats.refused += 1
            log.info("closing a connection from %s: it did not identify in %s s", address, self.limits.identify_seconds)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            self._per_address[address] -= 1
            if self._per_address[address] <= 0:
                del self._per_address[address]
            if conn is not None:
                self._drop(conn)
            if sender is not None:
                sender.cancel()
            with contextlib.suppress(Exception):
                stream.close()

    async def _identify(self, event: CotEvent, stream: asyncio.StreamWriter, peer_cn: str | None) -> Connection | None:
        if peer_cn is not None and peer_cn != event.uid:
            self.stats.refused += 1
            return None
        found = await asyncio.to_thread(self._lookup, event.uid)
        if found is None:
            self.stats.refused += 1
            return None
        conn = Connection(found, stream, asyncio.Queue(self.limits.queue_max))
        twin = self._by_uid.get(found.uid)
        if twin is not None:  # the device reconnected (or someone claims its uid): one connection per uid
            log.info("closing the older connection of %s", found.uid)
            self._drop(twin, abort=True)
        self._by_uid[found.uid] = conn
        self._by_org.setdefault(found.principal.org_id, set()).add(conn)
        return conn

    def _lookup(self, uid: str) -> Device | None:
        with self.db.read() as s:
            return device(s, uid)

    def _drop(self, conn: Connection, *, abort: bool = False) -> None:
        conn.closed = True
        group = self._by_org.get(conn.device.principal.org_id)
        if group is not None:
            group.discard(conn)
        if self._by_uid.get(conn.device.uid) is conn:
            del self._by_uid[conn.device.uid]
        with contextlib.suppress(asyncio.QueueFull):
            conn.queue.put_nowait(None)
        if abort:  # its sender may be stuck waiting on a full socket: cut the connection now
            _reset(conn.writer)

    async def _send(self, conn: Connection) -> None:
        try:
            while True:
                data = await conn.queue.get()
                if data is None:
                    break
                parts = [data]
                while not conn.queue.empty() and len(parts) < 256:
                    more = conn.queue.get_nowait()
                    if more is None:
                        conn.closed = True
                        break
                    parts.append(more)
                conn.queued_bytes -= sum(len(p) for p in parts)
                conn.writer.write(b"".join(parts))
                await conn.writer.drain()
                self.stats.delivered += len(parts)
                if conn.closed:
                    break
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            with contextlib.suppress(Exception):
                conn.writer.close()

    def _offer(self, conn: Connection, xml: bytes) -> None:
        """Queue an XML CoT event for a device, in the protocol it speaks."""
        self._offer_raw(conn, to_proto(xml) if conn.proto else xml)

    def _offer_raw(self, conn: Connection, data: bytes) -> None:
        if conn.closed:
            return
        # Everything this process holds for the device counts: its queue and its socket's buffer.
        held = conn.queued_bytes + conn.writer.transport.get_write_buffer_size()
        if held + len(data) > self.limits.queue_bytes:
            self._let_go(conn)
            return
        try:
            conn.queue.put_nowait(data)
        except asyncio.QueueFull:
            self._let_go(conn)
            return
        conn.queued_bytes += len(data)

    def _let_go(self, conn: Connection) -> None:
        """A device that does not read what it is sent is disconnected; it reconnects and catches up
        from the snapshot."""
        self.stats.dropped_connections += 1
        log.info("closing %s: it does not read what it is sent", conn.device.uid)
        self._drop(conn, abort=True)

    # --- from devices ---------------------------------------------------------------------

    def _negotiate(self, conn: Connection, event: CotEvent) -> None:
        """A device asking for TAK protocol version 1 gets it (version 0 stays otherwise)."""
        wants = detail_attr(event, "TakControl/TakRequest", "version")
        ok = wants == "1"
        self._offer_raw(conn, protocol_response(ok))
        if ok:
            conn.proto = True

    async def _received(self, conn: Connection, event: CotEvent, raw: bytes) -> None:
        self.stats.accepted += 1
        proto: bytes | None = None
        for other in tuple(self._by_org.get(conn.device.principal.org_id, ())):
            if other is not conn:
                if other.proto:
                    proto = proto or to_proto(raw)
                    self._offer_raw(other, proto)
                else:
                    self._offer_raw(other, raw)
        if event.uid == conn.device.uid and event.type.startswith("a-") and conn.device.asset_id:
            self._position(conn, event)
        elif event.type == "b-t-f":
            self._chat(conn, event)

    def _position(self, conn: Connection, event: CotEvent) -> None:
        now = time.monotonic()
        wait = conn.last_asset_update + self.position_interval_s - now
        if wait <= 0 and conn.pending_position is None:
            conn.last_asset_update = now
            self._move_asset(conn.device, event)
            return
        first = conn.pending_position is None
        conn.pending_position = event
        if first:
            asyncio.get_running_loop().call_later(max(0.0, wait), self._flush_position, conn)

    def _flush_position(self, conn: Connection) -> None:
        event, conn.pending_position = conn.pending_position, None
        if event is not None:
            conn.last_asset_update = time.monotonic()
            self._move_asset(conn.device, event)

    def _move_asset(self, dev: Device, event: CotEvent) -> None:
        """The asset's position and track (not a log entry, unless it moved far: ``report_position``)."""
        ctx = Context(dev.principal, source="interop:cot", timekeeper=exercise_time)  # an exercise twin's clock
        asset_id, lon, lat, policy = dev.asset_id, event.lon, event.lat, self.positions
        assert asset_id is not None
        future = self.writer.submit(lambda s: report_position(s, ctx, asset_id, lon, lat, policy=policy))
        future.add_done_callback(_log_failure)

    def _chat(self, conn: Connection, event: CotEvent) -> None:
        """GeoChat goes to the operation the device's organisation assigned it to (read afresh, so
        an assignment applies without reconnecting), under the organisation's label for devices.
        Never guessed: with no assignment it is refused, and the device is told why."""
        uid = conn.device.uid
        text = remarks(event)
        if not text:
            return
        callsign = event.callsign or uid
        loop = asyncio.get_running_loop()

        def job(s: Session) -> Any:
            dev = device(s, uid)
            if dev is None:
                raise Invalid("this device is no longer registered")
            if dev.operation_id is None:
                raise Invalid(
                    "this device is not assigned to an operation, so its chat was not posted; ask the Katchi "
                    f"operator to run: katchi tak assign-device {uid} --operation OP_ID"
                )
            body = MessageCreate(text=f"[TAK {callsign}] {text}"[:10_000], label=dev.chat_label)
            return post_message(
                s, Context(dev.principal, source="interop:cot", timekeeper=exercise_time), dev.operation_id, body
            )

        def done(future: Any) -> None:
            exc = future.exception()
            if exc is not None:
                log.info("TAK chat from %s not posted: %s", uid, exc)
                reason = getattr(exc, "detail", "refused")
                loop.call_soon_threadsafe(self._notice, conn, f"Katchi: {reason}")

        self.writer.submit(job).add_done_callback(done)

    def _notice(self, conn: Connection, text: str) -> None:
        self.stats.refused += 1
        self._offer(conn, notice_cot(conn.device.uid, text))

    # --- to devices -----------------------------------------------------------------------

    async def _snapshot(self, conn: Connection) -> None:
        """On connecting, a device gets the open incidents and RFAs its organisation may see."""
        events = await asyncio.to_thread(self._visible_records, conn.device.principal)
        for cot in events:
            self._offer(conn, cot)

    def _visible_records(self, principal: Principal) -> list[bytes]:
        """What the device's user reads over REST (``list_operations``, ``list_incidents``,
        ``list_rfas``), in the active operations it may read."""
        out = []
        with self.db.read() as s:
            for op in _every(lambda c: list_operations(s, principal, cursor=c, limit=500)):
                if op.status != "active":
                    continue
                view = visible_operation(s, principal, op.id)
                ex = op.mode == "exercise"
                for inc in _every(lambda c, v=view: list_incidents(s, principal, v, cursor=c, limit=500)):
                    if inc.status == "open":
                        out.append(
                            incident_cot(
                                inc.id, inc.title, inc.severity, inc.status, inc.location, inc.label, exercise=ex
                            )
                        )
                rfas = [
                    r
                    for r in _every(lambda c, v=view: list_rfas(s, principal, v, cursor=c, limit=500))
                    if r.state in OPEN_RFA
                ]
                tasked = tasked_assets(s, [r.tasking.asset_id for r in rfas if r.tasking])
                for r in rfas:
                    asset = tasked.get(r.tasking.asset_id) if r.tasking else None
                    if asset is None:
                        out.append(rfa_cot(r.id, r.title, r.state, r.location, r.label, exercise=ex))
                        continue
                    caveats = asset.caveats if asset.org_id == principal.org_id else ""
                    out.append(rfa_cot(r.id, r.title, r.state, r.location, r.label, asset.name, caveats, exercise=ex))
        return out

    async def _publish(self, ev: LiveEvent) -> None:
        data = orjson.loads(ev.frame.split(b"data: ", 1)[1])
        sid, payload = data["subject"]["id"], data["payload"]
        rec = self._records.get(sid)
        if ev.kind == "cop.incident.reported":
            rec = self._records[sid] = {**payload, "status": "open", "_record": "incident"}
        elif ev.kind == "tasking.rfa.created":
            rec = self._records[sid] = {**payload, "_record": "rfa"}
        elif rec is None:
            rec = await asyncio.to_thread(self._load, sid, ev.kind)
            if rec is None:
                return
            self._records[sid] = rec
        else:
            rec.update({k: v for k, v in payload.items() if k in ("severity", "status", "people_affected")})
            if "to_state" in payload:
                rec["state"] = payload["to_state"]
            if rec["_record"] == "rfa" and payload.get("asset_id"):
                rec["asset"] = await asyncio.to_thread(self._tasked_asset, payload["asset_id"])
                rec["tasking_label"] = payload.get("tasking_label", ev.label)
            if rec["_record"] == "rfa" and payload.get("tasking_status") in ENDED_TASKING:
                rec["asset"] = None  # declined, denied or cancelled: no longer "tasked to" it
        if ev.operation_id is None:
            return
        asset: TaskedAsset | None = rec.get("asset")  # named only to who may see the tasking
        ex = await self._is_exercise(ev.operation_id)
        if rec["_record"] == "incident":
            cot = named = own = incident_cot(
                sid, rec["title"], rec["severity"], rec["status"], rec["location"], ev.label, exercise=ex
            )
        else:
            args = (sid, rec["title"], rec["state"], rec["location"], ev.label)
            cot = rfa_cot(*args, exercise=ex)
            named = rfa_cot(*args, asset.name, exercise=ex) if asset else cot
            own = rfa_cot(*args, asset.name, asset.caveats, exercise=ex) if asset else cot  # for the owner's crews
        # A snapshot of who is connected: the awaits below let devices connect and leave meanwhile.
        for conn in [c for group in tuple(self._by_org.values()) for c in tuple(group)]:
            if conn.closed:
                continue
            principal = conn.device.principal
            participant = await self._reads_operation(principal, ev.operation_id)
            if participant is None or not can_read(principal, ev.label, participant=participant):
                continue
            if not (asset and reader(principal, participant=participant)(rec["tasking_label"])):
                self._offer(conn, cot)
            else:
                self._offer(conn, own if principal.org_id == asset.org_id else named)

    async def _is_exercise(self, op_id: str) -> bool:
        """Whether an operation is an exercise (its markers say so); an operation's mode never changes."""
        if op_id not in self._exercises:
            self._exercises[op_id] = await asyncio.to_thread(self._mode_is_exercise, op_id)
        return self._exercises[op_id]

    def _mode_is_exercise(self, op_id: str) -> bool:
        with self.db.read() as s:
            return s.scalar(select(Operation.mode).where(Operation.id == op_id)) == "exercise"

    def _tasked_asset(self, asset_id: str) -> TaskedAsset | None:
        with self.db.read() as s:
            return tasked_assets(s, [asset_id]).get(asset_id)

    def _load(self, sid: str, kind: str) -> dict[str, Any] | None:
        with self.db.read() as s:
            if kind.startswith("cop.incident."):
                inc = s.get(Incident, sid)
                if inc is None:
                    return None
                return {"_record": "incident", "title": inc.title, "severity": inc.severity, "status": inc.status,
                        "location": inc.location}  # fmt: skip
            rfa = s.get(Rfa, sid)
            if rfa is None:
                return None
            tasking = s.get(Tasking, rfa.current_tasking_id) if rfa.current_tasking_id else None
            if tasking is not None and tasking.status in ENDED_TASKING:
                tasking = None
            asset = tasked_assets(s, [tasking.asset_id]).get(tasking.asset_id) if tasking else None
            return {"_record": "rfa", "title": rfa.title, "state": rfa.state, "location": rfa.location,
                    "asset": asset, "tasking_label": tasking.label if tasking else ""}  # fmt: skip

    async def _reads_operation(self, principal: Principal, op_id: str) -> bool | None:
        """Whether the device's user may read the operation (``visible_operation``, the REST rule):
        ``None`` if not, else whether its organisation takes part. Cached per organisation."""
        key = (principal.org_id, op_id)
        if key not in self._operation_views:
            self._operation_views[key] = await asyncio.to_thread(self._operation_view, principal, op_id)
        return self._operation_views[key]

    def _operation_view(self, principal: Principal, op_id: str) -> bool | None:
        with self.db.read() as s:
            try:
                return visible_operation(s, principal, op_id).participant
            except NotFound:
                return None


def _every(page: Any) -> list[Any]:
    """Every item of a paginated read."""
    out, cursor = [], None
    while True:
        items, cursor = page(cursor)
        out.extend(items)
        if cursor is None:
            return out


def _reset(stream: asyncio.StreamWriter) -> None:
    """Close at once with a reset: what the kernel still holds for a device that does not read is
    discarded, not trickled out to it (and its memory freed)."""
    sock = stream.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    stream.transport.abort()


def _log_failure(future: Any) -> None:
    exc = future.exception()
    if exc is not None:
        log.warning("TAK update not applied: %s", exc)


def _common_name(stream: asyncio.StreamWriter) -> str | None:
    cert = stream.get_extra_info("peercert")
    if not cert:
        return None
    for rdn in cert.get("subject", ()):
        for key, value in rdn:
            if key == "commonName":
                return str(value)
    return None
