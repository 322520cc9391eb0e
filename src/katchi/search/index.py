"""Keeps the search index in step with the records, in the transaction that writes them.

Every command that creates or changes a searchable record flushes it through the session; the
``before_flush`` hook below adds or updates its index row in that same flush, so a record is
searchable exactly when it is committed and under the label it was committed with. ``rebuild``
recomputes the whole index (a new analyser, or records written before search existed).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from itertools import chain
from typing import Any

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from katchi.eventlog import take_write_lock
from katchi.search.analyser import ANALYSER_VERSION, terms
from katchi.search.documents import INDEXED, Document, document_of
from katchi.search.models import SearchDocument, SearchState

_BATCH = 1000


def _row(doc: Document, doc_terms: list[str]) -> dict[str, Any]:
    return {
        "type": doc.type,
        "record_id": doc.record_id,
        "operation_id": doc.operation_id,
        "label": doc.label,
        "title": doc.title,
        "body": doc.body,
        "terms": " ".join(doc_terms),
        "created_at": doc.created_at,
    }


def _index_flushed(session: Session, _ctx: Any, _instances: Any) -> None:
    new = [r for r in session.new if isinstance(r, INDEXED)]
    changed = [r for r in session.dirty if isinstance(r, INDEXED) and session.is_modified(r)]
    gone = [r for r in session.deleted if isinstance(r, INDEXED)]
    if not (new or changed or gone):
        return
    with session.no_autoflush:
        for record in new:
            doc = document_of(record)
            session.add(SearchDocument(**_row(doc, terms(doc.body))))
        for record in chain(changed, gone):
            existing = session.scalar(select(SearchDocument).where(SearchDocument.record_id == record.id))
            if record in gone:
                if existing is not None:
                    session.delete(existing)
                continue
            doc = document_of(record)
            row = _row(doc, terms(doc.body))
            if existing is None:
                session.add(SearchDocument(**row))
            else:
                for name, value in row.items():
                    setattr(existing, name, value)


def _records(session: Session) -> Iterator[Any]:
    for model in INDEXED:
        yield from session.scalars(select(model).order_by(model.id).execution_options(yield_per=_BATCH))


def rebuild(session: Session) -> dict[str, float]:
    """Recompute every index row from the records; returns how many and how long (seconds).

    Takes the write lock first, as every command does: a command committed between the delete
    and the re-read would fail or be indexed twice."""
    started = time.perf_counter()
    take_write_lock(session)
    session.execute(delete(SearchDocument))
    count = 0
    batch: list[Document] = []

    def flush_batch() -> None:
        if batch:
            analysed = [terms(d.body) for d in batch]
            session.execute(insert(SearchDocument), [_row(d, t) for d, t in zip(batch, analysed, strict=True)])
            batch.clear()

    for record in _records(session):
        batch.append(document_of(record))
        count += 1
        if len(batch) >= _BATCH:
            flush_batch()
    flush_batch()
    session.merge(SearchState(key="analyser_version", value=str(ANALYSER_VERSION)))
    return {"documents": count, "seconds": round(time.perf_counter() - started, 3)}


def ensure_current(session: Session) -> dict[str, float] | None:
    """Rebuild the index unless this analyser built it; what ``rebuild`` returns, or ``None``."""
    state = session.get(SearchState, "analyser_version")
    if state is not None and state.value == str(ANALYSER_VERSION):
        return None
    return rebuild(session)


def install() -> None:
    """Index every session's searchable records as they are flushed (idempotent)."""
    if not event.contains(Session, "before_flush", _index_flushed):
        event.listen(Session, "before_flush", _index_flushed)
