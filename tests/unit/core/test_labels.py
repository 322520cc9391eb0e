from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from katchi.core import Invalid, parse_label, stricter


@pytest.mark.parametrize("text", ["public", "alliance", "nation:KOR", "nation:USA", "org:us-2cab", "org:a"])
def test_valid_labels_round_trip(text: str) -> None:
    assert str(parse_label(text)) == text


@pytest.mark.parametrize(
    "text", ["", "Public", "nation:kor", "nation:KO", "nation:KORE", "org:", "org:UPPER", "secret", "org:-x", "nation"]
)
def test_unknown_labels_are_invalid(text: str) -> None:
    with pytest.raises(Invalid):
        parse_label(text)


def test_stricter_prefers_the_narrower_audience() -> None:
    assert stricter("alliance", "nation:USA") == "nation:USA"
    assert stricter("org:krc", "alliance") == "org:krc"
    assert stricter("public", "public") == "public"
    assert stricter("nation:KOR", "nation:USA") == "nation:KOR"


@given(st.text(max_size=40))
def test_parse_label_never_fails_with_anything_but_invalid(text: str) -> None:
    with contextlib.suppress(Invalid):
        assert str(parse_label(text)) == text
