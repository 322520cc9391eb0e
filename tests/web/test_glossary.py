"""The bilingual glossary: at least 150 terms, each with both names, a definition in both
languages and a public source; ``q`` finds a term by either language's name or abbreviation."""

from __future__ import annotations

import httpx

from katchi.lessons import glossary
from tests.support.api import items, ok
from tests.support.server import LiveServer
from tests.support.world import World


def test_every_term_has_both_languages_and_a_public_source() -> None:
    terms = glossary()
    assert len(terms) >= 150 and len({t.id for t in terms}) == len(terms)
    for t in terms:
        assert t.term.en and t.term.ko and t.definition.en and t.definition.ko, t.id
        assert t.source.title and t.source.publisher and t.source.url.startswith("https://"), t.id
    abbrs = {t.abbr for t in terms}
    assert {"CMOC", "HACC", "MNCC", "JTF", "RFA", "OCHA", "MSEL"} <= abbrs


def test_q_matches_either_language_best_first(server: LiveServer, world: World) -> None:
    c = server.client(world.tokens["viewer"])
    assert httpx.get(f"{server.url}/api/v1/glossary").status_code == 401
    first = lambda q: ok(c.get("/glossary", params={"q": q}))["items"][0]  # noqa: E731
    assert first("CMOC")["abbr"] == "CMOC" and first("cmoc")["abbr"] == "CMOC"
    assert first("중대본")["term"]["ko"] == "중앙재난안전대책본부"
    assert first("Oslo Guidelines")["term"]["ko"] == "오슬로 가이드라인"
    last_resort = {t["id"] for t in ok(c.get("/glossary", params={"q": "최후 수단"}))["items"]}
    assert "last-resort" in last_resort
    assert ok(c.get("/glossary", params={"q": "no such term anywhere"}))["items"] == []
    every = items(c, "/glossary", limit=50)  # pages follow the same order to the end
    assert len(every) == len(glossary()) and len({t["id"] for t in every}) == len(every)
    assert all(t["label"] == "public" and t["definition"]["ko"] for t in every)
