"""JSON responses: single records and ``{items, next}`` pages, serialised with orjson."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, TypeVar

import orjson
from pydantic import BaseModel
from starlette.responses import Response

T = TypeVar("T")


class PageOf(BaseModel, Generic[T]):
    """A page of records; pass ``next`` back as ``cursor`` for the following page."""

    items: list[T]
    next: str | None


def json_response(model: BaseModel, status: int = 200) -> Response:
    return Response(orjson.dumps(model.model_dump(mode="json")), status_code=status, media_type="application/json")


def page_response(items: Sequence[BaseModel] | Sequence[dict[str, Any]], nxt: str | None) -> Response:
    out = [i.model_dump(mode="json") if isinstance(i, BaseModel) else i for i in items]
    return Response(orjson.dumps({"items": out, "next": nxt}), media_type="application/json")
