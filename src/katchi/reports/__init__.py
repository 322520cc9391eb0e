"""Situation reports (SitReps): drafted from the record as their audience reads it, edited,
issued, rendered, and drafted on a schedule."""

from katchi.reports.content import SECTOR_NAMES, local
from katchi.reports.events import SITREP_DRAFTED, SITREP_EDITED, SITREP_ISSUED, SITREP_SCHEDULE_SET
from katchi.reports.models import SitRep, SitRepSchedule
from katchi.reports.queries import list_sitreps, schedule_of, sitrep_read, visible_sitrep
from katchi.reports.schemas import (
    SECTIONS,
    ScheduleRead,
    ScheduleSet,
    SitRepCreate,
    SitRepRead,
    SitRepSummary,
    SitRepUpdate,
)
from katchi.reports.service import (
    draft_sitrep,
    edit_sitrep,
    issue_sitrep,
    prepare_scheduled_sitreps,
    set_schedule,
    zone_named,
)

__all__ = [
    "SECTIONS",
    "SECTOR_NAMES",
    "SITREP_DRAFTED",
    "SITREP_EDITED",
    "SITREP_ISSUED",
    "SITREP_SCHEDULE_SET",
    "ScheduleRead",
    "ScheduleSet",
    "SitRep",
    "SitRepCreate",
    "SitRepRead",
    "SitRepSchedule",
    "SitRepSummary",
    "SitRepUpdate",
    "draft_sitrep",
    "edit_sitrep",
    "issue_sitrep",
    "list_sitreps",
    "local",
    "prepare_scheduled_sitreps",
    "schedule_of",
    "set_schedule",
    "sitrep_read",
    "visible_sitrep",
    "zone_named",
]
