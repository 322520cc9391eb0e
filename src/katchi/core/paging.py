"""Keyset pagination over a unique, increasing column (ids are time-ordered, seqs increase)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from katchi.core.pagination import Page, decode_cursor, encode_cursor


def paginate(
    session: Session,
    stmt: Select[Any],
    key: Any,
    *,
    cursor: str | None,
    limit: int,
    scalars: bool = True,
    newest_first: bool = False,
) -> tuple[list[Any], str | None]:
    """Run ``stmt`` ordered by ``key`` (descending if ``newest_first``) from after ``cursor``;
    return rows and the next cursor."""
    after = decode_cursor(cursor)
    if after is not None:
        stmt = stmt.where(key < after if newest_first else key > after)
    stmt = stmt.order_by(key.desc() if newest_first else key).limit(limit + 1)
    rows = list(session.scalars(stmt) if scalars else session.execute(stmt))
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = None
    if more and rows:
        last = rows[-1]
        nxt = encode_cursor(getattr(last, key.key))
    return rows, nxt


__all__ = ["Page", "paginate"]
