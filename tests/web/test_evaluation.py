"""Evaluators record observations against an exercise's objectives; evaluators and controllers
write the improvement plan; the after-action report (HTML and PDF, en/ko) shows the objectives'
results, the observations by objective and the plan, each as its reader may read it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from katchi import accounts, exercises
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.exercises.scenario import Inject, Objective
from tests.support.api import create_operation, items, ok, problem
from tests.support.server import LiveServer
from tests.support.world import World, acting_as

START = datetime(2026, 7, 10, 0, 0, tzinfo=UTC)
OBJECTIVES = [
    Objective(
        id="O1",
        title="Task requests within an hour",
        title_ko="1시간 내 임무 부여",
        criteria=["Coordinators validate each RFA within 20 minutes"],
        metric="rfa_tasked_p50_min",
        target=60,
    ),
    Objective(id="O2", title="Meet needs", title_ko="요구 충족", metric="needs_met_share", target=0.5, direction="min"),
]


def _user(db: Database, username: str, org: str, role: str) -> str:
    with transaction(db) as s:
        ctx = Context(None, source="test")
        accounts.add_user(s, ctx, accounts.UserCreate(username=username, org=org, role=role))  # type: ignore[arg-type]
        s.flush()
        return accounts.create_token(s, ctx, username)


def _drill(db: Database, world: World, server: LiveServer) -> str:
    coord = server.client(world.tokens["coord"])
    drill = create_operation(coord, ["kor-province", "us-liaison"], mode="exercise", name="Drill")["id"]
    with transaction(db) as s:
        ctx = acting_as(db, world, "coord")
        exercises.record_clock(s, ctx, drill, state="running", sim_time=START, speed=60.0, scenario="x")
        exercises.load_msel(s, ctx, drill, [Inject(at=timedelta(hours=1), kind="fire", title="Fire")], OBJECTIVES)
    return str(drill)


def test_evaluators_observe_against_objectives_and_the_report_shows_each_reader_its_part(
    db: Database, world: World, server: LiveServer
) -> None:
    drill = _drill(db, world, server)
    kor_eval = server.client(_user(db, "kor-eval", "kor-province", "evaluator"))
    us_eval = server.client(_user(db, "us-eval", "us-liaison", "evaluator"))
    ctl = server.client(_user(db, "ctl", "kor-cmoc", "exercise_controller"))
    coord, us = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    obs = f"/operations/{drill}/observations"

    # Evaluators read the MSEL (its expected actions) but do not change it; coordinators do neither.
    msel = f"/operations/{drill}/exercise/injects"
    assert [i["title"] for i in ok(kor_eval.get(msel))["items"]] == ["Fire"]
    assert problem(kor_eval.post(msel, json={"title": "x"}), 403)
    assert problem(coord.get(msel), 403)
    objectives = ok(us.get(f"/operations/{drill}/exercise/objectives"))["items"]
    assert [o["id"] for o in objectives] == ["O1", "O2"] and objectives[0]["criteria"]
    # Log entries an observation cites: the KOR evaluator may cite a KOR-only line, the US one may not.
    ok(coord.post(f"/operations/{drill}/log", json={"text": "RFA board reviewed", "label": "nation:KOR"}), 201)
    kor_line = next(e for e in items(kor_eval, f"/operations/{drill}/timeline") if e["kind"] == "operations.log.posted")

    strength = ok(
        kor_eval.post(
            obs,
            json={
                "kind": "strength",
                "text": "Province validated RFAs in 12 minutes",
                "objective": "O1",
                "log_entry_ids": [kor_line["id"]],
                "label": "nation:KOR",
            },
        ),
        201,
    )
    assert strength["objective"] == "O1" and strength["log_entry_ids"] == [kor_line["id"]]
    assert START <= datetime.fromisoformat(strength["at"].replace("Z", "+00:00")) < START + timedelta(hours=1)
    ok(
        us_eval.post(
            obs, json={"kind": "area_for_improvement", "text": "Convoy status came by phone", "objective": "O2"}
        ),
        201,
    )
    assert problem(
        us_eval.post(obs, json={"kind": "strength", "text": "x", "objective": "O1", "log_entry_ids": [kor_line["id"]]}),
        422,
    )
    assert problem(kor_eval.post(obs, json={"kind": "strength", "text": "x", "objective": "O9"}), 422)
    assert problem(kor_eval.post(obs, json={"kind": "praise", "text": "x", "objective": "O1"}), 422)
    for not_evaluator in (ctl, coord, us):
        assert problem(not_evaluator.post(obs, json={"kind": "strength", "text": "x", "objective": "O1"}), 403)
    # An observation for everyone citing a KOR-only log line names that line to KOR readers only,
    # in the list and in the log alike (an id alone would tell the US the line exists).
    shared = ok(
        kor_eval.post(
            obs,
            json={
                "kind": "strength",
                "text": "Board reviewed hourly",
                "objective": "O1",
                "log_entry_ids": [kor_line["id"]],
            },
        ),
        201,
    )
    us_view = {o["id"]: o for o in ok(us.get(obs))["items"]}
    assert [o["kind"] for o in us_view.values()] == ["area_for_improvement", "strength"]  # not the KOR-only one
    assert us_view[shared["id"]]["log_entry_ids"] == []
    assert {o["id"]: o for o in ok(coord.get(obs))["items"]}[shared["id"]]["log_entry_ids"] == [kor_line["id"]]
    recorded = {
        e["subject"]["id"]: e
        for e in items(us, f"/operations/{drill}/timeline")
        if e["kind"] == "exercises.observation.recorded"
    }
    assert recorded[shared["id"]]["payload"]["cited_entries"] == []
    assert kor_line["id"] not in str(items(us, f"/operations/{drill}/timeline"))
    assert len(ok(coord.get(obs))["items"]) == 3

    plan = f"/operations/{drill}/improvements"
    row = {
        "issue": "Convoy status by phone",
        "corrective_action": "Report convoys on TAK",
        "responsible_org": "us-liaison",
        "due": "2027-03-01",
        "objective": "O2",
    }
    ok(ctl.post(plan, json=row), 201)
    ok(us_eval.post(plan, json={**row, "issue": "US-only follow-up", "label": "nation:USA"}), 201)
    assert problem(coord.post(plan, json=row), 403)
    assert problem(ctl.post(plan, json={**row, "responsible_org": "kor-army"}), 422)  # not a participant
    assert problem(ctl.post(plan, json={**row, "label": "nation:KOR"}), 422)  # us-liaison could not read it
    assert [r["issue"] for r in ok(coord.get(plan))["items"]] == ["Convoy status by phone"]

    # A KOR-only request: the US report's figures must not count it (a count tells of what is hidden).
    ok(
        coord.post(
            f"/operations/{drill}/rfas",
            json={
                "title": "KOR-only lift",
                "capability": "medium_helicopter",
                "location": {"type": "Point", "coordinates": [127.0, 37.5]},
                "label": "nation:KOR",
                "submit": True,
            },
        ),
        201,
    )
    with transaction(db) as s:
        results = [{**o.model_dump(), "value": 42.0 if o.id == "O1" else 0.3, "met": o.id == "O1"} for o in OBJECTIVES]
        exercises.record_results(
            s,
            acting_as(db, world, "coord"),
            drill,
            reached=START + timedelta(hours=6),
            metrics={"rfas": 12, "needs_met_share": 0.3},
            objectives=results,
        )
    kor_report = coord.get(f"/operations/{drill}/exercise/report", params={"lang": "ko"})
    assert kor_report.status_code == 200 and kor_report.headers["content-type"].startswith("text/html")
    html = kor_report.text
    assert "사후 검토 보고서" in html and "목표별 관찰" in html and "개선 계획" in html
    assert "Province validated RFAs in 12 minutes" in html and "Convoy status came by phone" in html
    assert "1시간 내 임무 부여" in html and "달성" in html and "T+6.0h" in html
    assert "US-only follow-up" not in html
    assert '<td>지원 요청(RFA)</td><td class="n">1</td>' in html
    us_html = us.get(f"/operations/{drill}/exercise/report", params={"lang": "en"}).text
    assert '<td>Requests for assistance</td><td class="n">0</td>' in us_html
    assert "After-action report" in us_html and "Improvement plan" in us_html and "US-only follow-up" in us_html
    assert "Province validated RFAs" not in us_html  # a nation's observation never reaches the other's report
    # The page a browser opens takes its style from a stylesheet (the policy allows no inline one).
    assert '<link rel="stylesheet" href="report.css">' in html and "<style>" not in html
    css = server.client().get(f"/operations/{drill}/exercise/report.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css") and ".banner" in css.text
    pdf = us.get(f"/operations/{drill}/exercise/report.pdf", params={"lang": "ko"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert problem(server.client(world.tokens["roka"]).get(f"/operations/{drill}/exercise/report"), 404)
