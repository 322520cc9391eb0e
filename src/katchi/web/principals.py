"""A short-lived cache of bearer token → principal, so a busy client costs no lookup per request."""

from __future__ import annotations

import hashlib
import threading
import time

from katchi.core.access import Principal


class PrincipalCache:
    """Bounded TTL map keyed by the token's SHA-256 (the token itself is never kept)."""

    def __init__(self, ttl_seconds: float, max_entries: int = 10_000) -> None:
        self._ttl = ttl_seconds
        self._max = max_entries
        self._items: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def get(self, token: str) -> Principal | None:
        if self._ttl <= 0:
            return None
        key = self._key(token)
        with self._lock:
            hit = self._items.get(key)
            if hit is None:
                return None
            if hit[0] < time.monotonic():
                del self._items[key]
                return None
            return hit[1]

    def put(self, token: str, principal: Principal) -> None:
        if self._ttl <= 0:
            return
        with self._lock:
            if len(self._items) >= self._max:
                self._items.clear()
            self._items[self._key(token)] = (time.monotonic() + self._ttl, principal)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
