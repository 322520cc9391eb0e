"""Relevance from analysed terms: more occurrences score higher, with diminishing returns; a
shorter record with the same occurrences scores higher; records without the terms score zero."""

from __future__ import annotations

from katchi.search.ranking import bm25


def test_occurrences_and_length_order_records() -> None:
    docs = ["water", "water road", " ".join(["water"] * 5), "road", "water water"]
    once, once_longer, five, none, twice = bm25(docs, {"water"})
    assert five > twice > once > once_longer > none == 0
    assert five - twice < twice - 0  # saturation: the fifth mention adds little
    assert bm25([], {"water"}) == []
    assert bm25(["waters water", "", "x water"], {"water"}) == bm25(["x water", "", "waters water"], {"water"})[::-1]
