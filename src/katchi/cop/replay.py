"""The common operating picture at a past moment, rebuilt from the log — the source of truth, so
no snapshot is stored: incidents, facilities, RFAs with their state then, and assets where they
were. Folding the events is pure; reading them goes through the access rule like the timeline and
the live stream, so a replay shows a reader exactly what their live map showed then."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from katchi.core.access import Principal, label_filter, reader
from katchi.core.clock import iso
from katchi.eventlog import REGISTRY, LogEntry, for_reader
from katchi.operations import OperationView

_PREFIXES = ("cop.incident.", "cop.facility.", "tasking.rfa.", "assets.asset.")
_ASSET_PREFIX = "assets.asset."

#: What folding needs of a log entry: a replay reads tens of thousands of them.
_COLUMNS = (
    LogEntry.seq,
    LogEntry.kind,
    LogEntry.occurred_at,
    LogEntry.subject_type,
    LogEntry.subject_id,
    LogEntry.label,
    LogEntry.payload,
)
#: Events that bring a record into the picture.
_CREATED = frozenset({"cop.incident.reported", "cop.facility.added", "tasking.rfa.created", "assets.asset.registered"})


def _kinds(prefixes: tuple[str, ...]) -> list[str]:
    return sorted(k for k in REGISTRY if k.startswith(prefixes))


def _iso(at: datetime | str) -> str:
    return at if isinstance(at, str) else iso(at)


def fold(events: Iterable[dict[str, Any]]) -> dict[str, dict[str, dict[str, Any]]]:
    """Apply events (as readers see them, in log order) to an empty picture, as the live map
    applies its stream: ``{incidents, facilities, rfas, assets}`` by id."""
    incidents: dict[str, dict[str, Any]] = {}
    facilities: dict[str, dict[str, Any]] = {}
    rfas: dict[str, dict[str, Any]] = {}
    assets: dict[str, dict[str, Any]] = {}
    for e in events:
        kind, p, rid = e["kind"], e["payload"], e["subject"]["id"]
        if kind == "cop.incident.reported":
            incidents[rid] = {
                "id": rid,
                **p,
                "status": "open",
                "label": e["label"],
                "created_at": _iso(e["occurred_at"]),
            }
        elif kind == "cop.incident.updated" and rid in incidents:
            incidents[rid].update(p)
        elif kind == "cop.facility.added":
            facilities[rid] = {"id": rid, **p, "label": e["label"], "updated_at": _iso(e["occurred_at"])}
        elif kind == "cop.facility.updated" and rid in facilities:
            status = {k: v for k, v in p.items() if k not in ("changed", "by")}
            facilities[rid].update(status, updated_at=_iso(e["occurred_at"]))
        elif kind == "tasking.rfa.created":
            rfas[rid] = {"id": rid, **p, "label": e["label"], "created_at": _iso(e["occurred_at"]), "tasking": None}
        elif kind == "assets.asset.registered":
            assets[rid] = {"id": rid, **p, "label": e["label"]}
        elif kind == "assets.asset.updated" and rid in assets:
            assets[rid].update(p)
        elif kind.endswith(".released"):
            target = incidents if kind.startswith("cop.") else rfas if kind.startswith("tasking.") else assets
            if rid in target:
                target[rid]["label"] = p["to_label"]
        elif kind.startswith("tasking.rfa.") and "to_state" in p and rid in rfas:
            rfa = rfas[rid]
            rfa["state"] = p["to_state"]
            if p.get("asset_id"):
                rfa["tasking"] = {
                    "id": p.get("tasking_id"),
                    "asset_id": p["asset_id"],
                    "status": p.get("tasking_status"),
                }
                if p.get("asset_status") and p["asset_id"] in assets:
                    assets[p["asset_id"]]["status"] = p["asset_status"]
    return {"incidents": incidents, "facilities": facilities, "rfas": rfas, "assets": assets}


def picture_at(session: Session, principal: Principal | None, view: OperationView, at: datetime) -> dict[str, Any]:
    """The operation's picture at ``at`` (its own time: an exercise's simulated time) as
    ``principal`` may read it. An exercise's assets are its own; a real operation shows the
    platform's real assets, as its live map does."""
    mine = and_(
        LogEntry.operation_id == view.id,
        LogEntry.kind.in_(_kinds(_PREFIXES)),
        label_filter(LogEntry.label, principal, participant=view.participant),
    )
    scope = mine
    if view.op.mode != "exercise":
        platform = and_(
            LogEntry.operation_id.is_(None),
            LogEntry.kind.in_(_kinds((_ASSET_PREFIX,))),
            label_filter(LogEntry.label, principal, participant=True),
        )
        scope = or_(mine, platform)
    # Core rows, not ORM ones, and views of only the fields folding reads (each as ``row_view``
    # names it, so ``for_reader`` shapes them as it shapes the timeline's).
    stmt = select(*_COLUMNS).where(scope, LogEntry.occurred_at <= at).order_by(LogEntry.seq)
    rows = list(session.connection().execute(stmt))
    rows = _with_released(session, view, at, rows)
    readable = reader(principal, participant=view.participant)
    views = (
        {"kind": kind, "occurred_at": when, "subject": {"type": stype, "id": sid}, "label": label, "payload": payload}
        for _seq, kind, when, stype, sid, label, payload in rows
    )
    picture = fold(for_reader(v, readable) for v in views)
    return {"at": iso(at), **{name: list(records.values()) for name, records in picture.items()}}


def _with_released(session: Session, view: OperationView, at: datetime, rows: list[Any]) -> list[Any]:
    """A record released to the reader (its label widened) after they could not read it: by then
    the record is theirs to read, so its earlier events join the replay, as a reader opening the
    record then would have seen its history."""
    created = {r.subject_id for r in rows if r.kind in _CREATED}
    released: dict[str, int] = {}
    for r in rows:
        if r.kind.endswith(".released") and r.subject_id not in created:
            released.setdefault(r.subject_id, r.seq)
    if not released:
        return rows
    earlier = session.connection().execute(
        select(*_COLUMNS)
        .where(
            LogEntry.operation_id == view.id,
            LogEntry.subject_id.in_(list(released)),
            LogEntry.seq < max(released.values()),
            LogEntry.occurred_at <= at,
        )
        .order_by(LogEntry.seq)
    )
    seen = {r.seq for r in rows}
    extra = [r for r in earlier if r.seq < released[r.subject_id] and r.seq not in seen]
    return sorted([*rows, *extra], key=lambda r: r.seq)
