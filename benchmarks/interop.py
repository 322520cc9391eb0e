"""Interoperability throughput. CAP now (TAK gateway load to follow):

  * CAP: every real CAP sample in tests/fixtures/cap parsed (defusedxml) and fully validated by
    Katchi, beside bare ``lxml.etree.fromstring`` of the same bytes, in one run.
Goal (issue 5): Katchi's parse + validate ≥ 25 % of bare lxml parse speed. Prints one JSON line.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import emit
from katchi.interop.cap import validate_cap

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "cap"


def rate(fn, docs: list[bytes], seconds: float = 2.0) -> float:  # type: ignore[no-untyped-def]
    """Documents per second, best of three timed passes of at least ``seconds`` / 3 each."""
    best = 0.0
    for _ in range(3):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds / 3:
            for d in docs:
                fn(d)
            n += len(docs)
        best = max(best, n / (time.perf_counter() - t0))
    return best


def main() -> None:
    names = [
        line.split("\t")[2].rsplit("/", 1)[-1]
        for line in (FIXTURES / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()[1:]
        if line.split("\t")[5].startswith("valid")
    ]
    docs = [(FIXTURES / n).read_bytes() for n in names]
    assert all(validate_cap(d) == [] for d in docs)
    katchi = rate(validate_cap, docs)
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    bare = rate(lambda d: etree.fromstring(d, parser), docs)
    emit(
        {
            "benchmark": "interop",
            "cap_documents": len(docs),
            "cap_bytes_mean": round(sum(map(len, docs)) / len(docs)),
            "cap_validated_per_s": round(katchi),
            "lxml_parsed_per_s": round(bare),
            "cap_vs_lxml": round(katchi / bare, 3),
            "goal_cap_vs_lxml": 0.25,
        }
    )


if __name__ == "__main__":
    main()
