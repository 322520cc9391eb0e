"""Payloads shared by several domains' event kinds."""

from __future__ import annotations

from pydantic import BaseModel


class LabelReleased(BaseModel):
    """A record's releasability was widened (DESIGN.md §5)."""

    from_label: str
    to_label: str
