"""What a situation report says, drawn from the record as its label's audience reads it.

The report is read by everyone its label reaches, so it is built from what the *least* of them
may read (``core.access.least_reader``), never from what its author may read: an ``alliance``
report leaves out a ``nation:USA`` casualty figure even when an American coordinator drafts it.
Requests are counted from the event log (when each reached which state), so the figures describe
the period even when the report is drafted later.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.assets import catalogue
from katchi.cop import Facility, Incident, situation
from katchi.core.access import Principal, label_filter
from katchi.eventlog import LogEntry
from katchi.operations import Decision, OperationView
from katchi.tasking import CLOSED as RFA_CLOSED
from katchi.tasking import Rfa

#: Requests an asset is working on (tasked, accepted or underway): not a gap.
COVERED = frozenset({"tasked", "accepted", "underway"})
#: Facility states the report lists as gaps.
FACILITY_GAPS = ("damaged", "full", "closed")
#: How many decisions, incidents and gaps a report lists (the rest are counted).
LISTED = 30
SECTOR_NAMES = {
    "air": {"en": "Air transport", "ko": "항공 수송"},
    "cbrn": {"en": "CBRN", "ko": "화생방"},
    "comms": {"en": "Emergency telecommunications", "ko": "비상 통신"},
    "engineering": {"en": "Engineering", "ko": "공병"},
    "food": {"en": "Food security", "ko": "식량"},
    "logistics": {"en": "Logistics", "ko": "물류"},
    "maritime": {"en": "Maritime", "ko": "해상"},
    "medical": {"en": "Health", "ko": "보건의료"},
    "rescue": {"en": "Search and rescue", "ko": "수색구조"},
    "shelter": {"en": "Shelter", "ko": "임시주거"},
    "wash": {"en": "Water, sanitation and hygiene", "ko": "식수·위생"},
}
STATUS_NAMES = {
    "damaged": {"en": "damaged", "ko": "피해"},
    "full": {"en": "full", "ko": "수용 한계"},
    "closed": {"en": "closed", "ko": "폐쇄"},
}


@dataclass(frozen=True, slots=True)
class Draft:
    """The sections as drafted (``{section: {en, ko}}``) and the tables behind them."""

    texts: dict[str, dict[str, str]]
    figures: dict[str, Any]


def draft_content(
    session: Session,
    view: OperationView,
    audience: Principal | None,
    *,
    number: int,
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
) -> Draft:
    """Draft report ``number`` of ``view``'s operation for ``[start, end)`` as ``audience`` reads it."""
    as_member = OperationView(op=view.op, participant=True)
    requests, open_locations = _requests(session, as_member, audience, start, end)
    board = situation(session, audience, as_member, until=end, open_rfa_locations=open_locations)
    incidents = _new_incidents(session, as_member, audience, start, end)
    decisions = [
        {"title": d.title, "rationale": d.rationale, "at": d.created_at.isoformat()}
        for d in session.scalars(
            select(Decision)
            .where(*_readable(Decision, as_member, audience), Decision.created_at >= start, Decision.created_at < end)
            .order_by(Decision.created_at, Decision.id)
            .limit(LISTED)
        )
    ]
    facilities = [
        {"name": f.name, "kind": f.kind, "status": f.status}
        for f in session.scalars(
            select(Facility)
            .where(*_readable(Facility, as_member, audience), Facility.status.in_(FACILITY_GAPS))
            .order_by(Facility.status, Facility.name)
            .limit(LISTED)
        )
    ]
    figures = {
        "operation": {"name": view.op.name, "mode": view.op.mode, "hazard": view.op.hazard},
        "districts": [row.model_dump() for row in board.items],
        "totals": board.totals.model_dump(),
        "incidents": incidents,
        "requests": requests,
        "decisions": decisions,
        "facilities": facilities,
    }
    return Draft(texts=_texts(figures, number=number, end=end, span=end - start, zone=zone), figures=figures)


def _readable(model: Any, view: OperationView, audience: Principal | None) -> tuple[Any, ...]:
    return (model.operation_id == view.id, label_filter(model.label, audience, participant=view.participant))


def _new_incidents(
    session: Session, view: OperationView, audience: Principal | None, start: datetime, end: datetime
) -> dict[str, Any]:
    rows = session.execute(
        select(Incident.title, Incident.severity, Incident.kind, Incident.created_at)
        .where(*_readable(Incident, view, audience), Incident.created_at >= start, Incident.created_at < end)
        .order_by(Incident.created_at, Incident.id)
    ).all()
    by_severity = Counter(r.severity for r in rows)
    serious = [r for r in rows if r.severity in ("severe", "extreme")]
    return {
        "reported": len(rows),
        "by_severity": dict(sorted(by_severity.items())),
        "serious": [
            {"title": r.title, "severity": r.severity, "kind": r.kind, "at": r.created_at.isoformat()}
            for r in serious[:LISTED]
        ],
    }


def _requests(
    session: Session, view: OperationView, audience: Principal | None, start: datetime, end: datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Requests the audience may read, counted by when each reached which state (the event log):
    opened (submitted) and met (completed) in the period, and those still open at its end (also
    returned as their locations, for the figures by district)."""
    rfas = {r.id: r for r in session.scalars(select(Rfa).where(*_readable(Rfa, view, audience), Rfa.created_at < end))}
    state_at_end: dict[str, str] = {}
    opened: set[str] = set()
    met: set[str] = set()
    steps = session.execute(
        select(LogEntry.subject_id, LogEntry.kind, LogEntry.occurred_at, LogEntry.payload)
        .where(
            LogEntry.operation_id == view.id,
            LogEntry.subject_type == "rfa",
            LogEntry.kind.like("tasking.rfa.%"),
            LogEntry.occurred_at < end,
        )
        .order_by(LogEntry.seq)
    )
    for rfa_id, kind, occurred_at, payload in steps:
        if rfa_id not in rfas:
            continue
        state = payload.get("state") if kind == "tasking.rfa.created" else payload.get("to_state")
        if not state:
            continue  # a release: the state does not change
        if state == "submitted" and state_at_end.get(rfa_id) in (None, "draft") and occurred_at >= start:
            opened.add(rfa_id)
        if state == "completed" and occurred_at >= start:
            met.add(rfa_id)
        state_at_end[rfa_id] = state
    open_ids = [i for i, s in state_at_end.items() if s != "draft" and s not in RFA_CLOSED]
    caps = catalogue()
    sectors: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for rfa_id in opened:
        sectors[_sector(rfas[rfa_id], caps)]["opened"] += 1
    for rfa_id in met:
        sectors[_sector(rfas[rfa_id], caps)]["met"] += 1
    for rfa_id in open_ids:
        sector = sectors[_sector(rfas[rfa_id], caps)]
        sector["open"] += 1
        sector["covered" if state_at_end[rfa_id] in COVERED else "awaiting_asset"] += 1
    overdue = sorted(
        (
            rfas[i]
            for i in open_ids
            if state_at_end[i] not in COVERED and (due := rfas[i].needed_by) is not None and due < end
        ),
        key=lambda r: (r.needed_by or end, r.id),
    )
    counts = {
        "opened": len(opened),
        "met": len(met),
        "open": len(open_ids),
        "sectors": [
            {"sector": name, **{k: counts[k] for k in ("opened", "met", "open", "awaiting_asset", "covered")}}
            for name, counts in sorted(sectors.items())
        ],
        "overdue": len(overdue),
        "overdue_listed": [
            {
                "title": r.title,
                "capability": r.capability,
                "priority": r.priority,
                "needed_by": r.needed_by.isoformat() if r.needed_by else None,
            }
            for r in overdue[:LISTED]
        ],
    }
    return counts, [rfas[i].location for i in open_ids]


def _sector(rfa: Rfa, caps: dict[str, Any]) -> str:
    cap = caps.get(rfa.capability)
    return str(cap.category) if cap else "other"


def local(moment: datetime | str, zone: ZoneInfo) -> str:
    """A time as the CMOC reads it: ``2026-12-02 18:00 KST``."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def _n(value: int) -> str:
    return f"{value:,}"


#: A drafted section stays well inside what a section may hold (``OptionalBilingual``: 10,000).
SECTION_CHARS = 8_000


def _fitted(lines: list[str], more: str) -> str:
    """``lines`` joined, as many as fit in a section; ``more`` (formatted with the number left
    out) ends it when some do not."""
    kept: list[str] = []
    size = 0
    for i, line in enumerate(lines):
        if size + len(line) + 1 > SECTION_CHARS - 100:
            kept.append(more.format(n=_n(len(lines) - i)))
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)


def _texts(
    figures: dict[str, Any], *, number: int, end: datetime, span: timedelta, zone: ZoneInfo
) -> dict[str, dict[str, str]]:
    """The sections drafted in English and Korean; the author edits them before issuing."""
    t = {k: _n(v) for k, v in figures["totals"].items()}
    inc = figures["incidents"]
    req = figures["requests"]
    serious = sum(inc["by_severity"].get(s, 0) for s in ("severe", "extreme"))
    at = local(end, zone)
    name = figures["operation"]["name"]
    caps = catalogue()
    most = sorted(
        (d for d in figures["districts"] if d["code"] is not None),
        key=lambda d: (-(d["dead"] + d["injured"] + d["missing"] + d["trapped"]), -d["displaced"], d["code"]),
    )[:3]
    most = [d for d in most if d["dead"] + d["injured"] + d["missing"] + d["trapped"] + d["displaced"] > 0]

    def casualties(d: dict[str, Any]) -> int:
        return int(d["dead"] + d["injured"] + d["missing"] + d["trapped"])

    overview = {
        "en": f"{name}: {_n(inc['reported'])} incidents reported in the period, "
        f"{_n(serious)} of them severe or extreme.",
        "ko": f"{name}: 기간 중 사건 {_n(inc['reported'])}건 보고, 그중 심각·극심 {_n(serious)}건.",
    }
    if most:
        overview["en"] += (
            " Most affected: "
            + ", ".join(
                f"{d['name']['en']} ({_n(casualties(d))} casualties, {_n(d['displaced'])} displaced)" for d in most
            )
            + "."
        )
        overview["ko"] += (
            " 피해가 큰 시·군·구: "
            + ", ".join(
                f"{d['name']['ko']} (인명피해 {_n(casualties(d))}명, 이재민 {_n(d['displaced'])}명)" for d in most
            )
            + "."
        )
    needs_en, needs_ko = [], []
    for s in req["sectors"]:
        names = SECTOR_NAMES.get(s["sector"], {"en": s["sector"], "ko": s["sector"]})
        needs_en.append(
            f"- {names['en']}: {_n(s['open'])} requests open ({_n(s['awaiting_asset'])} awaiting an asset), "
            f"{_n(s['opened'])} opened and {_n(s['met'])} met in the period."
        )
        needs_ko.append(
            f"- {names['ko']}: 미결 요청 {_n(s['open'])}건 (자산 미배정 {_n(s['awaiting_asset'])}건), "
            f"기간 중 접수 {_n(s['opened'])}건, 완료 {_n(s['met'])}건."
        )
    gaps_en, gaps_ko = [], []
    for r in req["overdue_listed"]:
        cap = caps.get(r["capability"])
        cap_names = cap.names if cap else {"en": r["capability"], "ko": r["capability"]}
        due = local(r["needed_by"], zone) if r["needed_by"] else ""
        gaps_en.append(f"- {r['title']} ({cap_names['en']}, needed by {due}): no asset yet.")
        gaps_ko.append(f"- {r['title']} ({cap_names['ko']}, {due}까지 필요): 배정된 자산 없음.")
    for f in figures["facilities"]:
        status = STATUS_NAMES.get(f["status"], {"en": f["status"], "ko": f["status"]})
        gaps_en.append(f"- {f['name']} ({f['kind']}): {status['en']}.")
        gaps_ko.append(f"- {f['name']} ({f['kind']}): {status['ko']}.")
    following = local(end + span, zone)
    return {
        "title": {
            "en": f"Situation report No. {number}: {name}",
            "ko": f"상황보고 제{number}호: {name}",
        },
        "highlights": {
            "en": "\n".join(
                (
                    f"- As of {at}: {t['dead']} dead, {t['injured']} injured, {t['missing']} missing, "
                    f"{t['trapped']} trapped; {t['displaced']} displaced and {t['in_need']} in need.",
                    f"- {_n(inc['reported'])} incidents reported in the period ({_n(serious)} severe or extreme).",
                    f"- {_n(req['opened'])} requests for assistance opened and {_n(req['met'])} met in the period; "
                    f"{_n(req['open'])} open at its end, "
                    f"{_n(req['overdue'])} past their needed-by time without an asset.",
                )
            ),
            "ko": "\n".join(
                (
                    f"- {at} 기준: 사망 {t['dead']}명, 부상 {t['injured']}명, 실종 {t['missing']}명, "
                    f"매몰 {t['trapped']}명, 이재민 {t['displaced']}명, 구호 필요 {t['in_need']}명.",
                    f"- 기간 중 사건 {_n(inc['reported'])}건 보고 (심각·극심 {_n(serious)}건).",
                    f"- 기간 중 지원요청 {_n(req['opened'])}건 접수, {_n(req['met'])}건 완료; "
                    f"기간 말 미결 {_n(req['open'])}건, 요청 시한이 지났으나 자산 미배정 {_n(req['overdue'])}건.",
                )
            ),
        },
        "overview": overview,
        "needs_response": {
            "en": _fitted(needs_en, "- … and {n} more sectors."),
            "ko": _fitted(needs_ko, "- … 외 {n}개 분야."),
        },
        "gaps": {
            "en": _fitted(gaps_en, "- … and {n} more: see the requests and facilities in the console."),
            "ko": _fitted(gaps_ko, "- … 외 {n}건: 콘솔의 요청과 시설 목록을 보십시오."),
        },
        "next_steps": {
            "en": f"- Next situation report: {following}.",
            "ko": f"- 다음 상황보고: {following}.",
        },
    }
