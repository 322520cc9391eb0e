"""HXL reading on the real samples: tagged files (HXL 1.x, spaced attributes included) are read,
untagged ones refused with the reason; cell neutralisation is total (property test)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from katchi.core import Invalid
from katchi.interop.hxl import DANGEROUS, neutralise, read_hxl, write_hxl

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "hxl"
LABELS = {
    Path(row["path"]).name: row["label"]
    for row in csv.DictReader((FIXTURES / "SOURCES.tsv").open(encoding="utf-8"), delimiter="\t")
}


@pytest.mark.parametrize("name", sorted(LABELS))
def test_verdict_matches_the_label(name: str) -> None:
    text = (FIXTURES / name).read_text("utf-8")
    if LABELS[name].startswith(("valid", "real")):
        dataset = read_hxl(text)
        assert dataset.columns and list(dataset)
    else:
        with pytest.raises(Invalid, match="not HXL"):
            read_hxl(text)


def test_ebola_3w_reads_spaced_attributes() -> None:
    dataset = read_hxl((FIXTURES / "sample-data.csv").read_text("utf-8"))
    rows = list(dataset)
    assert len(rows) > 100
    assert rows[0].get("#adm2+name") == "Beyla" and rows[0].get("#org") == "CDC"


@given(st.text(max_size=40))
def test_no_exported_cell_starts_a_formula(cell: str) -> None:
    out = neutralise(cell)
    assert not out.startswith(DANGEROUS)
    assert out == cell or out == "'" + cell


def test_written_hxl_reads_back() -> None:
    text = write_hxl(["Name", "Count"], ["#org", "#affected"], [["=cmd|' /C calc'!A0", 3], ["KRCS", "+5"]])
    rows = list(read_hxl(text))
    assert [r.get("#org") for r in rows] == ["'=cmd|' /C calc'!A0", "KRCS"]
    assert rows[1].get("#affected") == "'+5"
