"""The bilingual analyser: Korean by morpheme, English by stem, a query analysed like a text, and
never a crash or a term that is not in the text's words on arbitrary input."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from katchi.search.analyser import query_terms, spans, terms
from katchi.search.queries import snippet_of


def test_particles_and_endings_are_dropped_from_korean() -> None:
    for word in ("대피소를", "대피소에서", "대피소가", "대피소의"):
        assert terms(word) == ["대피소"], word
    assert terms("헬기 2대가 출동했다") == ["헬기", "2", "출동"]


def test_the_same_word_gives_the_same_terms_next_to_english() -> None:
    # Read as a sentence, Kiwi splits 대피소 into 대 + 피소 after "fax"; word by word it does not.
    assert "대피소" in terms("Lists went by fax 대피소 명단이 늦었다")


def test_compound_nouns_are_found_by_their_parts() -> None:
    assert query_terms("구호물자를") == query_terms("구호물자") == ["구호", "물자"]
    assert {"구호", "물자"} <= set(terms("구호물자를 배분"))


def test_english_is_stemmed_and_lower_cased_and_stop_words_dropped() -> None:
    assert terms("Shelters were sheltering the people") == ["shelter", "shelter", "peopl"]
    assert query_terms("SHELTER shelters") == ["shelter"]
    assert terms("USFK에 CMOC는") == ["usfk", "cmoc"]


def test_a_snippet_marks_the_matching_words() -> None:
    body = "First line about roads.\n" + "x " * 100 + "Then the 대피소를 opened."
    snippet, marks = snippet_of(body, {"대피소"})
    assert snippet.startswith("…") and [snippet[a:b] for a, b in marks] == ["대피소"]


def test_a_snippet_is_one_line_in_the_readers_language_where_it_can_be() -> None:
    lesson = "Shelter lists were late\nLists went by fax\n대피소 명단이 늦게 전달됨\n팩스로 보냄"
    assert snippet_of(lesson, {"list"}, "ko") == ("Shelter lists were late", [(8, 13)])
    assert snippet_of(lesson, {"대피소"}, "en") == ("대피소 명단이 늦게 전달됨", [(0, 3)])
    both = "Shelter by fax\n대피소 팩스"
    assert snippet_of(both, {"fax", "팩스"}, "ko")[0] == "대피소 팩스"
    assert snippet_of(both, {"fax", "팩스"}, "en")[0] == "Shelter by fax"


@settings(deadline=None)
@given(st.text(max_size=200))
def test_any_text_analyses_to_terms_within_its_words(text: str) -> None:
    for term in spans(text):
        assert 0 <= term.start < term.end <= len(text)
        assert term.term and not any(c.isspace() for c in term.term)
    assert set(query_terms(text)) <= set(terms(text))


@settings(deadline=None)
@given(st.text(max_size=300), st.sets(st.text(min_size=1, max_size=5), max_size=3))
def test_any_snippet_highlights_lie_inside_it(body: str, wanted: set[str]) -> None:
    for lang in ("en", "ko", None):
        snippet, marks = snippet_of(body, wanted, lang)
        assert all(0 <= a < b <= len(snippet) for a, b in marks)
