"""A situation report of the 72-hour Seoul M6.5 earthquake exercise, as PDF: wall time.

The exercise is played headless through Katchi's commands into a fresh SQLite file (setting up,
not what is measured); a coordinator of its lead organisation then drafts report No. 1 for the
whole 72 hours under ``alliance`` and fetches it as PDF in Korean and in English through a real
``katchi serve``. Each request is timed from the client, three times. Goal: PDF ≤ 10 s.
Prints one JSON line.
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pypdf
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _support import emit, katchi_process, workdir
from katchi.accounts import Organisation, UserCreate, add_user, create_token
from katchi.cop import Incident
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database, upgrade_schema
from katchi.eventlog import transaction
from katchi.exercises import exercise_start, load_scenario
from katchi.exercises.run import run_headless
from katchi.operations import Operation
from katchi.tasking import Rfa

SCENARIO = Path(__file__).resolve().parents[1] / "scenarios" / "seoul-earthquake.yaml"
RUNS = 3


def timed(fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def main() -> None:
    with workdir("katchi-bench-sitrep-") as tmp:
        url = f"sqlite:///{tmp / 'exercise.db'}"
        upgrade_schema(url)
        played = run_headless(load_scenario(SCENARIO), "nearest-available", database_url=url).metrics
        db = Database(url)
        with transaction(db) as s:
            op = s.scalars(select(Operation)).one()
            lead = s.get(Organisation, op.lead_org_id)
            assert lead is not None
            system = Context(None, source="bench")
            add_user(s, system, UserCreate(username="watch", org=lead.slug, role=Role.coordinator))
            token = create_token(s, system, "watch")
            start = exercise_start(s, op)
            incidents = s.scalar(select(func.count()).select_from(Incident))
            rfas = s.scalar(select(func.count()).select_from(Rfa))
            op_id = op.id
        db.dispose()
        period = {"label": "alliance", "period_start": start.isoformat(),
                  "period_end": (start + timedelta(hours=72)).isoformat()}  # fmt: skip
        with katchi_process(url) as base:
            client = httpx.Client(base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=120)
            drafts, reports = [], []
            for _ in range(RUNS):
                wall, resp = timed(lambda: client.post(f"/operations/{op_id}/sitreps", json=period))
                resp.raise_for_status()
                drafts.append(wall)
                reports.append(resp.json())
            rep = reports[0]
            pdf: dict[str, list[float]] = {"ko": [], "en": []}
            pages = {}
            for lang in ("ko", "en"):
                for _ in range(RUNS):
                    wall, resp = timed(lambda lang=lang: client.get(f"/sitreps/{rep['id']}.pdf", params={"lang": lang}))
                    resp.raise_for_status()
                    pdf[lang].append(wall)
                pages[lang] = len(pypdf.PdfReader(io.BytesIO(resp.content)).pages)
    emit(
        {
            "benchmark": "sitrep_pdf",
            "scenario": "seoul-earthquake (72 h)",
            "incidents": incidents,
            "rfas": rfas,
            "exercise_wall_s": round(played["wall_s"], 1),
            "districts": len(rep["figures"]["districts"]),
            "draft_s_median": round(statistics.median(drafts), 2),
            "pdf_ko_s_median": round(statistics.median(pdf["ko"]), 2),
            "pdf_en_s_median": round(statistics.median(pdf["en"]), 2),
            "pdf_s_max": round(max(pdf["ko"] + pdf["en"]), 2),
            "pages": pages,
            "goal_pdf_s": 10,
            "ok": max(pdf["ko"] + pdf["en"]) <= 10,
        }
    )


if __name__ == "__main__":
    main()
