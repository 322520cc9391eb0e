"""CoT events: the verdict on every labelled real sample, round trips, the rules one by one,
hostile input and fuzzing."""

from __future__ import annotations

import csv
import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from katchi.interop.cot import CotError, decode_cot, encode_cot, validate_cot

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "cot"
LABELS = {
    Path(row["path"].split(" -> ")[-1]).name: row["label"]
    for row in csv.DictReader((FIXTURES / "SOURCES.tsv").open(encoding="utf-8"), delimiter="\t")
    if row["path"].endswith(".xml")
}
VALID = sorted(n for n, label in LABELS.items() if label.startswith("valid"))
PLI = (FIXTURES / "tests_test_functions.py_L69.xml").read_bytes()


@pytest.mark.parametrize("name", sorted(LABELS))
def test_verdict_matches_the_label(name: str) -> None:
    problems = validate_cot((FIXTURES / name).read_bytes())
    assert (problems == []) == LABELS[name].startswith("valid"), problems


@pytest.mark.parametrize("name", VALID)
def test_round_trip(name: str) -> None:
    event = decode_cot((FIXTURES / name).read_bytes())
    again = decode_cot(encode_cot(event))
    same = [(math.isnan(a) and math.isnan(b)) or a == b for a, b in
            ((event.hae, again.hae), (event.ce, again.ce), (event.le, again.le))]  # fmt: skip
    assert all(same)
    assert replace(again, hae=0, ce=0, le=0, detail=None) == replace(event, hae=0, ce=0, le=0, detail=None)
    assert (again.detail is None) == (event.detail is None)
    assert again.callsign == event.callsign


def test_fields_and_escaping() -> None:
    event = decode_cot((FIXTURES / "test_validation.test.ts_L72.xml").read_bytes())
    assert event.callsign == "Alpha & Bravo"
    assert b"Alpha &amp; Bravo" in encode_cot(event)
    nan = decode_cot((FIXTURES / "test_validation.test.ts_L109.xml").read_bytes())
    assert math.isnan(nan.hae) and b'hae="NaN"' in encode_cot(nan)


PLI_TEXT = PLI.decode().replace("'", '"')  # the WinTAK sample quotes attributes with '


def edit(old: str, new: str) -> list[str]:
    text = PLI_TEXT
    assert old in text, old
    return [str(p) for p in validate_cot(text.replace(old, new, 1))]


def test_rules() -> None:
    text = PLI_TEXT
    assert validate_cot(text) == []
    assert any("uid" in p for p in edit('uid="', 'xuid="'))
    lat = text.split('lat="')[1].split('"')[0]
    assert any("latitude" in p for p in edit(f'lat="{lat}"', 'lat="91"'))
    assert any("latitude" in p for p in edit(f'lat="{lat}"', 'lat="NaN"'))
    assert any("lat must be a number" in p for p in edit(f'lat="{lat}"', 'lat="north"'))
    assert any("not an ISO 8601" in p for p in edit('time="', 'time="yesterday'))
    assert any("type" in p for p in edit('type="', 'type="a f '))
    assert any("exactly one <point>" in p for p in edit("<point ", "<pt "))


def test_hostile_and_oversized() -> None:
    assert "DOCTYPE" in str(validate_cot(b'<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><event>&x;</event>'))
    assert "limit" in str(validate_cot(b"<event>" + b" " * 300_000 + b"</event>"))
    assert "nesting" in str(validate_cot(b"<event>" + b"<d>" * 20 + b"</d>" * 20 + b"</event>"))
    with pytest.raises(CotError):
        decode_cot(b"not xml")


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(PLI) - 1), st.integers(1, 30), st.binary(max_size=20))
def test_fuzz_never_crashes(at: int, cut: int, insert: bytes) -> None:
    data = PLI[:at] + insert + PLI[at + cut :]
    problems = validate_cot(data)
    try:
        decode_cot(data)
    except CotError:
        assert problems
    else:
        assert problems == []
