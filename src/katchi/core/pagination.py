"""Opaque cursors for ``{items, next}`` lists ordered by a unique, increasing key."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from katchi.core.errors import Invalid


def encode_cursor(key: str | int) -> str:
    raw = f"{'i' if isinstance(key, int) else 's'}:{key}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | int | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        tag, _, value = raw.partition(":")
        if tag == "i":
            return int(value)
        if tag == "s" and value:
            return value
    except (ValueError, UnicodeDecodeError):
        pass
    raise Invalid("malformed cursor", errors=[{"loc": ["query", "cursor"], "msg": "malformed cursor"}])


@dataclass(frozen=True, slots=True)
class Page:
    """One page of records and the cursor to the next (``None`` on the last page)."""

    items: list[Any]
    next: str | None
