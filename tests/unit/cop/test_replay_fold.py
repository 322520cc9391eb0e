"""Folding events into the picture is pure: the same events give the same picture, whatever the
order of unrelated kinds, and events about records the reader never saw created change nothing."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from katchi.cop import fold

P = {"type": "Point", "coordinates": [127.0, 37.5]}


def ev(
    kind: str, rid: str, payload: dict[str, Any], label: str = "alliance", at: str = "2026-03-01T05:00:00Z"
) -> dict[str, Any]:
    return {
        "kind": kind,
        "subject": {"type": kind.split(".")[1], "id": rid},
        "payload": payload,
        "label": label,
        "occurred_at": at,
    }


def test_an_rfa_and_its_asset_follow_their_events() -> None:
    events = [
        ev(
            "assets.asset.registered",
            "a1",
            {
                "name": "Team",
                "org": "roka",
                "capability": "usar_medium",
                "capacity": 1,
                "status": "available",
                "location": P,
            },
        ),
        ev(
            "tasking.rfa.created",
            "r1",
            {
                "title": "Rescue",
                "capability": "usar_medium",
                "quantity": 1,
                "priority": "high",
                "requesting_org": "city",
                "state": "submitted",
                "location": P,
            },
        ),
        ev("tasking.rfa.validated", "r1", {"action": "validate", "from_state": "submitted", "to_state": "validated"}),
        ev(
            "tasking.rfa.tasked",
            "r1",
            {
                "action": "task",
                "from_state": "validated",
                "to_state": "tasked",
                "tasking_id": "t1",
                "asset_id": "a1",
                "asset_status": "requested",
                "tasking_status": "tasked",
                "last_resort": {},
            },
        ),
        ev(
            "cop.incident.reported",
            "i1",
            {
                "kind": "fire",
                "title": "Fire",
                "severity": "severe",
                "people_affected": 3,
                "location": P,
                "reported_by": "city",
            },
        ),
        ev("cop.incident.updated", "i1", {"severity": "minor", "status": "closed", "people_affected": 0}),
        ev("cop.incident.released", "i1", {"from_label": "alliance", "to_label": "public"}),
    ]
    picture = fold(events)
    assert picture["rfas"]["r1"]["state"] == "tasked" and picture["rfas"]["r1"]["tasking"]["asset_id"] == "a1"
    assert picture["assets"]["a1"]["status"] == "requested"
    assert picture["incidents"]["i1"]["status"] == "closed" and picture["incidents"]["i1"]["label"] == "public"


@given(
    st.lists(
        st.sampled_from(
            ["cop.incident.updated", "tasking.rfa.validated", "assets.asset.updated", "cop.incident.released"]
        ),
        max_size=20,
    )
)
def test_events_about_records_never_seen_created_change_nothing(kinds: list[str]) -> None:
    payloads = {
        "cop.incident.updated": {"severity": "minor", "status": "closed", "people_affected": 0},
        "tasking.rfa.validated": {"action": "validate", "from_state": "submitted", "to_state": "validated"},
        "assets.asset.updated": {"status": "available", "location": P},
        "cop.incident.released": {"from_label": "alliance", "to_label": "public"},
    }
    picture = fold(ev(k, "unseen", payloads[k]) for k in kinds)
    assert picture == {"incidents": {}, "facilities": {}, "rfas": {}, "assets": {}}


def test_a_facility_takes_each_status_change_and_its_time() -> None:
    added = {"kind": "shelter", "name": "Gym", "capacity": 400, "status": "open", "location": P}
    update = {"status": "full", "capacity": 400, "occupancy": 410, "beds_available": None, "needs": ["water"],
              "changed": ["status", "occupancy", "needs"], "by": "kor-province"}  # fmt: skip
    picture = fold(
        [
            ev("cop.facility.added", "f1", added),
            ev("cop.facility.updated", "f1", update, at="2026-03-01T07:00:00Z"),
            ev("cop.facility.updated", "f2", update),  # a facility never seen added stays out
        ]
    )
    assert list(picture["facilities"]) == ["f1"]
    f1 = picture["facilities"]["f1"]
    assert (f1["status"], f1["occupancy"], f1["needs"], f1["updated_at"]) == (
        "full",
        410,
        ["water"],
        "2026-03-01T07:00:00Z",
    )
    assert "changed" not in f1 and "by" not in f1
