"""The lessons report (HTML and PDF, English or Korean) of a hazard or of an exercise: each reader's
report holds exactly the lessons that reader may read, each source only where they may read it,
and an exercise's report only the lessons they can tell were drawn from it."""

from __future__ import annotations

import io
import shutil
import subprocess
from typing import Any

import httpx
import pypdf

from katchi.db import Database
from katchi.eventlog import transaction
from katchi.lessons import Lesson
from tests.support.api import create_operation, ok, problem
from tests.support.server import LiveServer
from tests.support.world import World, user_token

REPORT = "/lessons/report.html"


def _report(client: httpx.Client, **params: Any) -> str:
    resp = client.get(REPORT, params=params)
    assert resp.status_code == 200, f"{resp.status_code}: {resp.text}"
    assert resp.headers["content-type"].startswith("text/html")
    return resp.text


def _lesson(client: httpx.Client, manager: httpx.Client | None, **body: Any) -> str:
    """An observation, validated by ``manager`` (left observed without one)."""
    lid: str = ok(client.post("/observations", json=body), 201)["id"]
    if manager is not None:
        ok(manager.post(f"/lessons/{lid}/actions/validate", json={"root_cause": {"en": "Lists went by fax"}}))
    return lid


def _korean_font_installed() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True, check=False).stdout
    return bool(out.strip())


def test_the_hazard_report_in_each_language_holds_what_each_reader_may_read(
    server: LiveServer, world: World, db: Database
) -> None:
    coord, us = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    manager = server.client(user_token(db, "ll", "kor-cmoc", "lessons_manager"))
    shelter = _lesson(
        coord,
        None,
        title={"en": "Shelter lists came late", "ko": "대피소 명단 지연"},
        observation={"en": "Lists reached USFK nine hours late."},
        discussion={"ko": "팩스 의존이 원인으로 보인다"},
        recommendation={"en": "Share lists as HXL", "ko": "HXL로 명단 공유"},
        hazard="typhoon",
        capability_area="emergency_shelter",
    )
    ok(manager.post(f"/lessons/{shelter}/actions/validate", json={"root_cause": {"en": "Fax", "ko": "팩스 전달"}}))
    action = {"owner_org": "kor-province", "due": "2027-03-01",
              "text": {"en": "Publish shelter lists as HXL", "ko": "대피소 명단을 HXL로 게시"}}  # fmt: skip
    ok(manager.post(f"/lessons/{shelter}/actions/assign", json=action))
    korean = _lesson(coord, manager, title={"en": "Korean eyes only", "ko": "한국 전용 교훈"},
                     observation={"en": "Kept", "ko": "보관"}, hazard="typhoon", label="nation:KOR")  # fmt: skip
    _lesson(
        coord, None, title={"en": "Unreviewed note", "ko": "검토 전 메모"}, observation={"en": "x"}, hazard="typhoon"
    )
    _lesson(
        coord, manager, title={"en": "Quake lesson", "ko": "지진 교훈"}, observation={"en": "x"}, hazard="earthquake"
    )

    ko = _report(coord, hazard="typhoon", lang="ko")
    assert "교훈 보고서" in ko and "태풍" in ko and "coord@kor-cmoc" in ko
    assert "대피소 명단 지연" in ko and "한국 전용 교훈" in ko  # every lesson a KOR user may read
    assert "검토 전 메모" not in ko and "지진 교훈" not in ko  # observed only; another hazard
    assert "Lists reached USFK nine hours late." in ko and "번역 전" in ko  # English shown, marked
    assert "HXL로 명단 공유" in ko and "팩스 전달" in ko and "임시 주거 (텐트·구호 키트)" in ko
    assert "대피소 명단을 HXL로 게시" in ko and "kor-province" in ko and "2027-03-01" in ko
    assert "nation:KOR" in ko and "alliance" in ko  # every lesson carries its marking
    assert 'id="state-action_assigned">1<' in ko and 'id="state-validated">1<' in ko
    assert 'id="capability-emergency_shelter">1<' in ko

    en = _report(coord, hazard="typhoon", lang="en")
    assert "Lessons report" in en and "Shelter lists came late" in en and "Emergency shelter (tents and kits)" in en
    assert "팩스 의존이 원인으로 보인다" in en and "not yet translated" in en and "번역 전" not in en
    assert "Unreviewed note" in _report(coord, hazard="typhoon", state="observed", lang="en")

    theirs = _report(us, hazard="typhoon", lang="en")
    assert "Shelter lists came late" in theirs and "uscoord@us-liaison" in theirs
    assert "Korean eyes only" not in theirs and "한국 전용 교훈" not in theirs and korean not in theirs
    assert 'id="state-validated">0<' in theirs  # not even counted

    # The request's language when none is asked for.
    resp = coord.get(REPORT, params={"hazard": "typhoon"}, headers={"Accept-Language": "en-US,en;q=0.8"})
    assert "Lessons report" in resp.text
    assert '<link rel="stylesheet" href="report.css">' in ko and "<style>" not in ko
    css = coord.get("/lessons/report.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    problem(coord.get(REPORT), 422)
    problem(coord.get(REPORT, params={"hazard": "typhoon", "exercise": "x"}), 422)
    problem(coord.get(REPORT, params={"hazard": "typhoon", "lang": "fr"}), 422)

    pdf = coord.get("/lessons/report.pdf", params={"hazard": "typhoon", "lang": "ko"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert 'filename="lessons-typhoon-ko.pdf"' in pdf.headers["content-disposition"]
    assert pdf.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Lists reached USFK nine hours late." in text
    if _korean_font_installed():
        assert "대피소 명단 지연" in text  # Korean rendered as text, not tofu


def test_the_exercise_report_holds_the_lessons_a_reader_can_tell_came_from_it(
    server: LiveServer, world: World, db: Database
) -> None:
    coord, us = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    manager = server.client(user_token(db, "ll", "kor-cmoc", "lessons_manager"))
    everyone = [o for o in world.orgs if o != "kor-cmoc"]
    drill = create_operation(coord, everyone, mode="exercise", name="Ulchi typhoon drill", hazard="typhoon")["id"]
    real = create_operation(coord, everyone)["id"]
    korean_drill = create_operation(coord, ["kor-province"], mode="exercise", name="KOR drill")["id"]
    shared = ok(coord.post(f"/operations/{drill}/log", json={"text": "Shelter board slow"}), 201)["id"]
    closed = ok(coord.post(f"/operations/{drill}/log", json={"text": "CMOC only", "label": "org:kor-cmoc"}), 201)["id"]
    elsewhere = ok(coord.post(f"/operations/{real}/log", json={"text": "Roads closed"}), 201)["id"]

    def log(entry: str) -> dict[str, str]:
        return {"type": "log", "id": entry}

    drawn = _lesson(coord, manager, title={"en": "Drill shelter board"}, observation={"en": "Slow"},
                    sources=[log(shared)], hazard="typhoon")  # fmt: skip
    _lesson(coord, manager, title={"en": "Not from the drill"}, observation={"en": "x"}, hazard="typhoon")
    hidden = _lesson(coord, manager, title={"en": "Drawn from a closed line"}, observation={"en": "x"},
                     sources=[log(closed), log(elsewhere)], hazard="typhoon", label="org:kor-cmoc")  # fmt: skip
    proposed = _lesson(coord, manager, title={"en": "Proposed from the results"}, observation={"en": "x"})
    with transaction(db) as s:
        # A lesson wider than one of its sources (as a lesson widened by hand would be): the US reads
        # the lesson, not the line it cites, and must not learn that line belongs to the drill.
        row = s.get(Lesson, hidden)
        assert row is not None
        row.label = "alliance"
        made = s.get(Lesson, proposed)
        assert made is not None
        made.origin = f"{drill}/metric:needs_met_share/kor-cmoc"  # as the drill's candidates set it

    ours = _report(coord, exercise=drill, lang="en")
    assert "EXERCISE" in ours and "Ulchi typhoon drill" in ours
    assert "Drill shelter board" in ours and drawn in ours and shared in ours and "Proposed from the results" in ours
    assert "Drawn from a closed line" in ours and closed in ours
    assert "Not from the drill" not in ours

    theirs = _report(us, exercise=drill, lang="ko")
    assert "훈련 상황" in theirs and "Drill shelter board" in theirs and shared in theirs
    assert "Proposed from the results" in theirs
    assert "Drawn from a closed line" not in theirs and closed not in theirs
    by_hazard = _report(us, hazard="typhoon", lang="en")
    assert "Drawn from a closed line" in by_hazard and elsewhere in by_hazard and closed not in by_hazard

    problem(coord.get(REPORT, params={"exercise": real}), 422)  # a real operation
    problem(us.get(REPORT, params={"exercise": korean_drill}), 404)  # not theirs to read
    problem(us.get(REPORT, params={"exercise": "no-such-operation"}), 404)
    assert "KOR drill" in _report(coord, exercise=korean_drill, lang="en")
