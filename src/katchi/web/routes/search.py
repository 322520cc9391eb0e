"""Search in Korean and English across the lessons, observations, log entries, decisions and
messages the caller may read."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel
from starlette.responses import Response

from katchi import search as search_domain
from katchi.web.deps import Caller, PageParams, Rt
from katchi.web.i18n import choose_lang
from katchi.web.responses import PageOf, page_response

router = APIRouter(tags=["search"])

RecordType = Literal["lesson", "observation", "log", "decision", "message"]


class SearchHit(BaseModel):
    """One record found: ``title`` in the request's language where the record has it;
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


@router.get("/search", response_model=PageOf[SearchHit])
def search(
    request: Request,
    rt: Rt,
    caller: Caller,
    page: PageParams,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    type: Annotated[list[RecordType] | None, Query()] = None,
) -> Response:
    """Records matching every word of ``q`` (Korean by morpheme, English by stem), best first."""
    lang, _ = choose_lang(request)
    with rt.db.read() as s:
        hits, nxt = search_domain.search(
            s, caller, q, types=list(type) if type else None, lang=lang, cursor=page.cursor, limit=page.limit
        )
    return page_response([SearchHit.model_validate(h, from_attributes=True) for h in hits], nxt)
