"""Relevance of matching records, computed from their analysed terms the same way on either
database: Okapi BM25's term-frequency saturation and length normalisation (k1 = 1.2, b = 0.75).

Every result contains every query term (matching is AND), so the terms are weighed alike; what
orders results is how often they occur and how long the record is, relative to the other
records ranked with it (``queries.BLOCK``)."""

from __future__ import annotations

K1 = 1.2
B = 0.75


def bm25(documents: list[str], wanted: set[str]) -> list[float]:
    """One score per document, given as its space-separated terms (higher is better)."""
    if not documents:
        return []
    padded = [f" {d} " for d in documents]
    lengths = [d.count(" ") - 1 for d in padded]
    average = sum(lengths) / len(lengths) or 1.0
    needles = [f" {w} " for w in wanted]
    scores = []
    for text, length in zip(padded, lengths, strict=True):
        norm = K1 * (1 - B + B * length / average)
        scores.append(sum(tf * (K1 + 1) / (tf + norm) for n in needles if (tf := _occurrences(text, n))))
    return scores


def _occurrences(text: str, needle: str) -> int:
    """Whole-term occurrences (terms share their separating spaces, so ``str.count`` undercounts
    repeats: " a a " holds " a " twice but counts once)."""
    count, at = 0, text.find(needle)
    while at >= 0:
        count += 1
        at = text.find(needle, at + len(needle) - 1)
    return count
