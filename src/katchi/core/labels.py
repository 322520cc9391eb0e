"""Releasability labels (DESIGN.md §5): parsing, strictness, and checks against known names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from katchi.core.errors import Invalid

LabelKind = Literal["public", "alliance", "nation", "org"]

_RANK: dict[str, int] = {"public": 0, "alliance": 1, "nation": 2, "org": 3}
_NATION = re.compile(r"^[A-Z]{3}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")

PUBLIC = "public"
ALLIANCE = "alliance"


@dataclass(frozen=True, slots=True)
class Label:
    """A parsed label; ``value`` is the nation code or organisation slug where there is one."""

    kind: LabelKind
    value: str | None = None

    def __str__(self) -> str:
        return self.kind if self.value is None else f"{self.kind}:{self.value}"

    @property
    def rank(self) -> int:
        return _RANK[self.kind]


def parse_label(text: str) -> Label:
    """Parse ``public``, ``alliance``, ``nation:KOR`` or ``org:<slug>``; anything else is Invalid."""
    if text in (PUBLIC, ALLIANCE):
        return Label(text)  # type: ignore[arg-type]
    kind, sep, value = text.partition(":")
    if sep and kind == "nation" and _NATION.match(value):
        return Label("nation", value)
    if sep and kind == "org" and _SLUG.match(value):
        return Label("org", value)
    raise Invalid(
        f"unknown label {text!r}: use public, alliance, nation:<ISO3> or org:<slug>",
        errors=[{"loc": ["label"], "msg": "unknown label", "input": text}],
    )


def stricter(a: str, b: str) -> str:
    """The stricter of two labels, for derived records (a tasking of an RFA and an asset …).

    Two different labels of the same rank (``nation:KOR`` vs ``nation:USA``) have no common
    audience wider than nobody; we keep ``a`` (the derived record's own side), which is never
    wider than either source for the readers of ``a``'s owner.
    """
    la, lb = parse_label(a), parse_label(b)
    return str(lb) if lb.rank > la.rank else str(la)
