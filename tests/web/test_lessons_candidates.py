"""A finished exercise's missed objectives and outlying figures become draft observations for the
lessons manager, with the evaluators' areas for improvement as sources; each finding once."""

from __future__ import annotations

from datetime import timedelta

from katchi import exercises
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import ok, problem
from tests.support.server import LiveServer
from tests.support.world import World, acting_as, user_token
from tests.web.test_evaluation import OBJECTIVES, START, _drill


def test_missed_objectives_become_draft_observations_once(server: LiveServer, world: World, db: Database) -> None:
    drill = _drill(db, world, server)
    manager = server.client(user_token(db, "ll", "kor-cmoc", "lessons_manager"))
    evaluator = server.client(user_token(db, "ev", "kor-province", "evaluator"))
    coord = server.client(world.tokens["coord"])
    problem(manager.post(f"/operations/{drill}/lessons/candidates"), 422)  # no results yet
    seen = f"/operations/{drill}/observations"
    weak = {"kind": "area_for_improvement", "text": "Validation waited for the chair", "objective": "O1"}
    weak = ok(evaluator.post(seen, json=weak), 201)
    ok(evaluator.post(seen, json={"kind": "strength", "text": "Good maps", "objective": "O1"}), 201)
    with transaction(db) as s:
        exercises.record_results(
            s, acting_as(db, world, "coord"), drill, reached=START + timedelta(hours=6),
            metrics={"rfas": 12, "needs_met_share": 0.3}, objectives=[o.model_dump() for o in OBJECTIVES],
        )  # fmt: skip
    problem(coord.post(f"/operations/{drill}/lessons/candidates"), 403)  # coordinators do not
    made = ok(manager.post(f"/operations/{drill}/lessons/candidates"), 201)["items"]
    by_title = {m["title"]["en"]: m for m in made}
    assert sorted(by_title) == [
        "Most needs were not met",  # 30 % of needs met: an outlying figure
        "Objective O1 not met: Task requests within an hour",
        "Objective O2 not met: Meet needs",
    ]
    missed = next(m for t, m in by_title.items() if t.startswith("Objective O1 not met"))
    assert missed["state"] == "observed" and missed["title"]["ko"].startswith("목표 O1 미달성")
    assert missed["sources"] == [{"type": "exercise_observation", "id": weak["id"]}]  # not the strength
    assert missed["hazard"] == "earthquake"
    assert all(m["state"] == "observed" and m["label"] == "org:kor-cmoc" for m in made)  # the manager's, until released
    assert ok(manager.post(f"/operations/{drill}/lessons/candidates"), 201)["items"] == []  # proposed once
    assert {m["id"] for m in made} <= {x["id"] for x in ok(manager.get("/observations"))["items"]}
