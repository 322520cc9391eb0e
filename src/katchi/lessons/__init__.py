"""Lessons learned: observations that become lessons (a life cycle as data), remedial actions
assigned to organisations and verified against evidence, and the bilingual glossary."""

from katchi.lessons.candidates import Candidates, propose_candidates
from katchi.lessons.glossary import GlossaryIndex, GlossaryTerm, glossary, glossary_index, search_glossary
from katchi.lessons.models import Lesson, RemedialAction
from katchi.lessons.queries import get_lesson, list_lessons, visible_lesson
from katchi.lessons.report import LessonsReport, lessons_report
from katchi.lessons.schemas import (
    Evidence,
    LessonActionBody,
    LessonRead,
    LessonUpdate,
    ObservationCreate,
    RemedialActionRead,
    SourceRef,
    SurfacedLesson,
)
from katchi.lessons.service import act_on_lesson, edit_lesson, record_observation
from katchi.lessons.sources import describe as describe_source
from katchi.lessons.states import LessonAction, LessonState
from katchi.lessons.surfacing import operation_lessons, plan_lessons

__all__ = [
    "Candidates",
    "Evidence",
    "GlossaryIndex",
    "GlossaryTerm",
    "Lesson",
    "LessonAction",
    "LessonActionBody",
    "LessonRead",
    "LessonState",
    "LessonUpdate",
    "LessonsReport",
    "ObservationCreate",
    "RemedialAction",
    "RemedialActionRead",
    "SourceRef",
    "SurfacedLesson",
    "act_on_lesson",
    "describe_source",
    "edit_lesson",
    "get_lesson",
    "glossary",
    "glossary_index",
    "lessons_report",
    "list_lessons",
    "operation_lessons",
    "plan_lessons",
    "propose_candidates",
    "record_observation",
    "search_glossary",
    "visible_lesson",
]
