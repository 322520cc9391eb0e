"""The situation report's life cycle as data: a draft is edited until it is issued, and an issued
report never changes."""

from __future__ import annotations

from enum import StrEnum


class SitRepState(StrEnum):
    draft = "draft"
    issued = "issued"


#: States whose texts may still be edited.
EDITABLE = frozenset({SitRepState.draft})
#: action → (states it leaves from, state it reaches)
TRANSITIONS = {"issue": (frozenset({SitRepState.draft}), SitRepState.issued)}
