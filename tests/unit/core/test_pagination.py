from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from katchi.core import Invalid
from katchi.core.pagination import decode_cursor, encode_cursor


@given(st.one_of(st.integers(min_value=0, max_value=2**62), st.text(alphabet="0123456789abcdef", min_size=1)))
def test_cursor_round_trip(key: int | str) -> None:
    assert decode_cursor(encode_cursor(key)) == key


@given(st.text(max_size=60))
def test_any_text_is_a_cursor_or_invalid(text: str) -> None:
    with contextlib.suppress(Invalid):
        decode_cursor(text)


@pytest.mark.parametrize("bad", ["!!!", "aTo", "czo"])
def test_malformed_cursors(bad: str) -> None:
    with pytest.raises(Invalid):
        decode_cursor(bad)
