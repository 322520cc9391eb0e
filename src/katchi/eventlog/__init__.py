"""The append-only, hash-chained event log and its live delivery."""

from katchi.eventlog.bus import CLOSED, LiveBus, LiveEvent, Subscription, sse_frame
from katchi.eventlog.chain import VerifyResult
from katchi.eventlog.common import LabelReleased
from katchi.eventlog.feeder import Feeder, frame_for
from katchi.eventlog.idempotency import forget_answers_about, prune_answers
from katchi.eventlog.kinds import REGISTRY, EventKind, Readable, event_kind, payload_shape
from katchi.eventlog.models import IdempotencyRecord, LogEntry, LogHead
from katchi.eventlog.record import Subject, record, take_write_lock
from katchi.eventlog.unit import before_commit, in_savepoint, transaction
from katchi.eventlog.verify import verify_log
from katchi.eventlog.views import entry_view, for_reader, row_view
from katchi.eventlog.writer import Writer

__all__ = [
    "CLOSED",
    "REGISTRY",
    "EventKind",
    "Feeder",
    "IdempotencyRecord",
    "LabelReleased",
    "LiveBus",
    "LiveEvent",
    "LogEntry",
    "LogHead",
    "Readable",
    "Subject",
    "Subscription",
    "VerifyResult",
    "Writer",
    "before_commit",
    "entry_view",
    "event_kind",
    "for_reader",
    "forget_answers_about",
    "frame_for",
    "in_savepoint",
    "payload_shape",
    "prune_answers",
    "record",
    "row_view",
    "sse_frame",
    "take_write_lock",
    "transaction",
    "verify_log",
]
