"""Run a domain command through the group-commit writer, honouring ``Idempotency-Key``."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable

import orjson
from fastapi import Request
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.responses import Response

from katchi.core.access import Principal
from katchi.core.context import Context
from katchi.core.errors import Invalid
from katchi.eventlog.idempotency import earlier_answer, remember_answer
from katchi.exercises import exercise_time
from katchi.web.deps import runtime

Command = Callable[[Session, Context], BaseModel]


async def execute(
    request: Request, principal: Principal, command: Command, *, status: int = 201, source: str = "web"
) -> Response:
    """Queue ``command``; answer once its transaction (state + event) is durably committed."""
    key = request.headers.get("idempotency-key")
    if key is not None and not (1 <= len(key) <= 200):
        raise Invalid("Idempotency-Key must be 1–200 characters")
    fingerprint = ""
    if key is not None:
        body = await request.body()
        fingerprint = hashlib.sha256(f"{request.method} {request.url.path}\n".encode() + body).hexdigest()

    def job(session: Session) -> tuple[int, bytes, bool]:
        if key is not None:
            earlier = earlier_answer(session, principal.user_id, key, fingerprint)
            if earlier is not None:
                return earlier[0], earlier[1], True
        # People act on an exercise's clock: their events carry its simulated time.
        result = command(session, Context(principal, source=source, timekeeper=exercise_time))
        payload = orjson.dumps(result.model_dump(mode="json"))
        if key is not None:
            remember_answer(session, principal.user_id, key, fingerprint, status, payload)
        return status, payload, False

    code, content, replayed = await asyncio.wrap_future(runtime(request).writer.submit(job))
    headers = {"Idempotency-Replayed": "true"} if replayed else None
    return Response(content, status_code=code, media_type="application/json", headers=headers)
