"""Commands of the reports domain: draft a situation report, edit it, issue it, and schedule drafts.

Only the operation's coordinators act on its reports. A report is drafted as its label's audience
reads the record (``content.py``), and an issued report never changes.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation, User, assignable_label, principal_of
from katchi.core import Conflict, Forbidden, new_id
from katchi.core.access import Principal, least_reader
from katchi.core.context import Context
from katchi.eventlog import Subject, in_savepoint, record
from katchi.exercises import exercise_time
from katchi.operations import Operation, OperationView, coordinates, writable_operation
from katchi.reports.content import draft_content
from katchi.reports.events import (
    SITREP_DRAFTED,
    SITREP_EDITED,
    SITREP_ISSUED,
    SITREP_SCHEDULE_SET,
    SitRepDrafted,
    SitRepEdited,
    SitRepIssued,
    SitRepScheduleSet,
    SitRepTitle,
)
from katchi.reports.models import SitRep, SitRepSchedule
from katchi.reports.queries import schedule_of, sitrep_read, visible_sitrep
from katchi.reports.schedule import latest_slot, previous_slot
from katchi.reports.schemas import SECTIONS, ScheduleRead, ScheduleSet, SitRepCreate, SitRepRead, SitRepUpdate
from katchi.reports.states import EDITABLE, TRANSITIONS, SitRepState

log = logging.getLogger(__name__)


@lru_cache(maxsize=8)
def zone_named(name: str) -> ZoneInfo:
    """A time zone by its IANA name (the server's ``report_timezone``, a schedule's own)."""
    return ZoneInfo(name)


def _require_coordinator(session: Session, principal: Principal, view: OperationView, what: str) -> None:
    if not coordinates(session, principal, view):
        raise Forbidden(f"only the operation's coordinators {what}")


def draft_sitrep(
    session: Session, ctx: Context, op_id: str, data: SitRepCreate, *, zone: ZoneInfo, scheduled: bool = False
) -> SitRepRead:
    """Draft the next report of the operation for a period, as ``data.label``'s audience reads it;
    its times are written in ``zone`` (the server's ``report_timezone``)."""
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    _require_coordinator(session, principal, view, "draft situation reports")
    label = assignable_label(session, principal, data.label)
    # An org: label the author may assign names the author's own organisation.
    audience = least_reader(label, org_nation=principal.nation)
    # Numbered per label: a gap in one audience's numbers would tell it of a report it may not read.
    last = select(func.max(SitRep.number)).where(SitRep.operation_id == view.id, SitRep.label == label)
    number = (session.scalar(last) or 0) + 1
    content = draft_content(
        session, view, audience, number=number, start=data.period_start, end=data.period_end, zone=zone
    )
    now = ctx.occurred(session, view.id)
    rep = SitRep(
        id=new_id(),
        operation_id=view.id,
        number=number,
        period_start=data.period_start,
        period_end=data.period_end,
        state=SitRepState.draft,
        texts=content.texts,
        figures=content.figures,
        scheduled=scheduled,
        label=label,
        org_id=principal.org_id,
        author_id=principal.user_id or None,
        author_label=principal.label,
        created_at=now,
        updated_at=now,
    )
    session.add(rep)
    read = sitrep_read(rep)  # validated before the event is recorded
    record(
        session,
        ctx,
        kind=SITREP_DRAFTED.name,
        subject=Subject("sitrep", rep.id),
        label=label,
        operation_id=view.id,
        payload=SitRepDrafted(
            number=number,
            title=SitRepTitle.model_validate(content.texts["title"]),
            period_start=rep.period_start,
            period_end=rep.period_end,
            scheduled=scheduled,
        ),
    )
    return read


def _editable(session: Session, ctx: Context, sitrep_id: str, what: str) -> tuple[SitRep, OperationView]:
    principal = ctx.require()
    rep, view = visible_sitrep(session, principal, sitrep_id)
    writable_operation(session, principal, view.id)
    _require_coordinator(session, principal, view, what)
    return rep, view


def edit_sitrep(session: Session, ctx: Context, sitrep_id: str, data: SitRepUpdate) -> SitRepRead:
    """Replace sections of a draft; an issued report answers 409."""
    rep, view = _editable(session, ctx, sitrep_id, "edit situation reports")
    if rep.state not in EDITABLE:
        raise Conflict(f"situation report {rep.number} is {rep.state}; issue a new one instead")
    changed = [s for s in SECTIONS if getattr(data, s) is not None]
    rep.texts = {**rep.texts, **{s: getattr(data, s).model_dump() for s in changed}}
    rep.updated_at = ctx.occurred(session, view.id)
    record(
        session,
        ctx,
        kind=SITREP_EDITED.name,
        subject=Subject("sitrep", rep.id),
        label=rep.label,
        operation_id=view.id,
        payload=SitRepEdited(number=rep.number, sections=changed),
    )
    return sitrep_read(rep)


def issue_sitrep(session: Session, ctx: Context, sitrep_id: str) -> SitRepRead:
    """Issue a draft to its audience; from then on it never changes."""
    rep, view = _editable(session, ctx, sitrep_id, "issue situation reports")
    sources, target = TRANSITIONS["issue"]
    if rep.state not in sources:
        raise Conflict(f"situation report {rep.number} is already {rep.state}")
    now = ctx.occurred(session, view.id)
    rep.state = target
    rep.issued_at = now
    rep.issued_by_label = ctx.require().label
    rep.updated_at = now
    record(
        session,
        ctx,
        kind=SITREP_ISSUED.name,
        subject=Subject("sitrep", rep.id),
        label=rep.label,
        operation_id=view.id,
        payload=SitRepIssued(
            number=rep.number,
            title=SitRepTitle.model_validate(rep.texts.get("title") or {}),
            period_start=rep.period_start,
            period_end=rep.period_end,
        ),
    )
    return sitrep_read(rep)


def set_schedule(session: Session, ctx: Context, op_id: str, data: ScheduleSet) -> ScheduleRead:
    """Draft a report at each of ``data.times`` (local, ``data.timezone``) for the period since the
    one before, on the caller's behalf; no times ends the schedule. Its first draft is at the next
    of those times, not for one already past."""
    principal = ctx.require()
    view = writable_operation(session, principal, op_id)
    _require_coordinator(session, principal, view, "schedule situation reports")
    label = assignable_label(session, principal, data.label)
    row = session.get(SitRepSchedule, view.id)
    now = ctx.occurred(session, view.id)
    if row is None:
        row = SitRepSchedule(operation_id=view.id, times=[], timezone=data.timezone, label=label, set_by="")
        session.add(row)
    row.times = data.times
    row.timezone = data.timezone
    row.label = label
    row.set_by = principal.user_id
    row.last_slot = latest_slot(data.times, zone_named(data.timezone), now) if data.times else None
    row.updated_at = now
    record(
        session,
        ctx,
        kind=SITREP_SCHEDULE_SET.name,
        subject=Subject("operation", view.id),
        label=view.op.label,
        operation_id=view.id,
        payload=SitRepScheduleSet(times=data.times, timezone=data.timezone, label=label),
    )
    return schedule_of(session, principal, view)


def prepare_scheduled_sitreps(session: Session, now: datetime, *, zone: ZoneInfo) -> list[str]:
    """Draft every report whose scheduled time has come (an exercise's on its own clock), on
    behalf of the coordinator who set the schedule, checked as if they drafted it now; a time
    missed while the server was down gets one draft, for the period before it. Returns their ids."""
    drafted = []
    for row in session.scalars(select(SitRepSchedule).order_by(SitRepSchedule.operation_id)):
        if not row.times:
            continue
        local_zone = zone_named(row.timezone)
        op_now = exercise_time(session, row.operation_id) or now
        slot = latest_slot(row.times, local_zone, op_now)
        if slot is None or (row.last_slot is not None and slot <= row.last_slot):
            continue
        row.last_slot = slot
        author = session.execute(
            select(User, Organisation).join(Organisation, Organisation.id == User.org_id).where(User.id == row.set_by)
        ).first()
        op = session.get(Operation, row.operation_id)
        if author is None or op is None or not author[0].active:
            log.warning("the situation report schedule of operation %s has no active author", row.operation_id)
            continue
        ctx = Context(principal_of(*author), source="schedule", timekeeper=exercise_time)
        data = SitRepCreate(label=row.label, period_start=previous_slot(row.times, local_zone, slot), period_end=slot)
        try:
            with in_savepoint(session):
                drafted.append(draft_sitrep(session, ctx, row.operation_id, data, zone=zone, scheduled=True).id)
        except Exception as error:  # the author's rights changed: skip this slot, keep the others
            log.warning("no scheduled situation report for operation %s: %s", row.operation_id, error)
    return drafted
