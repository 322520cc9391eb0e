"""Small helpers for HTTP tests."""

from __future__ import annotations

from typing import Any

import httpx


def point(lon: float = 126.978, lat: float = 37.566) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [lon, lat]}


def ok(resp: httpx.Response, status: int = 200) -> Any:
    assert resp.status_code == status, f"{resp.status_code}: {resp.text}"
    return resp.json()


def problem(resp: httpx.Response, status: int) -> dict[str, Any]:
    assert resp.status_code == status, f"{resp.status_code}: {resp.text}"
    assert resp.headers["content-type"].startswith("application/problem+json"), resp.headers["content-type"]
    body = resp.json()
    assert body["status"] == status and body["detail"]
    return body  # type: ignore[no-any-return]


def create_operation(client: httpx.Client, participants: list[str], **extra: Any) -> dict[str, Any]:
    body = {
        "name": "Seoul earthquake response",
        "mode": "real",
        "hazard": "earthquake",
        "participants": participants,
        "label": "alliance",
    } | extra
    return ok(client.post("/operations", json=body), 201)  # type: ignore[no-any-return]


def items(client: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a paginated list, following ``next``."""
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        q = dict(params) | ({"cursor": cursor} if cursor else {})
        page = ok(client.get(path, params=q))
        out.extend(page["items"])
        cursor = page["next"]
        if cursor is None:
            return out
