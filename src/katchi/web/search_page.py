"""The console's search page: one box over the lessons, observations, log entries, decisions and
messages the user may read, in Korean or English, through the same query as ``GET /api/v1/search``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from katchi import search
from katchi.core.errors import Invalid
from katchi.web import i18n
from katchi.web.deps import runtime
from katchi.web.pages import _signed_in, _to_login, render

router = APIRouter(include_in_schema=False)


def segments(snippet: str, highlights: list[tuple[int, int]]) -> list[tuple[str, bool]]:
    """The snippet as ``(text, matched)`` pieces, for the template to mark (escaped as text)."""
    out: list[tuple[str, bool]] = []
    at = 0
    for start, end in sorted(highlights):
        if start < at:
            continue
        out += [(snippet[at:start], False), (snippet[start:end], True)]
        at = end
    out.append((snippet[at:], False))
    return [piece for piece in out if piece[0]]


def link_of(hit: search.Hit) -> str:
    if hit.type in ("lesson", "observation"):
        return f"/lessons/{hit.id}"
    return f"/operations/{hit.operation_id}"


@router.get("/search", response_model=None)
async def search_page(
    request: Request,
    q: Annotated[str, Query(max_length=500)] = "",
    type: Annotated[str, Query(max_length=16)] = "",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    signed_in = await _signed_in(request)
    if signed_in is None:
        return _to_login(request)
    user, csrf = signed_in
    lang = i18n.choose_lang(request)[0]
    rt = runtime(request)
    types = [type] if type in search.TYPES else None

    def load() -> tuple[list[search.Hit], str | None, str]:
        if not q.strip():
            return [], None, ""
        try:
            with rt.db.read() as s:
                hits, nxt = search.search(s, user, q, types=types, lang=lang, cursor=cursor, limit=25)
            return hits, nxt, ""
        except Invalid as exc:
            return [], None, exc.detail

    hits, nxt, problem = await run_in_threadpool(load)
    results = [(h, link_of(h), segments(h.snippet, h.highlights)) for h in hits]
    return render(
        request, "search.html", user=user, csrf=csrf, q=q, type=type if types else "", results=results, next=nxt,
        problem=bool(problem), types=search.TYPES,
    )  # fmt: skip
