"""``Idempotency-Key``: a command's answer kept per user and key, so a retried POST (a field CMOC's
flaky link) gets the same answer instead of doing the work twice."""

from __future__ import annotations

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
