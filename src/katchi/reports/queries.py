"""Reads of situation reports: by their label, and drafts only by the operation's coordinators
(a draft is work in progress of the CMOC; the audience reads what is issued)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.core.access import Principal, label_filter
from katchi.core.errors import Forbidden, NotFound
from katchi.core.paging import paginate
from katchi.operations import OperationView, coordinates, scoped_get
from katchi.reports.models import SitRep, SitRepSchedule
from katchi.reports.schemas import SECTIONS, ScheduleRead, SitRepRead, SitRepSummary, SitRepText
from katchi.reports.states import SitRepState


def _texts(rep: SitRep) -> dict[str, SitRepText]:
    return {s: SitRepText.model_validate(rep.texts.get(s) or {}) for s in SECTIONS}


def sitrep_read(rep: SitRep) -> SitRepRead:
    return SitRepRead(
        id=rep.id,
        operation_id=rep.operation_id,
        number=rep.number,
        period_start=rep.period_start,
        period_end=rep.period_end,
        state=rep.state,
        scheduled=rep.scheduled,
        label=rep.label,
        author=rep.author_label,
        issued_at=rep.issued_at,
        issued_by=rep.issued_by_label,
        texts=_texts(rep),
        figures=rep.figures,
        created_at=rep.created_at,
        updated_at=rep.updated_at,
    )


def sitrep_summary(rep: SitRep) -> SitRepSummary:
    return SitRepSummary(
        id=rep.id,
        number=rep.number,
        period_start=rep.period_start,
        period_end=rep.period_end,
        state=rep.state,
        scheduled=rep.scheduled,
        label=rep.label,
        title=_texts(rep)["title"],
        issued_at=rep.issued_at,
        created_at=rep.created_at,
    )


def visible_sitrep(session: Session, principal: Principal | None, sitrep_id: str) -> tuple[SitRep, OperationView]:
    """A report the reader may read (its label; a draft only as a coordinator), else NotFound."""
    rep, view = scoped_get(session, SitRep, principal, sitrep_id, "situation report")
    if rep.state == SitRepState.draft and (principal is None or not coordinates(session, principal, view)):
        raise NotFound(f"no situation report {sitrep_id}")
    return rep, view


def list_sitreps(
    session: Session, principal: Principal | None, view: OperationView, *, cursor: str | None, limit: int
) -> tuple[list[SitRepSummary], str | None]:
    """The operation's reports the reader may read, in the order they were drafted."""
    stmt = select(SitRep).where(
        SitRep.operation_id == view.id, label_filter(SitRep.label, principal, participant=view.participant)
    )
    if principal is None or not coordinates(session, principal, view):
        stmt = stmt.where(SitRep.state != SitRepState.draft)
    rows, nxt = paginate(session, stmt, SitRep.id, cursor=cursor, limit=limit)
    return [sitrep_summary(r) for r in rows], nxt


def schedule_of(session: Session, principal: Principal, view: OperationView) -> ScheduleRead:
    """The operation's drafting schedule, for its coordinators (no times: none)."""
    if not coordinates(session, principal, view):
        raise Forbidden("only the operation's coordinators see its situation report schedule")
    row = session.get(SitRepSchedule, view.id)
    if row is None:
        return ScheduleRead(operation_id=view.id, times=[], timezone="Asia/Seoul", label="alliance", last_slot=None)
    return ScheduleRead(
        operation_id=view.id, times=row.times, timezone=row.timezone, label=row.label, last_slot=row.last_slot
    )
