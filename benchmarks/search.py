"""Search over 100,000 mixed Korean and English records, on SQLite and on PostgreSQL.

Builds 10 operations of two nations' organisations with 40,000 log entries, 25,000 messages,
15,000 decisions and 20,000 lessons (half Korean, half English: sentences of the glossary's
definitions and municipality names; labels mixed: alliance, nation, organisation), written as rows,
then measures:
  * index build: ``katchi.search.rebuild`` over all of them (the analyser and the full-text index);
  * query latency: ``GET /api/v1/search`` through a real ``katchi serve``, as a Korean and a US
    coordinator, 20 queries (Korean words with particles, English inflections, two-word queries,
    rare and common terms) 10 times each; p50 and p95 of 400 requests, and the slowest query's p95.
Goal: p95 ≤ 100 ms. PostgreSQL runs when ``KATCHI_TEST_DATABASE_URL`` names one (run under
``scripts/with-postgres.sh``); its database is emptied first. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import create_engine, func, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import emit, katchi_process, percentile, workdir
from katchi import search
from katchi.accounts import OrganisationCreate, UserCreate, add_org, add_user, create_token
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.core.ids import new_id
from katchi.db import Database, upgrade_schema
from katchi.eventlog import transaction
from katchi.lessons import Lesson
from katchi.operations import Decision, Message, Operation, OperationParticipant, OpsLogEntry

COUNTS = {"log": 40_000, "message": 25_000, "decision": 15_000, "lesson": 20_000}
ORGS = [("kor-cmoc", "KOR"), ("kor-redcross", "KOR"), ("kor-army", "KOR"), ("us-liaison", "USA"), ("us-army", "USA")]
QUERIES = [
    "대피소", "대피소에서", "구호물자를", "헬기", "이재민에게", "구조", "병원으로", "수원시", "재난안전대책본부",
    "의료",
    "shelter", "sheltering", "evacuation", "helicopters", "coordination", "military assets", "Suwon-si", "USFK",
    "CMOC", "water",
]  # fmt: skip
DATA = Path(__file__).resolve().parents[1] / "src" / "katchi" / "data"


def _corpus() -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """Real prose to draw records from: the glossary's definitions (both languages, split into
    sentences) and the names of Korea's municipalities."""
    terms = json.loads((DATA / "glossary.json").read_text("utf-8"))["terms"]
    ko = [x.strip() + "." for t in terms for x in t["definition"]["ko"].split(".") if len(x.strip()) > 8]
    en = [x.strip() + "." for t in terms for x in t["definition"]["en"].split(". ") if len(x.strip()) > 8]
    places = json.loads((DATA / "korea" / "municipalities.geojson").read_text("utf-8"))["features"]
    return ko, en, [(f["properties"]["name_ko"], f["properties"]["name_en"]) for f in places]


KO, EN, PLACES = _corpus()


def korean(rng: random.Random) -> str:
    return " ".join(rng.sample(KO, rng.randint(1, 2))) + " " + rng.choice(PLACES)[0]


def english(rng: random.Random) -> str:
    return " ".join(rng.sample(EN, rng.randint(1, 2))) + " " + rng.choice(PLACES)[1]


def text_of(rng: random.Random) -> str:
    return korean(rng) if rng.random() < 0.5 else english(rng)


def label_of(rng: random.Random, org: str, nation: str) -> str:
    r = rng.random()
    return "alliance" if r < 0.6 else f"nation:{nation}" if r < 0.85 else f"org:{org}"


def seed(url: str) -> tuple[dict[str, str], int]:
    """The world (through commands) and the records (as rows: setting up, not what is measured)."""
    upgrade_schema(url)
    db = Database(url)
    ctx = Context(None, source="bench")
    tokens: dict[str, str] = {}
    with transaction(db) as s:
        for slug, nation in ORGS:
            add_org(s, ctx, OrganisationCreate(slug=slug, name_en=slug, nation=nation, kind="civil"))
        for username, slug in (("kor", "kor-cmoc"), ("us", "us-liaison")):
            add_user(s, ctx, UserCreate(username=username, org=slug, role=Role.coordinator))
            tokens[username] = create_token(s, ctx, username)
    rng = random.Random(7)
    t0 = datetime(2026, 11, 1, tzinfo=UTC)
    with db.write_session() as s, s.begin():
        orgs = {slug: oid for slug, oid in s.execute(text("SELECT slug, id FROM organisations"))}
        user = s.scalar(text("SELECT id FROM users WHERE username = 'kor'"))
        ops = []
        for i in range(10):
            op = new_id()
            ops.append(op)
            s.execute(insert(Operation), [{"id": op, "name": f"Operation {i}", "mode": "real", "hazard": "typhoon",
                                           "status": "active", "description": "", "lead_org_id": orgs["kor-cmoc"],
                                           "label": "alliance", "created_at": t0}])  # fmt: skip
            members = [slug for slug, _ in ORGS if i % 3 or not slug.startswith("us")]
            part = [{"operation_id": op, "org_id": orgs[m], "coordinating": m == "kor-cmoc"} for m in members]
            s.execute(insert(OperationParticipant), part)
        total = 0
        for kind, n in COUNTS.items():
            rows: list[dict[str, Any]] = []
            for j in range(n):
                slug, nation = rng.choice(ORGS)
                at = t0 + timedelta(seconds=j * 7)
                common = {"id": new_id(), "label": label_of(rng, slug, nation), "created_at": at}
                if kind == "lesson":
                    bilingual = (
                        {"en": english(rng), "ko": korean(rng)}
                        if rng.random() < 0.3
                        else ({"en": english(rng), "ko": ""} if rng.random() < 0.5 else {"en": "", "ko": korean(rng)})
                    )
                    rows.append(common | {"title": bilingual, "observation": {"en": text_of(rng), "ko": ""},
                                          "discussion": {}, "recommendation": {}, "root_cause": {}, "sources": [],
                                          "hazard": "typhoon", "state": rng.choice(["observed", "validated"]),
                                          "org_id": orgs[slug], "author_id": user, "author_label": "bench",
                                          "updated_at": at})  # fmt: skip
                else:
                    body = {"operation_id": rng.choice(ops), "author_label": "bench"}
                    if kind == "decision":
                        body |= {
                            "title": text_of(rng)[:300],
                            "rationale": text_of(rng),
                            "links": {},
                            "decided_by": user,
                        }
                    else:
                        body |= {"text": text_of(rng), "author_id": user}
                    rows.append(common | body)
                if len(rows) == 5000:
                    s.execute(insert(_MODELS[kind]), rows)
                    total += len(rows)
                    rows = []
            if rows:
                s.execute(insert(_MODELS[kind]), rows)
                total += len(rows)
    db.dispose()
    return tokens, total


_MODELS: dict[str, Any] = {"log": OpsLogEntry, "message": Message, "decision": Decision, "lesson": Lesson}


def build_index(url: str) -> dict[str, float]:
    db = Database(url)
    try:
        with db.write_session() as s, s.begin():
            built = search.rebuild(s)
        if url.startswith("postgresql"):
            with db.write_session() as s, s.begin():
                s.execute(text("ANALYZE search_documents"))
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(search.SearchDocument)) == built["documents"]
        return built
    finally:
        db.dispose()


def measure_queries(url: str, tokens: dict[str, str]) -> dict[str, Any]:
    latencies: list[float] = []
    by_query: dict[str, list[float]] = {}
    hits: dict[str, int] = {}
    with katchi_process(url) as base:
        clients = {who: httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {tok}"},
                                     timeout=30) for who, tok in tokens.items()}  # fmt: skip
        for client in clients.values():  # warm: the server loads Kiwi's model on its first query
            client.get("/search", params={"q": "대피소"}).raise_for_status()
        for _ in range(10):
            for q in QUERIES:
                for who, client in clients.items():
                    t = time.perf_counter()
                    resp = client.get("/search", params={"q": q})
                    latencies.append(ms := (time.perf_counter() - t) * 1000)
                    by_query.setdefault(q, []).append(ms)
                    resp.raise_for_status()
                    hits[f"{who}:{q}"] = len(resp.json()["items"])
        for c in clients.values():
            c.close()
    return {
        "query_p50_ms": round(statistics.median(latencies), 1),
        "query_p95_ms": round(percentile(latencies, 95), 1),
        "query_max_ms": round(max(latencies), 1),
        "queries": len(latencies),
        "queries_with_results": sum(1 for v in hits.values() if v),
        "slowest_query": max(by_query, key=lambda q: percentile(by_query[q], 95)),
        "slowest_query_p95_ms": round(max(percentile(v, 95) for v in by_query.values()), 1),
    }


def run(url: str) -> dict[str, Any]:
    t = time.perf_counter()
    tokens, total = seed(url)
    seeded = time.perf_counter() - t
    built = build_index(url)
    return {"records": total, "seed_s": round(seeded, 1), "index_build_s": built["seconds"],
            **measure_queries(url, tokens)}  # fmt: skip


def main() -> None:
    result: dict[str, Any] = {"benchmark": "search", "goal_p95_ms": 100}
    with workdir("katchi-search-") as tmp:
        result["sqlite"] = run(f"sqlite:///{tmp / 'search.db'}")
    pg = os.environ.get("KATCHI_TEST_DATABASE_URL", "")
    if pg:
        engine = create_engine(pg)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        result["postgresql"] = run(pg)
    emit(result)


if __name__ == "__main__":
    main()
