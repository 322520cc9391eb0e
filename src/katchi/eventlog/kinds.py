"""Registry of event kinds and their typed payloads; domains register theirs in ``events.py``."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class EventKind:
    """A named kind of event with the Pydantic model of its payload."""

    name: str
    payload: type[BaseModel]
    doc: str


REGISTRY: dict[str, EventKind] = {}


def event_kind(name: str, payload: type[BaseModel], doc: str) -> EventKind:
    """Register ``name``; registering one name twice is a programming error."""
    if name in REGISTRY:
        raise ValueError(f"event kind {name} registered twice")
    kind = EventKind(name, payload, doc)
    REGISTRY[name] = kind
    return kind
