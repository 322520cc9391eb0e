"""The console's COP page under load: an operation with 5,000 incidents, 500 assets and 1,000 RFAs.

Measures, in headless Debian chromium (Playwright) against a real ``katchi serve``:
  * first full render: from navigation to every feature loaded into the map layers and the board
    painted (median of 3 loads);
  * live update: from an API POST of an incident to its marker being on the page (the page stamps
    arrival time; both clocks are this machine's), for 60 posts at 4 per second.
Goals: first full render ≤ 2 s, live update ≤ 1 s p95. Prints one JSON line.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import build, emit, katchi_process, percentile, workdir
from katchi.accounts import principal_for_token, set_password
from katchi.assets import AssetCreate, register_asset
from katchi.cop import IncidentCreate, report_incident
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.tasking import RfaCreate, create_rfa

INCIDENTS, ASSETS, RFAS = 5000, 500, 1000
PASSWORD = "benchmark password 2026"
CAPS = ["usar_medium", "mass_casualty_transport", "emergency_shelter", "water_trucking", "engineer_debris"]
SEVERITIES = ["minor", "moderate", "severe", "extreme"]


def pt(rng: random.Random) -> dict[str, object]:
    return {"type": "Point", "coordinates": [round(rng.uniform(126.8, 127.2), 5), round(rng.uniform(37.45, 37.7), 5)]}


def seed(url: str, token: str, op_id: str) -> None:
    db = Database(url)
    rng = random.Random(1)
    with transaction(db) as s:
        set_password(s, Context(None, source="bench"), "coord", PASSWORD)
        ctx = Context(principal_for_token(s, token), source="bench")
        for i in range(ASSETS):
            register_asset(s, ctx, AssetCreate(name=f"Unit {i}", capability=CAPS[i % len(CAPS)], location=pt(rng)))
        for i in range(INCIDENTS):
            report_incident(
                s,
                ctx,
                op_id,
                IncidentCreate(
                    kind="building_collapse", title=f"Collapse {i}", severity=SEVERITIES[i % 4], location=pt(rng)
                ),
            )
        for i in range(RFAS):
            create_rfa(
                s,
                ctx,
                op_id,
                RfaCreate(title=f"Request {i}", capability=CAPS[i % len(CAPS)], location=pt(rng), submit=True),
            )
    db.dispose()


def main() -> None:
    with workdir("katchi-cop-") as tmp:
        url = f"sqlite:///{tmp / 'cop.db'}"
        tokens, op_id = build(url, {"coord": ("kor-cmoc", "KOR")})
        t = time.perf_counter()
        seed(url, tokens["coord"], op_id)
        seed_s = time.perf_counter() - t
        with katchi_process(url) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            page.goto(f"{base}/login?lang=en")
            page.fill("#username", "coord")
            page.fill("#password", PASSWORD)
            page.click("form.login button[type=submit]")
            page.wait_for_url(f"{base}/")
            renders = []
            for _ in range(3):
                t0 = time.perf_counter()
                page.goto(f"{base}/operations/{op_id}")
                page.wait_for_function(
                    f"window.katchi && window.katchi.incidents.size === {INCIDENTS} && window.katchi.assets.size === "
                    f"{ASSETS} && window.katchi.rfas.size === {RFAS} && document.body.dataset.loaded === 'true'",
                    timeout=60_000,
                    polling="raf",
                )
                page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
                renders.append(time.perf_counter() - t0)
            page.wait_for_function("document.getElementById('live-state').classList.contains('ok')")
            client = httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {tokens['coord']}"})
            rng = random.Random(2)
            sent: dict[str, float] = {}
            for i in range(60):
                t_send = time.time() * 1000
                r = client.post(
                    f"/operations/{op_id}/incidents",
                    json={"kind": "fire", "title": f"Live {i}", "severity": "severe", "location": pt(rng)},
                )
                sent[r.json()["id"]] = t_send
                time.sleep(0.25)
            page.wait_for_function(f"window.katchi.arrivals.size >= {len(sent)}", timeout=30_000)
            arrivals = page.evaluate("Object.fromEntries(window.katchi.arrivals)")
            latencies = [arrivals[i] - t_send for i, t_send in sent.items() if i in arrivals]
            browser.close()
    emit(
        {
            "benchmark": "cop_page",
            "incidents": INCIDENTS,
            "assets": ASSETS,
            "rfas": RFAS,
            "seed_s": round(seed_s, 1),
            "first_render_s": round(statistics.median(renders), 3),
            "first_render_runs_s": [round(r, 3) for r in renders],
            "goal_first_render_s": 2.0,
            "live_updates": len(latencies),
            "live_p50_ms": round(percentile(latencies, 50), 1),
            "live_p95_ms": round(percentile(latencies, 95), 1),
            "live_max_ms": round(max(latencies), 1),
            "goal_live_p95_ms": 1000,
            "lost": len(sent) - len(latencies),
        }
    )


if __name__ == "__main__":
    main()
