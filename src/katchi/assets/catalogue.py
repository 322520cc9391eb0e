"""The bilingual capability catalogue shipped in ``katchi/data/capabilities.json``."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, computed_field

from katchi.core import Invalid


class Capability(BaseModel):
    """A capability type; public reference data (``id`` is the code, the label is ``public``)."""

    code: str
    category: str
    unit: str
    names: dict[str, str]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def id(self) -> str:
        return self.code

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        return "public"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Capability]:
    raw = json.loads(resources.files("katchi.data").joinpath("capabilities.json").read_text("utf-8"))
    return {c["code"]: Capability.model_validate(c) for c in raw["capabilities"]}


def require_capability(code: str, field: str = "capability") -> Capability:
    cap = catalogue().get(code)
    if cap is None:
        raise Invalid(
            f"unknown capability {code!r}; see GET /api/v1/capabilities",
            errors=[{"loc": [field], "msg": "unknown capability", "input": code}],
        )
    return cap
