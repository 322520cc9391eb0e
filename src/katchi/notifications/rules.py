"""Who is notified of which event, and in which words: one entry per event kind.

A rule names candidate recipients and writes the text for one recipient from the fields that
recipient may read (``Recipient.reads``: the access rule for that recipient in the event's
operation). Whether the recipient may read the event at all is decided by the delivery
(``notifications.delivery``), not here: a rule never widens who learns of an event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, User
from katchi.assets import Asset
from katchi.core.access import Principal, Role, can_read
from katchi.operations import OperationParticipant
from katchi.tasking import Rfa

Entry = Mapping[str, Any]
Candidate = tuple[User, Organisation]


@dataclass(frozen=True, slots=True)
class Notice:
    """A notification's text in both languages, and the label of any further record it names."""

    en: str
    ko: str
    detail_label: str | None = None


@dataclass(frozen=True, slots=True)
class Recipient:
    """A person a notice is written for, and whether their organisation takes part in the event's
    operation (what they may read there follows from it)."""

    principal: Principal
    participant: bool

    def reads(self, label: str) -> bool:
        """The access rule, in the event's operation."""
        return can_read(self.principal, label, participant=self.participant)

    def reads_on_platform(self, label: str) -> bool:
        """The access rule for platform-wide records (assets): every signed-in user is in the alliance."""
        return can_read(self.principal, label, participant=True)


@dataclass(frozen=True, slots=True)
class Rule:
    #: The notification's kind as its reader sees it.
    kind: str
    recipients: Callable[[Session, Entry], Iterable[Candidate]]
    text: Callable[[Session, Entry, Recipient], Notice | None]
    #: Whether this entry of the kind concerns the rule at all.
    applies: Callable[[Entry], bool] = lambda _entry: True


# Words ------------------------------------------------------------------------------------------

STATE_KO = {
    "draft": "초안",
    "submitted": "접수",
    "validated": "검증됨",
    "rejected": "반려",
    "tasked": "임무 부여",
    "accepted": "수락",
    "declined": "거절",
    "underway": "수행 중",
    "completed": "완료",
    "cancelled": "취소",
}
ACTION_EN = {"approve": "approved by the asset's nation", "deny": "denied by the asset's nation"}
ACTION_KO = {"approve": "자산 소속 국가가 승인함", "deny": "자산 소속 국가가 거부함"}
OPEN_STATES = ("draft", "submitted", "validated", "tasked", "accepted", "declined", "underway")
_EXCERPT = 140


def _excerpt(text: str) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= _EXCERPT else one_line[: _EXCERPT - 1] + "…"


def _when(value: Any) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.strftime("%Y-%m-%d %H:%M UTC")


# Recipients -------------------------------------------------------------------------------------


#: Candidates by rule and record, for one transaction: a batch (a group commit, an exercise's
#: batch) notifies the same few people of many events.
USERS_CACHE = "katchi_notification_candidates"


def _users(session: Session, key: tuple[Any, ...], *where: Any) -> list[Candidate]:
    cache: dict[tuple[Any, ...], list[Candidate]] = session.info.setdefault(USERS_CACHE, {})
    found = cache.get(key)
    if found is None:
        stmt = (
            select(User, Organisation)
            .join(Organisation, Organisation.id == User.org_id)
            .where(User.active.is_(True), *where)
            .order_by(User.id)
        )
        found = cache[key] = [(u, o) for u, o in session.execute(stmt).all()]
    return found


def _rfa(session: Session, entry: Entry) -> Rfa | None:
    return session.get(Rfa, entry["subject_id"]) if entry["subject_type"] == "rfa" else None


def _asset(session: Session, entry: Entry) -> Asset | None:
    asset_id = entry["payload"].get("asset_id")
    return session.get(Asset, asset_id) if asset_id else None


def asset_owners(session: Session, entry: Entry) -> list[Candidate]:
    """The asset's organisation's asset managers and coordinators."""
    asset = _asset(session, entry)
    if asset is None:
        return []
    managers = User.role.in_([Role.asset_manager, Role.coordinator])
    return _users(session, ("owners", asset.org_id), User.org_id == asset.org_id, managers)


def nation_approvers(session: Session, entry: Entry) -> list[Candidate]:
    """Approvers of the asset's nation."""
    asset = _asset(session, entry)
    owner = session.get(Organisation, asset.org_id) if asset else None
    if owner is None:
        return []
    return _users(session, ("approvers", owner.nation), Organisation.nation == owner.nation, User.role == Role.approver)


def rfa_author(session: Session, entry: Entry) -> list[Candidate]:
    """Whoever wrote the RFA."""
    rfa = _rfa(session, entry)
    if rfa is None or rfa.created_by is None:
        return []
    return _users(session, ("user", rfa.created_by), User.id == rfa.created_by)


def rfa_coordinators(session: Session, entry: Entry) -> list[Candidate]:
    """Coordinators of the requesting organisation and of the operation's coordinating ones."""
    rfa = _rfa(session, entry)
    if rfa is None:
        return []
    coordinating = select(OperationParticipant.org_id).where(
        OperationParticipant.operation_id == rfa.operation_id, OperationParticipant.coordinating.is_(True)
    )
    return _users(
        session,
        ("rfa_coordinators", rfa.operation_id, rfa.requesting_org_id),
        User.role == Role.coordinator,
        (User.org_id == rfa.requesting_org_id) | User.org_id.in_(coordinating),
    )


def addressees(session: Session, entry: Entry) -> list[Candidate]:
    """Every user of the organisations a message is addressed to."""
    slugs = entry["payload"].get("to_orgs") or []
    return _users(session, ("orgs", *sorted(slugs)), Organisation.slug.in_(slugs)) if slugs else []


def participants(session: Session, entry: Entry) -> list[Candidate]:
    """Every user of the operation's participant organisations."""
    if entry["operation_id"] is None:
        return []
    taking_part = select(OperationParticipant.org_id).where(OperationParticipant.operation_id == entry["operation_id"])
    return _users(session, ("participants", entry["operation_id"]), User.org_id.in_(taking_part))


# Texts ------------------------------------------------------------------------------------------


def _asset_named(session: Session, entry: Entry, who: Recipient) -> tuple[str | None, str | None]:
    """The tasked asset's name and the tasking's label, if this reader may read the tasking and the
    asset. Assets are platform-wide: reading one's label does not depend on taking part in an
    operation and only widens over time, so the tasking's label is the one to check again when
    the notice is read."""
    tasking_label = entry["payload"].get("tasking_label")
    asset = _asset(session, entry)
    if asset is None or tasking_label is None or not who.reads(tasking_label):
        return None, None
    if not who.reads_on_platform(asset.label):
        return None, None
    return asset.name, tasking_label


def asset_tasked_text(session: Session, entry: Entry, who: Recipient) -> Notice | None:
    rfa = _rfa(session, entry)
    if rfa is None:
        return None
    name, detail = _asset_named(session, entry, who)
    waiting = entry["payload"].get("tasking_status") == "awaiting_approval" and detail is not None
    if name is not None:
        en = f"Your asset {name} was requested for RFA “{rfa.title}”"
        ko = f"귀 기관의 자산 {name}에 지원 요청 “{rfa.title}” 임무가 요청되었습니다"
    else:
        en = f"Your organisation's asset was requested for RFA “{rfa.title}”"
        ko = f"귀 기관의 자산에 지원 요청 “{rfa.title}” 임무가 요청되었습니다"
    if waiting:
        en += " (awaiting national approval)"
        ko += " (국가 승인 대기 중)"
    return Notice(en, ko, detail)


def approval_text(session: Session, entry: Entry, who: Recipient) -> Notice | None:
    rfa = _rfa(session, entry)
    if rfa is None:
        return None
    name, detail = _asset_named(session, entry, who)
    what_en = f"asset {name}" if name else "an asset of your nation"
    what_ko = f"자산 {name}" if name else "귀국 자산"
    return Notice(
        f"A tasking of {what_en} to RFA “{rfa.title}” awaits your nation's approval",
        f"{what_ko}의 지원 요청 “{rfa.title}” 임무 부여가 귀국의 승인을 기다립니다",
        detail,
    )


def rfa_changed_text(session: Session, entry: Entry, who: Recipient) -> Notice | None:
    rfa = _rfa(session, entry)
    if rfa is None:
        return None
    payload = entry["payload"]
    action = str(payload.get("action", ""))
    if action in ACTION_EN:
        return Notice(
            f"Your RFA “{rfa.title}” was {ACTION_EN[action]}",
            f"귀하의 지원 요청 “{rfa.title}”: {ACTION_KO[action]}",
        )
    state = str(payload.get("to_state", ""))
    return Notice(
        f"Your RFA “{rfa.title}” is now {state}",
        f"귀하의 지원 요청 “{rfa.title}” 상태: {STATE_KO.get(state, state)}",
    )


def overdue_text(session: Session, entry: Entry, who: Recipient) -> Notice | None:
    rfa = _rfa(session, entry)
    if rfa is None:
        return None
    payload = entry["payload"]
    state = str(payload.get("state", ""))
    when = _when(payload["needed_by"])
    return Notice(
        f"RFA “{rfa.title}” is past its needed-by time ({when}) and still {state}",
        f"지원 요청 “{rfa.title}”이(가) 필요 시한({when})을 넘겼으나 아직 {STATE_KO.get(state, state)} 상태입니다",
    )


def message_text(session: Session, entry: Entry, who: Recipient) -> Notice | None:
    author = entry["actor_label"]
    excerpt = _excerpt(str(entry["payload"].get("text", "")))
    return Notice(
        f"Message to your organisation from {author}: {excerpt}",
        f"{author}이(가) 귀 기관에 보낸 메시지: {excerpt}",
    )


def sitrep_text(session: Session, entry: Entry, who: Recipient) -> Notice | None:
    payload = entry["payload"]
    title = payload.get("title") or {}
    en_title = title.get("en") or title.get("ko") or ""
    ko_title = title.get("ko") or title.get("en") or ""
    when = _when(payload["period_end"]) if payload.get("period_end") else ""
    return Notice(
        f"SitRep issued: {en_title}" + (f" (to {when})" if when else ""),
        f"상황보고서 발행: {ko_title}" + (f" ({when}까지)" if when else ""),
    )


# The table ---------------------------------------------------------------------------------------

_RFA_STEPS = ("validated", "rejected", "tasked", "accepted", "declined", "started", "completed", "cancelled")
_RFA_CHANGED = Rule("rfa_changed", rfa_author, rfa_changed_text)

#: Event kind → its rules, most specific first: a person matched by two rules of one event gets
#: only the first one's notification.
RULES: dict[str, tuple[Rule, ...]] = {
    "tasking.rfa.tasked": (
        Rule(
            "approval_awaited",
            nation_approvers,
            approval_text,
            lambda e: e["payload"].get("tasking_status") == "awaiting_approval",
        ),
        Rule("asset_tasked", asset_owners, asset_tasked_text),
        _RFA_CHANGED,
    ),
    **{f"tasking.rfa.{step}": (_RFA_CHANGED,) for step in _RFA_STEPS if step != "tasked"},
    "tasking.rfa.approved": (_RFA_CHANGED,),
    "tasking.rfa.denied": (_RFA_CHANGED,),
    "notifications.rfa.overdue": (Rule("rfa_overdue", rfa_coordinators, overdue_text),),
    "operations.message.posted": (
        Rule("message", addressees, message_text, lambda e: bool(e["payload"].get("to_orgs"))),
    ),
    "reports.sitrep.issued": (Rule("sitrep_issued", participants, sitrep_text),),
}
