"""How a log entry is shown to readers (timeline and live stream share it)."""

from __future__ import annotations

from typing import Any

from katchi.core.clock import iso
from katchi.eventlog.models import LogEntry


def entry_view(entry: LogEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "id": entry.id,
        "kind": entry.kind,
        "occurred_at": iso(entry.occurred_at),
        "recorded_at": iso(entry.recorded_at),
        "operation_id": entry.operation_id,
        "subject": {"type": entry.subject_type, "id": entry.subject_id},
        "actor": entry.actor_label,
        "source": entry.source,
        "label": entry.label,
        "payload": entry.payload,
    }
