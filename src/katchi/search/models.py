"""The search index: one row per searchable record, with the analysed terms both databases match.

The rows are a projection of the records (rebuilt by ``katchi search reindex``), written in the
same transaction as the record they index. Each row carries its record's label and operation, so
the one read rule filters search results as it filters the records themselves. SQLite matches
``terms`` through the FTS5 table ``search_fts`` (kept in step by triggers); PostgreSQL through the
generated ``tsv`` column and its GIN index (migration ``2026-12-01_search``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from katchi.db import Base


class SearchDocument(Base):
    __tablename__ = "search_documents"

    #: An integer key: the FTS5 table's rowid.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: lesson | observation | log | decision | message
    type: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[str] = mapped_column(String(32), unique=True)
    operation_id: Mapped[str | None] = mapped_column(String(32), index=True)
    label: Mapped[str] = mapped_column(String(80))
    #: ``{en, ko}`` (a record written in one language has the same text in both).
    title: Mapped[dict[str, Any]]
    #: The searchable text as written, for snippets.
    body: Mapped[str] = mapped_column(Text)
    #: The analyser's terms, space-separated.
    terms: Mapped[str] = mapped_column(Text)
    #: Matches are taken newest first (``queries.BLOCK``).
    created_at: Mapped[datetime] = mapped_column(index=True)


class SearchState(Base):
    """Which analyser built the index (a newer one rebuilds it)."""

    __tablename__ = "search_state"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
