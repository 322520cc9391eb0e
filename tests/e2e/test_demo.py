"""``make demo`` as a newcomer meets it: the README's user acts in the live exercise by hand, the
exercise plays on, and the server outlives the exercise."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.api import items
from tests.support.server import free_port

ROOT = Path(__file__).resolve().parents[2]
BIN = str(Path(sys.executable).parent)


def _until(what: str, check, timeout: float = 60.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise TimeoutError(what)


def test_kim_acts_by_hand_in_the_live_demo_and_both_keep_running(tmp_path: Path) -> None:
    env = os.environ | {"KATCHI_DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}
    for cmd in (["db", "upgrade"], ["seed", "demo"]):
        subprocess.run([f"{BIN}/katchi", *cmd], env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    log = (tmp_path / "demo.out").open("w+")
    demo = subprocess.Popen(
        ["bash", "scripts/demo.sh"],
        cwd=ROOT,
        env=env | {"BIN": BIN, "PORT": str(port), "SPEED": "240"},
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        assert demo.stdin is not None
        printed = _until("the demo's token", lambda: "token katchi_" in Path(log.name).read_text())
        token = printed and Path(log.name).read_text().split("(token ")[1].split(")")[0]
        with httpx.Client(
            base_url=f"http://127.0.0.1:{port}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=20
        ) as kim:
            ops = _until("the live exercise", lambda: kim.get("/operations").json()["items"])
            assert len(ops) == 1 and ops[0]["mode"] == "exercise", ops
            op = ops[0]["id"]
            # kim.cmoc (MOIS, a participant, not the exercise's lead) validates what people report ...
            waiting = _until(
                "submitted RFAs",
                lambda: [r for r in items(kim, f"/operations/{op}/rfas") if r["state"] == "submitted"][:5],
            )
            answers = {r["id"]: kim.post(f"/rfas/{r['id']}/actions/validate", json={}) for r in waiting}
            # (a person may lose the race to the simulator's own review: 409, and the page shows why)
            assert all(a.status_code in (200, 409) for a in answers.values())
            mine = [r for r in waiting if answers[r["id"]].status_code == 200]
            assert mine, "the simulator validated every RFA before kim could"

            # ... and tasks a validated RFA to a free civilian asset of its capability (the simulator
            # tasks its own assets the moment they are free, so one free a moment ago may be taken).
            def task_one() -> bool:
                free = [
                    a
                    for a in items(kim, f"/operations/{op}/assets")
                    if a["status"] == "available" and a["org_kind"] != "military"
                ]
                validated = items(kim, f"/operations/{op}/rfas", state="validated")
                for asset in free:
                    for rfa in (r for r in validated if r["capability"] == asset["capability"]):
                        answer = kim.post(f"/rfas/{rfa['id']}/actions/task", json={"asset_id": asset["id"]})
                        assert answer.status_code in (200, 409), answer.text
                        if answer.status_code == 200:
                            return True
                return False

            _until("a tasking by hand", task_one)
            time.sleep(6)  # the simulator's own reviews of those RFAs come due (5-20 simulated minutes)
            assert demo.poll() is None, Path(log.name).read_text()
            demo.stdin.write("quit\n")
            demo.stdin.flush()
            _until("the exercise's end", lambda: "Katchi keeps serving" in Path(log.name).read_text())
            assert kim.get("/operations").status_code == 200, "the server died with the exercise"
            assert demo.poll() is None
        out = Path(log.name).read_text()
        metrics = json.loads(next(line for line in out.splitlines() if line.startswith('{"scenario"')))
        assert metrics["skipped_actions"].get("validate", 0) >= 1, metrics
        assert "The exercise has ended" in out
    finally:
        os.killpg(demo.pid, signal.SIGTERM)
        demo.wait(timeout=30)
        log.close()
