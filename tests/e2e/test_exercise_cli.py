"""``katchi exercise`` as an exercise controller uses it: validate, a headless run with its report,
and a live run into a running server watched over the operation's stream."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from katchi.accounts import create_token
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import items, ok
from tests.support.server import LiveServer
from tests.support.sse import open_stream

ROOT = Path(__file__).resolve().parents[2]
SMALL = ROOT / "tests" / "fixtures" / "scenario-small.yaml"
REQUIRED = {
    "scenario",
    "policy",
    "seed",
    "sim_hours",
    "wall_s",
    "incidents",
    "rfas",
    "needs_met_share",
    "unmet_urgent_need_hours",
    "survivors_rescued",
    "rfa_tasked_p50_min",
    "rfa_completed_p50_min",
    "deaths",
    "injured",
    "buildings_collapsed",
    "displaced",
    "log_sha256",
}


def katchi(*args: str, db_url: str | None = None) -> subprocess.CompletedProcess[str]:
    env = os.environ | ({"KATCHI_DATABASE_URL": db_url} if db_url else {})
    return subprocess.run(
        [sys.executable, "-m", "katchi", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def test_validate_names_the_bad_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.read_text().replace("magnitude: 5.7", "magnitude: 15"))
    out = katchi("exercise", "validate", str(SMALL), str(bad))
    assert out.returncode == 1
    lines = out.stdout.splitlines()
    assert lines[0] == f"{SMALL}\tvalid"
    assert lines[1].startswith(f"{bad}\tinvalid\t") and ":11:" in lines[1] and "magnitude" in lines[1]


def test_headless_run_prints_one_json_line_and_writes_the_report(tmp_path: Path) -> None:
    out = katchi(
        "exercise", "run", str(SMALL), "--headless", "--policy", "greedy", "--until", "3h", "--report", str(tmp_path)
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    metrics = json.loads(lines[0])
    assert set(metrics) >= REQUIRED
    assert metrics["policy"] == "nearest-available" and metrics["sim_hours"] == 3 and metrics["seed"] == 7
    assert (tmp_path / "report.html").stat().st_size > 10_000
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
    bad = katchi("exercise", "run", str(SMALL), "--policy", "telepathy")
    assert bad.returncode == 2 and "unknown policy" in bad.stderr


def test_the_optimal_policy_runs_headless_through_the_platform_and_alone() -> None:
    for alone in ([], ["--engine-only"]):
        runs = {}
        for policy in ("greedy", "optimal"):
            out = katchi("exercise", "run", str(SMALL), "--headless", *alone, "--policy", policy, "--until", "6h")
            assert out.returncode == 0, out.stderr
            runs[policy] = json.loads(out.stdout)
        assert runs["optimal"]["policy"] == "optimal" and runs["optimal"]["taskings"] > 0
        assert set(runs["optimal"]) == set(runs["greedy"])  # every key the JSON line has today


def start_live(db_url: str, operation: str, *options: str) -> subprocess.Popen[str]:
    """``katchi exercise start`` of the small scenario, driven through its stdin."""
    return subprocess.Popen(
        [sys.executable, "-m", "katchi", "exercise", "start", str(SMALL), "--operation", operation, *options],
        env=os.environ | {"KATCHI_DATABASE_URL": db_url},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def operation_of(proc: subprocess.Popen[str]) -> str:
    """The id of the operation a live run announces on its first line; its stderr is then drained."""
    assert proc.stderr is not None and proc.stdin is not None
    first = proc.stderr.readline()
    assert first.startswith("operation "), first
    threading.Thread(target=proc.stderr.read, daemon=True).start()  # keep the pipe drained
    return first.split()[1].rstrip(":")


def test_live_run_streams_into_a_running_server(db_url: str) -> None:
    with LiveServer.start(db_url) as server:
        proc = start_live(db_url, "Live test", "--speed", "1200", "--until", "2h")
        try:
            op_id = operation_of(proc)
            db = Database(db_url)
            with transaction(db) as s:
                token = create_token(s, Context(None, source="test"), "sim-t-city")
            db.dispose()
            with open_stream(server.url, token, op_id, last_event_id=0, read_timeout=20) as stream:
                events = stream.until(lambda e: e.kind == "cop.incident.reported", timeout=30)
                assert events[0].kind == "operations.operation.created"
                proc.stdin.write("pause\n")
                proc.stdin.flush()
                paused = stream.until(
                    lambda e: e.kind == "exercises.clock.changed" and e.data["payload"]["state"] == "paused", timeout=30
                )
                assert paused
                proc.stdin.write("resume\n")
                proc.stdin.flush()
                ended = stream.until(
                    lambda e: e.kind == "exercises.clock.changed" and e.data["payload"]["state"] == "ended", timeout=60
                )
                seen = events + paused + ended
                assert any(e.kind == "tasking.rfa.tasked" for e in seen)
                assert all(e.data["label"] != "nation:USA" for e in seen)  # a Korean city user's stream
            out, _ = proc.communicate(timeout=60)
            assert proc.returncode == 0
            metrics = json.loads(out.strip().splitlines()[-1])
            assert metrics["operation_id"] == op_id and metrics["rfas"] > 0
        finally:
            if proc.poll() is None:
                proc.kill()


def test_a_live_run_quit_early_reports_the_time_it_reached(db_url: str) -> None:
    """Metrics of a stopped exercise cover what was played, not the scenario's planned length."""
    with LiveServer.start(db_url):
        proc = start_live(db_url, "Quit test", "--speed", "60", "--until", "2h")
        try:
            assert proc.stderr is not None
            assert proc.stderr.readline().startswith("operation ")
            time.sleep(1.0)
            out, _ = proc.communicate("quit\n", timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0
    metrics = json.loads(out.strip().splitlines()[-1])
    assert 0 < metrics["sim_hours"] < 0.5  # a few simulated minutes at 60x, not the planned 2 h
    assert metrics["sim_speedup"] < 200


def _person(db_url: str, username: str, org: str) -> str:
    """A coordinator of ``org`` (a person, not the simulator) and a token for them."""
    from katchi.accounts import UserCreate, add_user
    from katchi.core.access import Role

    db = Database(db_url)
    with transaction(db) as s:
        ctx = Context(None, source="test")
        add_user(s, ctx, UserCreate(username=username, org=org, role=Role.coordinator))
        s.flush()
        token = create_token(s, ctx, username)
    db.dispose()
    return token


def test_people_acting_first_in_a_live_run_are_noticed_and_the_run_carries_on(db_url: str) -> None:
    """A coordinator validates, rejects and tasks RFAs by hand while the simulator plays: the
    simulator skips (and counts) what people already did, lets go of what they took over, never
    repeats an action, and plays to the end."""
    with LiveServer.start(db_url) as server:
        proc = start_live(db_url, "People test", "--speed", "600", "--until", "2h")
        try:
            op_id = operation_of(proc)
            token = _person(db_url, "person-city", "t-city")
            with open_stream(server.url, token, op_id, last_event_id=0, read_timeout=20) as stream:
                seen = stream.until(lambda e: e.kind == "tasking.rfa.created", timeout=30)
                proc.stdin.write("pause\n")
                proc.stdin.flush()
                seen += stream.until(
                    lambda e: e.kind == "exercises.clock.changed" and e.data["payload"]["state"] == "paused", timeout=30
                )
                with server.client(token) as c:
                    waiting = [r for r in items(c, f"/operations/{op_id}/rfas") if r["state"] == "submitted"]
                    assert len(waiting) >= 3, "the simulator validated everything before the pause"
                    rejected, *to_validate = waiting
                    ok(c.post(f"/rfas/{rejected['id']}/actions/reject", json={"reason": "duplicate"}))
                    for r in to_validate:
                        ok(c.post(f"/rfas/{r['id']}/actions/validate", json={}))
                    tasked = to_validate[0]
                    free = [
                        a
                        for a in items(c, f"/operations/{op_id}/assets")
                        if a["capability"] == tasked["capability"] and a["status"] == "available"
                    ]
                    ok(c.post(f"/rfas/{tasked['id']}/actions/task", json={"asset_id": free[0]["id"]}))
                proc.stdin.write("resume\n")
                proc.stdin.flush()
                seen += stream.until(
                    lambda e: e.kind == "exercises.clock.changed" and e.data["payload"]["state"] == "ended", timeout=60
                )
            out, _ = proc.communicate(timeout=60)
            assert proc.returncode == 0, out
        finally:
            if proc.poll() is None:
                proc.kill()
    metrics = json.loads(out.strip().splitlines()[-1])
    # Each RFA the person validated was waiting for the simulator's review: that review is skipped,
    # except on the RFA the person also tasked, which the simulator leaves to people, like the rejected one.
    assert metrics["skipped_actions"]["validate"] == len(to_validate) - 1
    assert metrics["needs_left_to_people"] >= 2
    validated = [e.data["subject"]["id"] for e in seen if e.kind == "tasking.rfa.validated"]
    assert len(validated) == len(set(validated)), "an RFA was validated twice"
    steps = {e.data["subject"]["id"]: e.kind for e in seen if e.kind.startswith("tasking.rfa.")}
    assert steps[rejected["id"]] == "tasking.rfa.rejected"
    assert any(e.kind == "tasking.rfa.tasked" and e.data["subject"]["id"] != tasked["id"] for e in seen)


def test_the_controller_drives_the_running_clock_from_the_api(db_url: str) -> None:
    """Pause, speed and jump sent to the API reach the running ``katchi exercise start`` within a
    second or two, and every participant's clock shows them; a jump never goes backwards."""
    from datetime import datetime, timedelta

    with LiveServer.start(db_url) as server:
        proc = start_live(db_url, "Clock test", "--speed", "60", "--until", "6h")
        try:
            op_id = operation_of(proc)
            token = server.client(_person_with_role(db_url, "ctl", op_id, "exercise_controller"))
            viewer = server.client(_person_with_role(db_url, "watcher", op_id, "viewer"))
            clock = f"/operations/{op_id}/exercise/clock"

            def reaches(check: Any, within: float = 3.0) -> dict[str, Any]:
                deadline = time.monotonic() + within
                while True:
                    now = ok(token.get(clock))
                    if check(now) or time.monotonic() > deadline:
                        return now
                    time.sleep(0.1)

            start = datetime.fromisoformat(ok(token.get(f"/operations/{op_id}"))["created_at"].replace("Z", "+00:00"))
            assert viewer.post(clock, json={"action": "pause"}).status_code == 403
            assert token.post(clock, json={"action": "speed", "value": 0}).status_code == 422
            assert token.post(clock, json={"action": "rewind"}).status_code == 422
            ok(token.post(clock, json={"action": "pause"}), 202)
            assert reaches(lambda c: c["state"] == "paused")["state"] == "paused"
            ok(token.post(clock, json={"action": "speed", "value": 600}), 202)
            assert reaches(lambda c: c["speed"] == 600)["speed"] == 600
            ok(token.post(clock, json={"action": "jump", "value": "2h"}), 202)
            jumped = reaches(
                lambda c: datetime.fromisoformat(c["sim_time"].replace("Z", "+00:00")) >= start + timedelta(hours=2)
            )
            assert datetime.fromisoformat(jumped["sim_time"].replace("Z", "+00:00")) >= start + timedelta(hours=2)
            back = token.post(clock, json={"action": "jump", "value": "1h"})
            assert back.status_code == 422 and "backwards" in back.json()["detail"]
            ok(token.post(clock, json={"action": "resume"}), 202)
            assert reaches(lambda c: c["state"] == "running")["state"] == "running"
            assert ok(viewer.get(clock))["speed"] == 600  # every participant reads it
            proc.communicate("quit\n", timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()


def _person_with_role(db_url: str, username: str, op_id: str, role: str) -> str:
    """A user of the operation's lead organisation with ``role``, and a token for them."""
    from katchi.accounts import Organisation, UserCreate, add_user
    from katchi.operations import Operation

    db = Database(db_url)
    with transaction(db) as s:
        op = s.get(Operation, op_id)
        assert op is not None
        org = s.get(Organisation, op.lead_org_id)
        assert org is not None
        ctx = Context(None, source="test")
        add_user(s, ctx, UserCreate(username=username, org=org.slug, role=role))  # type: ignore[arg-type]
        s.flush()
        token = create_token(s, ctx, username)
    db.dispose()
    return token


def test_people_play_the_lead_and_the_simulator_plays_the_owners_they_ask(db_url: str) -> None:
    """``--play t-city`` (the scenario's lead): the simulator reports needs but validates and tasks
    nothing; a person of the city validates and tasks a request to a fire unit, and the simulated
    fire service accepts, goes and completes it; metrics stay in simulated minutes."""
    from sqlalchemy import select

    from katchi.eventlog import LogEntry

    with LiveServer.start(db_url) as server:
        proc = start_live(db_url, "Play test", "--speed", "900", "--until", "12h", "--play", "t-city")
        try:
            op_id = operation_of(proc)
            token = _person(db_url, "player-city", "t-city")
            with server.client(token) as c:
                deadline = time.monotonic() + 30
                while time.monotonic() < deadline:
                    rfas = items(c, f"/operations/{op_id}/rfas")
                    if len(rfas) >= 3:
                        break
                    time.sleep(0.2)
                proc.stdin.write("pause\n")
                proc.stdin.flush()
                time.sleep(1.0)
                rfas = items(c, f"/operations/{op_id}/rfas")
                assert rfas and all(r["state"] == "submitted" for r in rfas), "the simulator acted for the lead"
                target = next(r for r in rfas if r["capability"] == "usar_medium")
                ok(c.post(f"/rfas/{target['id']}/actions/validate", json={}))
                free = [
                    a
                    for a in items(c, f"/operations/{op_id}/assets", capability="usar_medium")
                    if a["status"] == "available" and a["name"].startswith("[EX] Rescue")
                ]
                ok(c.post(f"/rfas/{target['id']}/actions/task", json={"asset_id": free[0]["id"]}))
                proc.stdin.write("resume\n")
                proc.stdin.flush()
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline and ok(c.get(f"/rfas/{target['id']}"))["state"] != "completed":
                    time.sleep(0.3)
                assert ok(c.get(f"/rfas/{target['id']}"))["state"] == "completed"
            out, _ = proc.communicate("quit\n", timeout=60)
            assert proc.returncode == 0, out
        finally:
            if proc.poll() is None:
                proc.kill()
    db = Database(db_url)
    with db.read() as s:
        steps = s.execute(
            select(LogEntry.kind, LogEntry.actor_label, LogEntry.subject_id).where(
                LogEntry.operation_id == op_id, LogEntry.kind.like("tasking.rfa.%")
            )
        ).all()
    db.dispose()
    by_sim = {kind for kind, actor, _ in steps if actor.startswith("sim-t-city")}
    assert "tasking.rfa.validated" not in by_sim and "tasking.rfa.tasked" not in by_sim
    owner_steps = [(kind, actor) for kind, actor, rfa in steps if rfa == target["id"]]
    owner = {k: a for k, a in owner_steps}
    for step in ("tasking.rfa.accepted", "tasking.rfa.started", "tasking.rfa.completed"):
        assert owner[step].startswith("sim-t-fire"), (step, owner)  # the simulated owner answered and did it
    metrics = json.loads(out.strip().splitlines()[-1])
    assert 0 <= metrics["rfa_tasked_p50_min"] <= 12 * 60  # simulated minutes, not months of wall clock


def test_controllers_hold_release_and_write_injects_that_the_running_exercise_delivers(db_url: str) -> None:
    """The MSEL of a live run: the controller sees the scenario's injects pending, holds one (it is
    not delivered when its time passes), writes an ad-hoc inject to the US liaison (delivered at
    once, on the exercise clock, readable by the US and not announced to anyone beforehand), and
    releases the held one, which is then delivered. Players may not read the MSEL."""
    from datetime import datetime

    from sqlalchemy import select

    from katchi.eventlog import LogEntry

    def sim(text: str) -> datetime:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))

    with LiveServer.start(db_url) as server:
        proc = start_live(db_url, "MSEL test", "--speed", "60", "--until", "8h")
        try:
            op_id = operation_of(proc)
            ctl = server.client(_person_with_role(db_url, "msel-ctl", op_id, "exercise_controller"))
            player = server.client(_person(db_url, "msel-player", "t-city"))
            us = server.client(_person(db_url, "msel-us", "t-usfk"))
            msel = f"/operations/{op_id}/exercise/injects"
            clock = f"/operations/{op_id}/exercise/clock"

            listed = ok(ctl.get(msel))["items"]
            # The controller (of t-city, KOR) reads the injects its labels allow: not the US-only one.
            assert [i["title"] for i in listed] == [
                "Aftershock / 여진",
                "Bridge closed / 교량 통제",
                "Severance generator failure",
            ]
            assert {i["status"] for i in listed} == {"pending"} and {i["source"] for i in listed} == {"scenario"}
            assert player.get(msel).status_code == 403 and us.get(msel).status_code == 403
            aftershock = listed[0]
            held = ok(ctl.post(f"{msel}/{aftershock['id']}/actions/hold", json={}), 200)
            assert held["status"] == "held"
            assert ctl.post(f"{msel}/{aftershock['id']}/actions/hold", json={}).status_code == 409

            adhoc = ok(
                ctl.post(
                    msel,
                    json={
                        "title": "Han River bridge closed",
                        "kind": "road_closure",
                        "to": "t-usfk",
                        "expected_action": "US liaison reroutes the convoy",
                        "location": {"type": "Point", "coordinates": [127.0114, 37.5274]},
                    },
                ),
                201,
            )
            assert adhoc["source"] == "adhoc" and adhoc["to"] == "t-usfk" and adhoc["number"] == 5
            assert ctl.post(msel, json={"title": "x", "to": "t-usfk", "label": "org:t-city"}).status_code == 422
            assert player.post(msel, json={"title": "sneaky"}).status_code == 403
            # Others cannot tell an inject id that exists from one that does not.
            for inject_id in (aftershock["id"], "0" * 32):
                assert player.post(f"{msel}/{inject_id}/actions/release", json={}).status_code == 403
                assert us.patch(f"{msel}/{inject_id}", json={"title": "x"}).status_code == 403

            def delivered(title: str, within: float = 10.0) -> dict[str, Any] | None:
                deadline = time.monotonic() + within
                while time.monotonic() < deadline:
                    rows = [i for i in ok(ctl.get(msel))["items"] if i["title"] == title]
                    if rows and rows[0]["status"] == "delivered":
                        return rows[0]
                    time.sleep(0.2)
                return None

            got = delivered("Han River bridge closed")
            assert got is not None and got["delivered_at"] is not None
            assert sim(got["delivered_at"]) >= sim(adhoc["at"])  # on the exercise clock, not the wall's
            seen = [e for e in items(us, f"/operations/{op_id}/timeline") if e["kind"] == "exercises.inject.delivered"]
            assert [e["payload"]["title"] for e in seen] == ["Han River bridge closed"]
            assert seen[0]["payload"]["to"] == "t-usfk" and "expected_action" not in seen[0]["payload"]
            others = items(player, f"/operations/{op_id}/timeline")
            assert not [e for e in others if e["kind"].startswith("exercises.inject.")]  # t-city: not its inject

            # Past the held inject's time: still held, not delivered.
            ok(ctl.post(clock, json={"action": "jump", "value": "150m"}), 202)
            time.sleep(3)
            assert next(i for i in ok(ctl.get(msel))["items"] if i["id"] == aftershock["id"])["status"] == "held"
            ok(ctl.post(f"{msel}/{aftershock['id']}/actions/release", json={}), 200)
            late = delivered("Aftershock / 여진")
            assert late is not None and sim(late["delivered_at"]) > sim(late["at"])
            assert ctl.patch(f"{msel}/{aftershock['id']}", json={"title": "changed"}).status_code == 409
            proc.communicate("quit\n", timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
        db = Database(db_url)
        with db.read() as s:
            log = s.scalars(select(LogEntry).where(LogEntry.operation_id == op_id).order_by(LogEntry.seq)).all()
            control = s.scalars(
                select(LogEntry).where(LogEntry.kind.in_(["exercises.inject.added", "exercises.inject.changed"]))
            ).all()
        db.dispose()
        # Nothing told players what was coming: controllers' changes stay out of the operation's
        # timeline and stream (in the audit chain only), and carry no inject content.
        assert not [e for e in log if e.kind in ("exercises.inject.added", "exercises.inject.changed")]
        assert len(control) == 3 and {e.operation_id for e in control} == {None}  # hold, add, release
        assert all(e.label == "org:t-city" and "title" not in e.payload for e in control)
        deliveries = [e for e in log if e.kind == "exercises.inject.delivered"]
        assert [e.payload["title"] for e in deliveries].count("Aftershock / 여진") == 1
        by_title = {e.payload["title"]: e for e in deliveries}
        assert by_title["US-only accountability report"].label == "nation:USA"
        # Sent to the US liaison: the US liaison reads it, the other players do not.
        assert by_title["Han River bridge closed"].label == "org:t-usfk"
