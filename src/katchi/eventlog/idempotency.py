"""``Idempotency-Key``: a command's answer kept per user and key, so a retried POST (a field CMOC's
flaky link) gets the same answer instead of doing the work twice."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete
from sqlalchemy.orm import Session

from katchi.core.clock import utcnow
from katchi.core.errors import Invalid
from katchi.eventlog.models import IdempotencyRecord


def earlier_answer(session: Session, user_id: str, key: str, fingerprint: str) -> tuple[int, bytes] | None:
    """The answer a request with this key already got; Invalid if the key came with another request."""
    seen = session.get(IdempotencyRecord, (user_id, key))
    if seen is None:
        return None
    if seen.request_fingerprint != fingerprint:
        raise Invalid("this Idempotency-Key was already used for a different request")
    return seen.status_code, seen.response_body.encode()


def remember_answer(session: Session, user_id: str, key: str, fingerprint: str, status: int, body: bytes) -> None:
    """Keep the answer in the command's own transaction: kept only if the command's work is."""
    session.add(
        IdempotencyRecord(
            user_id=user_id,
            key=key,
            request_fingerprint=fingerprint,
            status_code=status,
            response_body=body.decode(),
            created_at=utcnow(),
        )
    )


def forget_answers_about(session: Session, record_id: str) -> None:
    """Drop the kept answers that hold a record being deleted (its personal details go with it)."""
    session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.response_body.contains(record_id)))


def prune_answers(session: Session, before: datetime) -> int:
    """Drop the answers kept since before ``before``: a retry comes within minutes, not days."""
    dropped = cast(
        "CursorResult[Any]", session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.created_at < before))
    )
    return dropped.rowcount or 0
