"""The situation board over 50,000 incidents: ``GET /api/v1/operations/{id}/situation`` latency.

One operation of two nations' organisations with 50,000 incidents in the capital area's
municipalities (random human-impact figures, labels mixed: alliance, nation, organisation) and
2,000 RFAs, written as rows (setting up, not what is measured), then 100 requests through a real
``katchi serve`` as a Korean and a US coordinator. Goal: p95 ≤ 300 ms. Prints one JSON line.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import build, emit, katchi_process, percentile, workdir
from katchi.cop import Incident, all_districts
from katchi.core.ids import new_id
from katchi.db import Database
from katchi.tasking import Rfa

INCIDENTS, RFAS, REQUESTS = 50_000, 2_000, 100
IMPACT = ("dead", "injured", "missing", "trapped", "displaced", "in_need")


def _located(lonlat: tuple[float, float], now: datetime) -> dict[str, Any]:
    lon, lat = lonlat
    point = {"type": "Point", "coordinates": [lon, lat]}
    box = {"min_lon": lon, "max_lon": lon, "min_lat": lat, "max_lat": lat}
    return {"id": new_id(), "description": "", "location": point, "created_at": now, "updated_at": now} | box


def seed(url: str, op_id: str) -> None:
    rng = random.Random(3)
    capital = [d for d in all_districts() if d.code[:2] in ("11", "23", "31")]
    now = datetime(2026, 12, 1, tzinfo=UTC)
    db = Database(url)
    with db.write_session() as s, s.begin():
        orgs = dict(s.execute(text("SELECT slug, id FROM organisations")).tuples().all())
        rows: list[dict[str, Any]] = []
        for _ in range(INCIDENTS):
            district = rng.choice(capital)
            org = rng.choice(list(orgs))
            nation = "nation:USA" if org.startswith("us") else "nation:KOR"
            r = rng.random()
            label = "alliance" if r < 0.6 else nation if r < 0.9 else f"org:{org}"
            row = _located(district.centroid, now) | {
                "kind": "collapse", "title": "Collapse", "severity": "severe", "status": "open",
                "people_affected": 0, "district_code": district.code, "reported_by_org_id": orgs[org],
                "label": label, "operation_id": op_id,
            }  # fmt: skip
            rows.append(row | {name: (rng.randint(0, 50) if rng.random() < 0.5 else None) for name in IMPACT})
            if len(rows) == 5000:
                s.execute(insert(Incident), rows)
                rows = []
        rfas = []
        for _ in range(RFAS):
            state = rng.choice(["submitted", "validated", "completed"])
            rfas.append(_located(rng.choice(capital).centroid, now) | {
                "operation_id": op_id, "requesting_org_id": orgs["kor-cmoc"], "title": "Need",
                "capability": "usar_medium", "quantity": 1, "priority": "high", "state": state, "label": "alliance",
            })  # fmt: skip
        s.execute(insert(Rfa), rfas)
    db.dispose()


def main() -> None:
    with workdir("katchi-situation-") as tmp:
        url = f"sqlite:///{tmp / 'situation.db'}"
        tokens, op_id = build(url, {"coord": ("kor-cmoc", "KOR"), "us": ("us-liaison", "USA")})
        seed(url, op_id)
        latencies: list[float] = []
        with katchi_process(url) as base:
            clients = [httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {t}"}, timeout=30)
                       for t in tokens.values()]  # fmt: skip
            for c in clients:
                c.get(f"/operations/{op_id}/situation").raise_for_status()
            for i in range(REQUESTS):
                client = clients[i % len(clients)]
                t = time.perf_counter()
                resp = client.get(f"/operations/{op_id}/situation")
                latencies.append((time.perf_counter() - t) * 1000)
                resp.raise_for_status()
            board = clients[0].get(f"/operations/{op_id}/situation").json()
            for c in clients:
                c.close()
    emit(
        {
            "benchmark": "situation",
            "incidents": INCIDENTS,
            "rfas": RFAS,
            "districts": len(board["items"]),
            "p50_ms": round(statistics.median(latencies), 1),
            "p95_ms": round(percentile(latencies, 95), 1),
            "goal_p95_ms": 300,
        }
    )


if __name__ == "__main__":
    main()
