"""How a log entry is shown to readers (timeline and live stream share it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from katchi.core.clock import iso
from katchi.eventlog.kinds import REGISTRY, Readable
from katchi.eventlog.models import LogEntry


def _nobody(label: str) -> bool:
    return False


def for_reader(view: dict[str, Any], readable: Readable) -> dict[str, Any]:
    """The entry as one reader may see it. The entry's label decides whether it is seen at all;
    parts of its payload that name records under their own labels are left out for readers who may
    not read those (the timeline, the live stream and TAK all call this)."""
    kind = REGISTRY.get(view["kind"])
    if kind is None or kind.shape is None:
        return view
    return kind.shape(view, readable)


def is_personal(view: dict[str, Any]) -> bool:
    """Whether readers may see this entry differently: what the strictest reader sees differs
    from the whole (so a live frame cannot be encoded once for everyone)."""
    return for_reader(view, _nobody) != view


def entry_view(entry: LogEntry) -> dict[str, Any]:
    return row_view(
        {
            name: getattr(entry, name)
            for name in (
                "seq",
                "id",
                "kind",
                "occurred_at",
                "recorded_at",
                "operation_id",
                "subject_type",
                "subject_id",
                "actor_label",
                "source",
                "label",
                "payload",
            )
        }
    )


def row_view(row: Mapping[str, Any]) -> dict[str, Any]:
    """The same view from a row mapping (as written by ``record()`` or read with Core)."""
    return {
        "seq": row["seq"],
        "id": row["id"],
        "kind": row["kind"],
        "occurred_at": iso(row["occurred_at"]),
        "recorded_at": iso(row["recorded_at"]),
        "operation_id": row["operation_id"],
        "subject": {"type": row["subject_type"], "id": row["subject_id"]},
        "actor": row["actor_label"],
        "source": row["source"],
        "label": row["label"],
        "payload": row["payload"],
    }
