"""Ranked search over the records a principal may read, on SQLite (FTS5) and PostgreSQL alike.

The query is analysed like the records (``analyser.query_terms``) and every term must match. Rows
are filtered by the one read rule before they are ranked or counted: a record's own label, read
as its operation's participant or not, and its operation's label; records of no operation
(lessons) are read as the platform's, like ``lessons.queries`` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    column,
    exists,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session

from katchi.core import Invalid
from katchi.core.access import Principal, label_filter, on_platform
from katchi.core.pagination import decode_cursor, encode_cursor
from katchi.operations import Operation, OperationParticipant
from katchi.search.analyser import query_terms, spans
from katchi.search.models import SearchDocument

_SNIPPET_CHARS = 160


@dataclass(frozen=True, slots=True)
class Hit:
    type: str
    id: str
    operation_id: str | None
    exercise: bool
    title: str
    snippet: str
    highlights: list[tuple[int, int]]
    score: float
    label: str
    created_at: datetime


def _readable(principal: Principal | None) -> ColumnElement[bool]:
    """The read rule for index rows: their record's label and, inside an operation, its label."""
    platform = and_(
        SearchDocument.operation_id.is_(None),
        label_filter(SearchDocument.label, principal, participant=on_platform(principal)),
    )
    if principal is None:
        part: ColumnElement[bool] | bool = False
    else:
        part = exists().where(
            OperationParticipant.operation_id == SearchDocument.operation_id,
            OperationParticipant.org_id == principal.org_id,
        )
    inside = and_(
        SearchDocument.operation_id.is_not(None),
        label_filter(SearchDocument.label, principal, participant=part),
        label_filter(Operation.label, principal, participant=part),
    )
    return or_(platform, inside)


_FTS = table("search_fts", column("rowid", Integer), column("search_fts", String))


def _fts5_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _matching(session: Session, stmt: Any, wanted: list[str]) -> Any:
    """``stmt`` narrowed to rows matching every term, with a ``score`` column (higher is better)."""
    if session.get_bind().dialect.name == "postgresql":
        query = func.plainto_tsquery(literal_column("'simple'"), " ".join(wanted))
        tsv: ColumnElement[Any] = literal_column("search_documents.tsv")
        return stmt.add_columns(func.ts_rank_cd(tsv, query).label("score")).where(tsv.op("@@")(query))
    fts = " ".join(_fts5_phrase(t) for t in wanted)
    return (
        stmt.add_columns((-func.bm25(literal_column("search_fts"))).label("score"))
        .join(_FTS, _FTS.c.rowid == SearchDocument.id)
        .where(_FTS.c.search_fts.op("MATCH")(fts))
    )


def search(
    session: Session,
    principal: Principal | None,
    q: str,
    *,
    types: list[str] | None = None,
    lang: str = "en",
    cursor: str | None = None,
    limit: int = 20,
) -> tuple[list[Hit], str | None]:
    """The records ``principal`` may read matching every term of ``q``, best first."""
    wanted = query_terms(q)
    if not wanted:
        raise Invalid(
            "q has no words to search for", errors=[{"loc": ["query", "q"], "msg": "no searchable words", "input": q}]
        )
    offset = decode_cursor(cursor) or 0
    if not isinstance(offset, int) or offset < 0:
        raise Invalid("malformed cursor", errors=[{"loc": ["query", "cursor"], "msg": "malformed cursor"}])
    stmt = (
        select(SearchDocument, Operation.mode)
        .outerjoin(Operation, Operation.id == SearchDocument.operation_id)
        .where(_readable(principal), *((SearchDocument.type.in_(types),) if types else ()))
    )
    stmt = (
        _matching(session, stmt, wanted)
        .order_by(literal_column("score").desc(), SearchDocument.created_at.desc(), SearchDocument.id.desc())
        .offset(offset)
        .limit(limit + 1)
    )
    rows: list[Any] = list(session.execute(stmt).all())
    more = len(rows) > limit
    hits = [_hit(doc, mode, float(sc or 0.0), set(wanted), lang) for doc, mode, sc in rows[:limit]]
    return hits, encode_cursor(offset + limit) if more else None


def _hit(doc: SearchDocument, mode: str | None, score: float, wanted: set[str], lang: str) -> Hit:
    snippet, highlights = snippet_of(doc.body, wanted)
    return Hit(
        type=doc.type,
        id=doc.record_id,
        operation_id=doc.operation_id,
        exercise=mode == "exercise",
        title=doc.title.get(lang) or doc.title.get("en") or "",
        snippet=snippet,
        highlights=highlights,
        score=round(score, 6),
        label=doc.label,
        created_at=doc.created_at,
    )


def snippet_of(body: str, wanted: set[str]) -> tuple[str, list[tuple[int, int]]]:
    """A window of ``body`` around its first matching word, and where the matches are in it."""
    found = [s for s in spans(body) if s.term in wanted]
    if not found:
        cut = body[:_SNIPPET_CHARS]
        return (cut + "…" if len(body) > _SNIPPET_CHARS else cut), []
    start = max(0, found[0].start - _SNIPPET_CHARS // 4)
    # Start at a word boundary where there is one near.
    space = body.rfind(" ", 0, found[0].start)
    if space >= start:
        start = space + 1 if found[0].start - space < _SNIPPET_CHARS // 4 else start
    end = min(len(body), start + _SNIPPET_CHARS)
    prefix = "…" if start > 0 else ""
    window = prefix + body[start:end].replace("\n", " ") + ("…" if end < len(body) else "")
    shift = len(prefix) - start
    marks = [(s.start + shift, s.end + shift) for s in found if s.start >= start and s.end <= end]
    return window, marks
