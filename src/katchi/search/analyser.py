"""The one bilingual analyser: text → index terms, for documents and queries alike.

Korean is matched by morpheme (Kiwi: "대피소를" and "대피소에서" both give 대피소; particles and
endings are dropped), English and other Latin-script words by Snowball stem ("sheltering" and
"Shelters" both give shelter). Both databases index the terms this module produces, so SQLite FTS5
and PostgreSQL full-text search find exactly the same records.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import Stemmer

if TYPE_CHECKING:
    from kiwipiepy import Kiwi

#: Bump when the terms produced for a text change: stored indexes are then rebuilt.
ANALYSER_VERSION = 1

#: Kiwi tags whose morphemes carry meaning: nouns, numerals, roots, verb and adjective stems,
#: Latin-script words, numbers, hanja, and web tokens (URLs, e-mails, hashtags).
_KEEP = ("NNG", "NNP", "NR", "XR", "VV", "VA", "SL", "SN", "SH", "W_")
_LATIN = re.compile(r"[A-Za-z0-9]")
#: Words so common they only slow matching down.
_STOP = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "is", "it", "its"}
    | {"of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with"}
)

#: Guards loading and using the one Kiwi of the process (analysing a text takes under a millisecond).
_lock = threading.RLock()
_kiwi: Kiwi | None = None


def _analyser() -> Kiwi:
    """Kiwi loads its model (~1 s, shipped by kiwipiepy-model) once per process, on first use."""
    global _kiwi
    with _lock:
        if _kiwi is None:
            from kiwipiepy import Kiwi

            _kiwi = Kiwi()
        return _kiwi


def warm() -> None:
    """Load the model ahead of the first text (a server does this as it starts)."""
    _analyser()


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_STEMMER.stemWord(word.lower()))


_STEMMER = Stemmer.Stemmer("english")


@dataclass(frozen=True, slots=True)
class Term:
    """An index term and where it came from in the text (for snippets)."""

    term: str
    start: int
    end: int
    #: A compound noun that has parts ("구호물자" → 구호, 물자): documents index both, queries
    #: look for the parts, so "구호물자를" and "구호물자" (which Kiwi splits) find each other.
    compound: bool = False


_WORD = re.compile(r"\S+")
_HANGUL_NOUN = re.compile(r"^[\uac00-\ud7a3]{4,}$")


def _tokenize(text: str) -> list[Any]:
    kiwi = _analyser()
    with _lock:
        return list(kiwi.tokenize(text))


@lru_cache(maxsize=8192)
def _noun_parts(noun: str) -> tuple[str, ...]:
    parts = _tokenize(noun)
    if len(parts) > 1 and all(p.tag in ("NNG", "NNP") for p in parts):
        return tuple(p.form for p in parts)
    return ()


def _word_terms(word: str) -> tuple[Term, ...]:
    """Terms of one space-separated word, analysed alone: the same word always gives the same
    terms, whatever surrounds it (Kiwi's reading of a sentence can split a noun differently next
    to English words), so a query word finds every text with that word."""
    out: list[Term] = []
    for tok in _tokenize(word):
        if not tok.tag.startswith(_KEEP):
            continue
        form, start, end = tok.form, tok.start, tok.start + tok.len
        if tok.tag in ("SL", "SN") or tok.tag.startswith("W_") or _LATIN.match(form):
            lowered = form.lower()
            if lowered in _STOP:
                continue
            out.append(Term(_stem(lowered) if tok.tag == "SL" else lowered, start, end))
            continue
        parts = _noun_parts(form) if tok.tag in ("NNG", "NNP") and _HANGUL_NOUN.match(form) else ()
        out.append(Term(form, start, end, compound=bool(parts)))
        out.extend(Term(part, start, end) for part in parts)
    return tuple(out)


#: Words of records, remembered (the words of a language repeat); query words are not, so
#: searches cannot fill the memory with words no record has.
_record_word_terms = lru_cache(maxsize=65536)(_word_terms)


def spans(text: str, *, remember: bool = True) -> list[Term]:
    """The index terms of ``text`` with their positions."""
    analyse = _record_word_terms if remember else _word_terms
    out: list[Term] = []
    for match in _WORD.finditer(text):
        base = match.start()
        out.extend(Term(t.term, t.start + base, t.end + base, t.compound) for t in analyse(match.group()))
    return out


def terms(text: str) -> list[str]:
    """The index terms of ``text``, in order (repeats kept: they weigh in the ranking)."""
    return [t.term for t in spans(text)]


def query_terms(query: str) -> list[str]:
    """A query is analysed like the text it searches; each distinct term must match (a compound
    noun through its parts)."""
    return list(dict.fromkeys(t.term for t in spans(query, remember=False) if not t.compound))
