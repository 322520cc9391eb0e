"""Registry of event kinds and their typed payloads; domains register theirs in ``events.py``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

#: Whether a reader may read a label (``core.access.reader``).
Readable = Callable[[str], bool]
#: An entry's view as one reader may see it: parts that carry their own (stricter) label left out.
Shape = Callable[[dict[str, Any], Readable], dict[str, Any]]


def payload_shape(shape: Shape) -> Shape:
    """A shape written for the payload alone, lifted to the entry's view."""

    def on_view(view: dict[str, Any], readable: Readable) -> dict[str, Any]:
        payload = shape(view["payload"], readable)
        return view if payload is view["payload"] else {**view, "payload": payload}

    return on_view


@dataclass(frozen=True, slots=True)
class EventKind:
    """A named kind of event with the Pydantic model of its payload; ``shape`` when the payload
    names records under their own labels (a tasking's asset, a reply's parent, a decision's links)."""

    name: str
    payload: type[BaseModel]
    doc: str
    shape: Shape | None = None


REGISTRY: dict[str, EventKind] = {}


def event_kind(name: str, payload: type[BaseModel], doc: str, *, shape: Shape | None = None) -> EventKind:
    """Register ``name``; registering one name twice is a programming error."""
    if name in REGISTRY:
        raise ValueError(f"event kind {name} registered twice")
    kind = EventKind(name, payload, doc, shape)
    REGISTRY[name] = kind
    return kind
