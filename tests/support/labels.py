"""The label table of DESIGN.md §5, written independently of ``katchi.core.access``: the oracle
the releasability property tests check every read path against."""

from __future__ import annotations


def expected_visible(label: str, reader: tuple[str, str, bool]) -> bool:
    """Whether ``reader`` (organisation slug, nation, takes part) may read ``label``."""
    slug, nation, participant = reader
    if label == "public":
        return True
    if label == "alliance":
        return participant
    if label.startswith("nation:"):
        return participant and label == f"nation:{nation}"
    return label == f"org:{slug}"
