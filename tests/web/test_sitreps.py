"""Situation reports: drafted from the record as their label's audience reads it (two-sided: a
``nation:USA`` casualty figure never reaches a report under ``alliance``, even one a US coordinator
drafts), edited, issued (then frozen), listed, and rendered in Korean and English as HTML and PDF."""

from __future__ import annotations

import io
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pypdf

from katchi.db import Database
from katchi.eventlog import transaction
from katchi.reports import prepare_scheduled_sitreps, zone_named
from tests.support.api import create_operation, items, ok, point, problem
from tests.support.server import LiveServer
from tests.support.world import World

JONGNO = point(126.9770, 37.5796)  # Jongno-gu (11010)
SEOUL = zone_named("Asia/Seoul")
BUSAN_DONG = point(129.0403, 35.1152)  # Busan Dong-gu (21030)


def _incident(client: httpx.Client, op: str, location: dict[str, Any], **extra: Any) -> str:
    body = {"kind": "collapse", "title": "Collapse", "severity": "severe", "location": location} | extra
    return str(ok(client.post(f"/operations/{op}/incidents", json=body), 201)["id"])


def _period(hours: float = 6) -> dict[str, str]:
    now = datetime.now(UTC)
    return {
        "period_start": (now - timedelta(hours=hours)).isoformat(),
        "period_end": (now + timedelta(minutes=5)).isoformat(),
    }


def _draft(client: httpx.Client, op: str, label: str, **period: Any) -> dict[str, Any]:
    return ok(client.post(f"/operations/{op}/sitreps", json={"label": label, **(period or _period())}), 201)  # type: ignore[no-any-return]


def _joint_operation(server: LiveServer, world: World) -> tuple[httpx.Client, httpx.Client, httpx.Client, str]:
    coord, us, viewer = (server.client(world.tokens[u]) for u in ("coord", "uscoord", "viewer"))
    op = create_operation(coord, ["kor-province", "us-liaison"])["id"]
    ok(coord.put(f"/operations/{op}/coordinators", json={"coordinators": ["us-liaison"]}))
    return coord, us, viewer, op


def test_a_report_holds_only_what_its_labels_audience_may_read(server: LiveServer, world: World) -> None:
    coord, us, viewer, op = _joint_operation(server, world)
    _incident(coord, op, JONGNO, dead=2, injured=5, title="Office block collapse")
    _incident(us, op, JONGNO, dead=10, title="Camp casualties (US only)", label="nation:USA")
    _incident(coord, op, BUSAN_DONG, dead=7, title="Korean-only figure", label="nation:KOR")

    # A US coordinator drafts for the alliance: neither nation's own figures are in it.
    alliance = _draft(us, op, "alliance")
    assert alliance["state"] == "draft" and alliance["number"] == 1 and alliance["label"] == "alliance"
    assert alliance["figures"]["totals"]["dead"] == 2 and alliance["figures"]["totals"]["incidents"] == 1
    assert [d["code"] for d in alliance["figures"]["districts"]] == ["11010"]
    assert (
        alliance["texts"]["highlights"]["en"].startswith("- As of ")
        and "2 dead" in alliance["texts"]["highlights"]["en"]
    )
    assert "사망 2명" in alliance["texts"]["highlights"]["ko"]
    assert "Camp casualties" not in str(alliance) and "Korean-only" not in str(alliance)

    # Under nation:USA it holds the alliance's and the US figures, never Korea's.
    national = _draft(us, op, "nation:USA")
    assert national["figures"]["totals"]["dead"] == 12 and "Korean-only" not in str(national)
    korean = _draft(coord, op, "nation:KOR")
    assert korean["figures"]["totals"]["dead"] == 9 and "Camp casualties" not in str(korean)
    problem(coord.post(f"/operations/{op}/sitreps", json={"label": "nation:USA", **_period()}), 422)

    # Drafts are the coordinators'; issued reports reach their label's audience, and only it.
    assert [r["number"] for r in items(viewer, f"/operations/{op}/sitreps")] == []
    problem(viewer.get(f"/sitreps/{alliance['id']}"), 404)
    ok(us.post(f"/sitreps/{alliance['id']}/actions/issue"))
    ok(us.post(f"/sitreps/{national['id']}/actions/issue"))
    ok(coord.post(f"/sitreps/{korean['id']}/actions/issue"))
    assert [(r["number"], r["label"]) for r in items(viewer, f"/operations/{op}/sitreps")] == [
        (1, "alliance"),
        (1, "nation:KOR"),
    ]
    assert [(r["number"], r["label"]) for r in items(us, f"/operations/{op}/sitreps")] == [
        (1, "alliance"),
        (1, "nation:USA"),
    ]
    for path in (f"/sitreps/{national['id']}", f"/sitreps/{national['id']}.html", f"/sitreps/{national['id']}.pdf"):
        problem(viewer.get(path), 404)
        problem(coord.get(path), 404)
    html = viewer.get(f"/sitreps/{alliance['id']}.html", params={"lang": "ko"}).text
    assert "상황보고 제1호" in html and "종로구" in html and "Camp casualties" not in html
    pdf = viewer.get(f"/sitreps/{alliance['id']}.pdf", params={"lang": "en"})
    assert (
        pdf.headers["content-type"] == "application/pdf"
        and 'filename="sitrep-1-en.pdf"' in pdf.headers["content-disposition"]
    )
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Situation report No. 1" in text and "Jongno-gu" in text and "Busan" not in text


def test_a_draft_is_edited_then_issued_once_and_frozen(server: LiveServer, world: World) -> None:
    coord, us, viewer, op = _joint_operation(server, world)
    province = server.client(world.tokens["province"])
    rep = _draft(coord, op, "alliance")
    problem(province.post(f"/operations/{op}/sitreps", json={"label": "alliance", **_period()}), 403)
    problem(province.patch(f"/sitreps/{rep['id']}", json={"gaps": {"en": "x"}}), 404)  # drafts: coordinators
    edited = ok(
        coord.patch(
            f"/sitreps/{rep['id']}", json={"next_steps": {"en": "Open two shelters.", "ko": "대피소 두 곳 개설."}}
        )
    )
    assert edited["texts"]["next_steps"] == {"en": "Open two shelters.", "ko": "대피소 두 곳 개설."}
    assert edited["texts"]["highlights"] == rep["texts"]["highlights"]
    problem(coord.patch(f"/sitreps/{rep['id']}", json={"unknown": {"en": "x"}}), 422)
    issued = ok(us.post(f"/sitreps/{rep['id']}/actions/issue"))
    assert issued["state"] == "issued" and issued["issued_by"].startswith("uscoord@")
    problem(coord.post(f"/sitreps/{rep['id']}/actions/issue"), 409)
    problem(coord.patch(f"/sitreps/{rep['id']}", json={"gaps": {"en": "late"}}), 409)
    problem(province.post(f"/sitreps/{rep['id']}/actions/issue"), 403)  # readable once issued, not theirs to act on
    kinds = [e["kind"] for e in items(viewer, f"/operations/{op}/timeline") if e["kind"].startswith("reports.")]
    assert kinds == ["reports.sitrep.drafted", "reports.sitrep.edited", "reports.sitrep.issued"]
    html = viewer.get(f"/sitreps/{rep['id']}.html", params={"lang": "en"}).text
    assert "Open two shelters." in html and "DRAFT" not in html


def test_requests_and_decisions_are_counted_for_the_period(server: LiveServer, world: World) -> None:
    coord, roka = server.client(world.tokens["coord"]), server.client(world.tokens["roka"])
    op = create_operation(coord, ["kor-army"])["id"]
    unit = ok(
        roka.post("/assets", json={"name": "Water unit", "capability": "water_purification", "location": point()}), 201
    )
    due = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    water = {"title": "Water", "capability": "water_purification", "location": point(), "submit": True}
    met = ok(coord.post(f"/operations/{op}/rfas", json=water), 201)
    rescue = {"title": "Rescue team for Jongno", "capability": "usar_medium", "location": JONGNO, "needed_by": due}
    ok(coord.post(f"/operations/{op}/rfas", json=rescue | {"submit": True}), 201)
    ok(
        coord.post(
            f"/operations/{op}/rfas", json={"title": "Draft only", "capability": "usar_medium", "location": point()}
        ),
        201,
    )
    ok(coord.post(f"/rfas/{met['id']}/actions/validate"))
    ok(coord.post(f"/rfas/{met['id']}/actions/task", json={"asset_id": unit["id"]}))
    for step in ("accept", "start", "complete"):
        ok(roka.post(f"/rfas/{met['id']}/actions/{step}"))
    ok(coord.post(f"/operations/{op}/decisions", json={"title": "Open Jongno shelter", "rationale": "Cold night"}), 201)

    rep = _draft(coord, op, "alliance")
    requests = rep["figures"]["requests"]
    assert (requests["opened"], requests["met"], requests["open"], requests["overdue"]) == (2, 1, 1, 1)
    assert [r["title"] for r in requests["overdue_listed"]] == ["Rescue team for Jongno"]
    assert {s["sector"]: (s["opened"], s["met"], s["open"]) for s in requests["sectors"]} == {
        "rescue": (1, 0, 1),
        "wash": (1, 1, 0),
    }
    assert [d["title"] for d in rep["figures"]["decisions"]] == ["Open Jongno shelter"]
    assert "Rescue team for Jongno" in rep["texts"]["gaps"]["en"] and "배정된 자산 없음" in rep["texts"]["gaps"]["ko"]

    # A period that ended before all this holds none of it.
    before = datetime.now(UTC) - timedelta(hours=2)
    old = _draft(
        coord, op, "alliance", period_start=(before - timedelta(hours=6)).isoformat(), period_end=before.isoformat()
    )
    assert (old["figures"]["requests"]["opened"], old["figures"]["decisions"]) == (0, [])
    assert old["number"] == 2
    problem(coord.post(f"/operations/{op}/sitreps", json={"label": "alliance", "period_start": before.isoformat(),
                                                        "period_end": before.isoformat()}), 422)  # fmt: skip


def test_a_schedule_drafts_reports_when_they_fall_due(server: LiveServer, world: World, db: Database) -> None:
    coord, _us, viewer, op = _joint_operation(server, world)
    problem(viewer.put(f"/operations/{op}/sitreps/schedule", json={"times": ["06:00"]}), 403)
    problem(coord.put(f"/operations/{op}/sitreps/schedule", json={"times": ["6am"]}), 422)
    problem(coord.put(f"/operations/{op}/sitreps/schedule", json={"times": ["06:00"], "timezone": "Mars/Olympus"}), 422)
    schedule = ok(coord.put(f"/operations/{op}/sitreps/schedule", json={"times": ["18:00", "06:00"]}))
    assert schedule["times"] == ["06:00", "18:00"] and schedule["timezone"] == "Asia/Seoul"
    assert ok(coord.get(f"/operations/{op}/sitreps/schedule"))["times"] == ["06:00", "18:00"]

    last = datetime.fromisoformat(schedule["last_slot"])
    with transaction(db) as s:
        assert prepare_scheduled_sitreps(s, last + timedelta(hours=1), zone=SEOUL) == []  # the next time has not come
    with transaction(db) as s:
        drafted = prepare_scheduled_sitreps(s, last + timedelta(hours=12, minutes=1), zone=SEOUL)
    assert len(drafted) == 1
    with transaction(db) as s:
        assert prepare_scheduled_sitreps(s, last + timedelta(hours=12, minutes=2), zone=SEOUL) == []  # once per time
    rep = ok(coord.get(f"/sitreps/{drafted[0]}"))
    assert rep["scheduled"] and rep["state"] == "draft"
    assert datetime.fromisoformat(rep["period_end"]) - datetime.fromisoformat(rep["period_start"]) == timedelta(
        hours=12
    )
    assert datetime.fromisoformat(rep["period_start"]) == last
    ok(coord.put(f"/operations/{op}/sitreps/schedule", json={"times": []}))
    with transaction(db) as s:
        assert prepare_scheduled_sitreps(s, last + timedelta(days=3), zone=SEOUL) == []


def test_a_long_gap_list_is_cut_to_fit_and_every_drafted_event_has_its_report(
    server: LiveServer, world: World, db: Database
) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province"])["id"]
    past = (datetime.now(UTC) - timedelta(minutes=30)).isoformat()
    for i in range(35):
        body = {"title": f"{i:02d} " + "R" * 296, "capability": "usar_medium", "location": JONGNO, "needed_by": past}
        ok(coord.post(f"/operations/{op}/rfas", json=body | {"submit": True}), 201)
    rep = _draft(coord, op, "alliance")
    gaps = rep["texts"]["gaps"]
    assert rep["figures"]["requests"]["overdue"] == 35 and len(gaps["en"]) <= 10_000 and len(gaps["ko"]) <= 10_000
    assert gaps["en"].splitlines()[-1].startswith("- … and ") and gaps["ko"].splitlines()[-1].startswith("- … 외 ")
    schedule = ok(coord.put(f"/operations/{op}/sitreps/schedule", json={"times": ["06:00", "18:00"]}))
    with transaction(db) as s:
        due = datetime.fromisoformat(schedule["last_slot"]) + timedelta(hours=12)
        assert len(prepare_scheduled_sitreps(s, due, zone=SEOUL)) == 1
    for event in items(coord, f"/operations/{op}/timeline", kind="reports.sitrep.drafted"):
        ok(coord.get(f"/sitreps/{event['subject']['id']}"))


def test_reports_are_numbered_per_label_so_a_number_reveals_no_other_report(server: LiveServer, world: World) -> None:
    coord, us, _viewer, op = _joint_operation(server, world)
    for label in ("alliance", "nation:KOR", "alliance"):
        ok(coord.post(f"/sitreps/{_draft(coord, op, label)['id']}/actions/issue"))
    assert [(r["number"], r["label"]) for r in items(us, f"/operations/{op}/sitreps")] == [
        (1, "alliance"),
        (2, "alliance"),
    ]
    assert [r["number"] for r in items(coord, f"/operations/{op}/sitreps")] == [1, 1, 2]


def test_requests_by_district_agree_with_the_request_counts_for_a_past_period(server: LiveServer, world: World) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, [])["id"]
    rfa = ok(coord.post(f"/operations/{op}/rfas", json={"title": "Rescue", "capability": "usar_medium",
                                                       "location": JONGNO, "submit": True}), 201)  # fmt: skip
    mark = datetime.now(UTC)
    time.sleep(0.05)
    ok(coord.post(f"/rfas/{rfa['id']}/actions/cancel", json={"reason": "met otherwise"}))
    period = {"period_start": (mark - timedelta(hours=1)).isoformat(), "period_end": mark.isoformat()}
    rep = _draft(coord, op, "alliance", **period)
    assert rep["figures"]["requests"]["open"] == 1
    assert rep["figures"]["totals"]["open_rfas"] == 1 and rep["figures"]["districts"][0]["code"] == "11010"


def test_issuing_a_report_notifies_its_readers_only(server: LiveServer, world: World) -> None:
    coord, us, viewer, op = _joint_operation(server, world)
    usav = server.client(world.tokens["usav"])  # us-aviation does not take part
    national = _draft(us, op, "nation:USA")
    alliance = _draft(coord, op, "alliance")
    ok(us.post(f"/sitreps/{national['id']}/actions/issue"))
    ok(coord.post(f"/sitreps/{alliance['id']}/actions/issue"))

    def told(client: httpx.Client) -> list[str]:
        page = ok(client.get("/notifications"))
        return [n["subject"]["id"] for n in page["items"] if n["kind"] == "sitrep_issued"]

    assert told(viewer) == [alliance["id"]]  # a Korean reader: never of the US report
    assert told(us) == [alliance["id"]]  # not of its own issue
    assert told(usav) == []
    text = next(n["text"] for n in ok(viewer.get("/notifications", params={"lang": "ko"}))["items"])
    assert "상황보고 제1호" in text
