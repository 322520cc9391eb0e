"""What each searchable record contributes to the index: its type, title and text, under its own
label and operation (nothing of another record is embedded: a lesson's sources are not indexed
with it, since they may be labelled more narrowly)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, get_args

from katchi.lessons import Lesson, LessonState
from katchi.operations import Decision, Message, OpsLogEntry
from katchi.search.schemas import RecordType

#: The record types search returns, with the models they are indexed from.
TYPES: tuple[str, ...] = get_args(RecordType)
INDEXED: tuple[type[Any], ...] = (OpsLogEntry, Decision, Message, Lesson)

_LESSON_FIELDS = ("title", "observation", "discussion", "recommendation", "root_cause")
_TITLE_CHARS = 120


@dataclass(frozen=True, slots=True)
class Document:
    type: str
    record_id: str
    operation_id: str | None
    label: str
    title: dict[str, str]
    body: str
    created_at: datetime


def _short(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= _TITLE_CHARS else line[: _TITLE_CHARS - 1] + "…"


def _both(text: dict[str, Any] | None) -> dict[str, str]:
    """``{en, ko}`` with an empty language filled from the other (a title to show either reader)."""
    en, ko = (text or {}).get("en", "") or "", (text or {}).get("ko", "") or ""
    return {"en": en or ko, "ko": ko or en}


def _same(text: str) -> dict[str, str]:
    short = _short(text)
    return {"en": short, "ko": short}


def document_of(record: Any) -> Document:
    """The index document of one record of an ``INDEXED`` model."""
    if isinstance(record, OpsLogEntry):
        return Document(
            "log", record.id, record.operation_id, record.label, _same(record.text), record.text, record.created_at
        )
    if isinstance(record, Message):
        return Document(
            "message", record.id, record.operation_id, record.label, _same(record.text), record.text, record.created_at
        )
    if isinstance(record, Decision):
        title = record.title.strip()
        return Document(
            "decision",
            record.id,
            record.operation_id,
            record.label,
            {"en": title, "ko": title},
            f"{title}\n{record.rationale}",
            record.created_at,
        )
    if isinstance(record, Lesson):
        texts = [(getattr(record, name) or {}) for name in _LESSON_FIELDS]
        body = "\n".join(t.get(lang, "") for lang in ("en", "ko") for t in texts if t.get(lang))
        kind = "observation" if record.state in (LessonState.observed, LessonState.rejected) else "lesson"
        return Document(kind, record.id, None, record.label, _both(record.title), body, record.created_at)
    raise TypeError(f"not a searchable record: {type(record).__name__}")
