"""The bilingual glossary of alliance and disaster-management terms shipped in
``katchi/data/glossary.json``: public reference data (like the capability catalogue), each entry
with both names, a definition in both languages and the public source it is drawn from."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from pydantic import BaseModel, Field, computed_field

from katchi.core.pagination import decode_cursor, encode_cursor
from katchi.core.schemas import Bilingual


class Source(BaseModel):
    title: str
    publisher: str
    url: str


class GlossaryTerm(BaseModel):
    id: str
    term: Bilingual
    #: The abbreviation in use (``CMOC``), and the Korean short form where there is one (``중대본``).
    abbr: str
    abbr_ko: str
    #: Other ways it is written in running text, in either language (``shelter`` for an evacuation shelter).
    aliases: list[str] = Field(default_factory=list)
    definition: Bilingual
    source: Source

    @computed_field  # type: ignore[prop-decorator]
    @property
    def label(self) -> str:
        return "public"


@lru_cache(maxsize=1)
def glossary() -> tuple[GlossaryTerm, ...]:
    raw = json.loads(resources.files("katchi.data").joinpath("glossary.json").read_text("utf-8"))
    return tuple(GlossaryTerm.model_validate(t) for t in raw["terms"])


class GlossaryForm(BaseModel):
    """One way a term is written in running text; ``exact``: its letters' case must match too
    (``CAP`` the protocol, not "cap"), as for most abbreviations."""

    text: str
    exact: bool


class IndexedTerm(BaseModel):
    id: str
    term: Bilingual
    abbr: str
    definition: Bilingual
    #: Longest first.
    forms: list[GlossaryForm]


class GlossaryIndex(BaseModel):
    """Every term with the forms it is written in: what the console marks in texts."""

    items: list[IndexedTerm]


_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _names(name: str) -> list[str]:
    """A name as written in text: without its parenthesised gloss ("대피소 (대피장소)" is written
    "대피소"), each of "A / B" on its own."""
    plain = re.sub(r"\s*\([^)]*\)", "", name).strip()
    return [part.strip() for part in plain.split(" / ") if part.strip()]


def _exact(text: str, abbreviation: bool) -> bool:
    """Short abbreviations and names in capitals keep their case ("IP", "CoT", "STARTEX"); longer
    mixed-case ones (SitRep, HuMOCC) are also written otherwise."""
    if _HANGUL.search(text):
        return False
    capitals = not any(c.islower() for c in text)
    return (abbreviation or capitals) and (capitals or len(text) < 5)


def match_forms(t: GlossaryTerm) -> list[GlossaryForm]:
    """The forms ``t`` is written in: its names in both languages, abbreviations and aliases,
    longest first (so "Shelter cluster" wins over "shelter")."""
    found: dict[str, GlossaryForm] = {}
    candidates = [(n, False) for n in _names(t.term.en) + _names(t.term.ko) + t.aliases]
    candidates += [(a, True) for a in (t.abbr, t.abbr_ko) if a]
    for text, abbreviation in candidates:
        if len(text) >= 2 and text not in found:
            found[text] = GlossaryForm(text=text, exact=_exact(text, abbreviation))
    return sorted(found.values(), key=lambda f: -len(f.text))


@lru_cache(maxsize=1)
def glossary_index() -> GlossaryIndex:
    return GlossaryIndex(
        items=[
            IndexedTerm(id=t.id, term=t.term, abbr=t.abbr, definition=t.definition, forms=match_forms(t))
            for t in glossary()
        ]
    )


def _rank(t: GlossaryTerm, q: str) -> int | None:
    """How well ``t`` matches ``q`` (lower is better; None: not at all). Names and abbreviations
    in either language first, exact before prefix before anywhere; then the definitions."""
    names = [t.abbr.casefold(), t.abbr_ko.casefold(), t.term.en.casefold(), t.term.ko.casefold()]
    names = [n for n in names if n]
    if q in names:
        return 0
    if any(n.startswith(q) for n in names):
        return 1
    if any(q in n for n in names):
        return 2
    if q in t.definition.en.casefold() or q in t.definition.ko.casefold():
        return 3
    return None


def search_glossary(q: str | None, *, cursor: str | None, limit: int) -> tuple[list[GlossaryTerm], str | None]:
    """Terms matching ``q`` in English or Korean (every term without ``q``), best first, then by
    English name; ``cursor`` is the position in that order."""
    needle = (q or "").strip().casefold()
    if needle:
        ranked = [(r, t.term.en.casefold(), t) for t in glossary() if (r := _rank(t, needle)) is not None]
        found = [t for _, _, t in sorted(ranked, key=lambda x: (x[0], x[1]))]
    else:
        found = sorted(glossary(), key=lambda t: t.term.en.casefold())
    start = decode_cursor(cursor) or 0
    if not isinstance(start, int):
        start = 0
    page = found[start : start + limit]
    more = start + limit < len(found)
    return page, encode_cursor(start + limit) if more else None
