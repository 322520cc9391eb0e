"""Search in Korean and English across the lessons, observations, log entries, decisions and
messages the caller may read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from katchi import search as search_domain
from katchi.web.deps import Caller, PageParams, Rt
from katchi.web.i18n import choose_lang
from katchi.web.responses import PageOf, page_response

router = APIRouter(tags=["search"])


@router.get("/search", response_model=PageOf[search_domain.Hit])
def search(
    request: Request,
    rt: Rt,
    caller: Caller,
    page: PageParams,
    q: Annotated[str, Query(min_length=1, max_length=500)],
    type: Annotated[list[search_domain.RecordType] | None, Query()] = None,
) -> Response:
    """Records matching every word of ``q`` (Korean by morpheme, English by stem), best first."""
    lang, _ = choose_lang(request)
    with rt.db.read() as s:
        hits, nxt = search_domain.search(
            s, caller, q, types=list(type) if type else None, lang=lang, cursor=page.cursor, limit=page.limit
        )
    return page_response(hits, nxt)
