"""What search answers, one model for the API and the console."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

RecordType = Literal["lesson", "observation", "log", "decision", "message"]


class Hit(BaseModel):
    """One record found: ``title`` in the reader's language where the record has it;
    ``highlights`` are ``[start, end)`` offsets of the matching words in ``snippet``."""

    type: RecordType
    id: str
    operation_id: str | None
    exercise: bool
    title: str
    snippet: str
    highlights: list[tuple[int, int]]
    score: float
    label: str
    created_at: datetime
