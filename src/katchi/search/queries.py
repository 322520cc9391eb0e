"""Ranked search over the records a principal may read, on SQLite (FTS5) and PostgreSQL alike.

The query is analysed like the records (``analyser.query_terms``) and every term must match. Rows
are filtered by the one read rule before they are ranked or counted: a record's own label, read
as its operation's participant or not, and its operation's label; records of no operation
(lessons) are read as the platform's, like ``lessons.queries`` reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    String,
    and_,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import Session

from katchi.core import Invalid
from katchi.core.access import Principal, can_read, label_filter, on_platform
from katchi.core.pagination import decode_cursor, encode_cursor
from katchi.operations import Operation, OperationParticipant
from katchi.search.analyser import query_terms, spans
from katchi.search.models import SearchDocument
from katchi.search.ranking import bm25
from katchi.search.schemas import Hit

_SNIPPET_CHARS = 160
#: How deep paging goes (a cursor is a position in the results).
MAX_OFFSET = 1_000_000


@dataclass(frozen=True, slots=True)
class _Operations:
    """The operations ``principal`` may read (their own label, read as participant or not), split by
    whether its organisation takes part, and which are exercises."""

    taking_part: list[str]
    not_taking_part: list[str]
    exercises: frozenset[str]


def _operations(session: Session, principal: Principal | None) -> _Operations:
    org = principal.org_id if principal is not None else None
    rows = session.execute(
        select(Operation.id, Operation.label, Operation.mode, OperationParticipant.org_id).outerjoin(
            OperationParticipant,
            and_(OperationParticipant.operation_id == Operation.id, OperationParticipant.org_id == org),
        )
    ).all()
    inside: list[str] = []
    outside: list[str] = []
    exercises: set[str] = set()
    for op_id, label, mode, member in rows:
        participant = member is not None
        if can_read(principal, label, participant=participant):
            (inside if participant else outside).append(op_id)
            if mode == "exercise":
                exercises.add(op_id)
    return _Operations(sorted(inside), sorted(outside), frozenset(exercises))


def _readable(principal: Principal | None, ops: _Operations) -> ColumnElement[bool]:
    """The read rule for index rows: a record of no operation is read as the platform's; a record
    of an operation the principal may read, by its label as that operation's participant or not."""
    doc = SearchDocument
    return or_(
        and_(doc.operation_id.is_(None), label_filter(doc.label, principal, participant=on_platform(principal))),
        and_(doc.operation_id.in_(ops.taking_part), label_filter(doc.label, principal, participant=True)),
        and_(doc.operation_id.in_(ops.not_taking_part), label_filter(doc.label, principal, participant=False)),
    )


_FTS = table("search_fts", column("rowid", Integer), column("search_fts", String))


def _fts5_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _tsquery(wanted: list[str]) -> ColumnElement[Any]:
    return func.plainto_tsquery(literal_column("'simple'"), " ".join(wanted))


_TSV: ColumnElement[Any] = literal_column("search_documents.tsv")


def _fts5_query(wanted: list[str]) -> str:
    return " ".join(_fts5_phrase(t) for t in wanted)


def _matching(session: Session, stmt: Any, wanted: list[str]) -> Any:
    """``stmt`` narrowed to index rows matching every term."""
    if _postgres(session):
        return stmt.where(_TSV.op("@@")(_tsquery(wanted)))
    # The FTS5 query runs once, as a set the rows are looked up in; a join would let SQLite walk
    # the newest rows by index and run the full-text query for each.
    found = select(_FTS.c.rowid).where(_FTS.c.search_fts.op("MATCH")(_fts5_query(wanted)))
    return stmt.where(SearchDocument.id.in_(found))


#: Matches are ranked by relevance (``ranking.bm25``) this many at a time, newest first: the
#: newest 2,000 matches best first, then the next 2,000, … A word found in a third of 100,000
#: records would otherwise be ranked in full for every page; most queries match fewer and are
#: ranked whole.
BLOCK = 2000


def _ranked_page(
    session: Session, matching: Any, wanted: list[str], offset: int, count: int
) -> list[tuple[int, float]]:
    """``count`` rows from ``offset`` in the order: block of newest matches, then relevance,
    then newest (stable across pages, so paging neither repeats nor skips a record)."""
    out: list[tuple[int, float]] = []
    block, skip = divmod(offset, BLOCK)
    while len(out) < count:
        # Sort narrow rows (id, time) in the database, then read the block's terms by key.
        newest = (
            matching.add_columns(SearchDocument.created_at)
            .order_by(SearchDocument.created_at.desc(), SearchDocument.id.desc())
            .offset(block * BLOCK)
            .limit(BLOCK)
            .subquery()
        )
        read = select(SearchDocument.id, SearchDocument.created_at, SearchDocument.terms)
        rows = sorted(
            session.execute(read.join(newest, newest.c.id == SearchDocument.id)).all(),
            key=lambda r: (r[1], r[0]),
            reverse=True,
        )
        if not rows:
            break
        scores = bm25([r[2] for r in rows], set(wanted))
        order = sorted(range(len(rows)), key=lambda k: (-scores[k], k))
        out += [(rows[k][0], scores[k]) for k in order[skip : skip + count - len(out)]]
        if len(rows) < BLOCK:
            break
        block, skip = block + 1, 0
    return out


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
    """The records ``principal`` may read matching every term of ``q``, best first (``BLOCK``)."""
    wanted = query_terms(q)
    if not wanted:
        raise Invalid(
            "q has no words to search for", errors=[{"loc": ["query", "q"], "msg": "no searchable words", "input": q}]
        )
    offset = decode_cursor(cursor) or 0
    if not isinstance(offset, int) or not 0 <= offset <= MAX_OFFSET:
        raise Invalid("malformed cursor", errors=[{"loc": ["query", "cursor"], "msg": "malformed cursor"}])
    ops = _operations(session, principal)
    readable = select(SearchDocument.id).where(
        _readable(principal, ops), *((SearchDocument.type.in_(types),) if types else ())
    )
    ranked = _ranked_page(session, _matching(session, readable, wanted), wanted, offset, limit + 1)
    more = len(ranked) > limit
    ranked = ranked[:limit]
    docs = {
        d.id: d for d in session.scalars(select(SearchDocument).where(SearchDocument.id.in_([i for i, _ in ranked])))
    }
    hits = [
        _hit(docs[doc_id], docs[doc_id].operation_id in ops.exercises, score, set(wanted), lang)
        for doc_id, score in ranked
    ]
    return hits, encode_cursor(offset + limit) if more else None


def _hit(doc: SearchDocument, exercise: bool, score: float, wanted: set[str], lang: str) -> Hit:
    snippet, highlights = snippet_of(doc.body, wanted, lang)
    return Hit(
        type=doc.type,
        id=doc.record_id,
        operation_id=doc.operation_id,
        exercise=exercise,
        title=doc.title.get(lang) or doc.title.get("en") or "",
        snippet=snippet,
        highlights=highlights,
        score=round(score, 6),
        label=doc.label,
        created_at=doc.created_at,
    )


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def snippet_of(body: str, wanted: set[str], lang: str | None = None) -> tuple[str, list[tuple[int, int]]]:
    """A window of one line of ``body`` (a record's texts are a line each) around its first match,
    and where the matches are in it. A line in the reader's language is preferred: a lesson holds
    its English and Korean texts."""
    lines = [line for line in body.split("\n") if line.strip()] or [""]
    matched = [(line, found) for line in lines if (found := [t for t in spans(line) if t.term in wanted])]
    if not matched:
        line = lines[0]
        return (line[:_SNIPPET_CHARS] + "…" if len(line) > _SNIPPET_CHARS else line), []
    in_lang = [m for m in matched if bool(_HANGUL.search(m[0])) == (lang == "ko")] if lang else []
    line, found = (in_lang or matched)[0]
    first = found[0].start
    start = max(0, first - _SNIPPET_CHARS // 4)
    space = line.find(" ", start, first)
    if start > 0 and space >= 0:
        start = space + 1  # begin at a word
    end = min(len(line), start + _SNIPPET_CHARS)
    prefix = "…" if start > 0 else ""
    window = prefix + line[start:end] + ("…" if end < len(line) else "")
    shift = len(prefix) - start
    return window, [(t.start + shift, t.end + shift) for t in found if t.start >= start and t.end <= end]
