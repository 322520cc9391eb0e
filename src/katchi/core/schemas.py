"""Building read schemas from rows without listing every column twice."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)


def read_model(model: type[M], row: Any, **extra: Any) -> M:
    """``model`` filled from ``row``'s attributes of the same names, with ``extra`` for the rest."""
    values = {name: getattr(row, name) for name in model.model_fields if name not in extra}
    return model.model_validate(values | extra)
