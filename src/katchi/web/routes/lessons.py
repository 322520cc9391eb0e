"""The bilingual glossary (public reference data, like the capability catalogue)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from katchi import lessons
from katchi.web.deps import Caller, PageParams
from katchi.web.responses import PageOf, page_response

router = APIRouter(tags=["lessons"])


@router.get("/glossary", response_model=PageOf[lessons.GlossaryTerm])
def glossary(_caller: Caller, page: PageParams, q: Annotated[str | None, Query(max_length=100)] = None) -> Response:
    """Alliance and disaster-management terms in English and Korean, each with its definition in
    both and its public source; ``q`` matches names and abbreviations in either language first,
    then definitions."""
    return page_response(*lessons.search_glossary(q, cursor=page.cursor, limit=page.limit))
