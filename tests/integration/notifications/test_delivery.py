"""Each kind of notification reaches exactly the people who need it and may read it, in words they
may read, and nobody else; the overdue sweep reports an RFA once; a rolled-back command notifies
nobody."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

import katchi.tables  # noqa: F401
from katchi import assets, exercises, notifications, operations, tasking
from katchi.accounts import User
from katchi.core import Invalid, NotFound
from katchi.core.clock import utcnow
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.notifications import Notification
from katchi.operations import OperationParticipant
from katchi.tasking import RfaAction, RfaActionBody
from tests.support.api import point
from tests.support.commands import act, rfa, run
from tests.support.world import World

KOREANS = ("coord", "province", "redcross", "roka", "viewer", "kapprover")


def inbox(db: Database) -> dict[str, list[Notification]]:
    """Every notification by its recipient's username, oldest first."""
    with db.read() as s:
        rows = s.execute(select(User.username, Notification).join(User, User.id == Notification.user_id)).all()
        out: dict[str, list[Notification]] = {}
        for name, n in sorted(rows, key=lambda r: r[1].id):
            out.setdefault(name, []).append(n)
        return out


def new_since(before: dict[str, list[Notification]], after: dict[str, list[Notification]]) -> dict[str, list[str]]:
    """What each person received in between: ``kind: text_en``."""
    seen = {n.id for ns in before.values() for n in ns}
    out = {name: [f"{n.kind}: {n.text_en}" for n in ns if n.id not in seen] for name, ns in after.items()}
    return {name: texts for name, texts in out.items() if texts}


def operation(db: Database, people: Callable[[str], Context]) -> str:
    op = run(
        db,
        people("coord"),
        lambda s, c: operations.create_operation(
            s,
            c,
            operations.OperationCreate(
                name="Flood response",
                hazard="flood",
                participants=["kor-province", "kor-army", "us-aviation", "us-liaison"],
                coordinators=["kor-cmoc", "us-liaison", "us-aviation"],
            ),
        ),
    )
    return str(op.id)


def test_tasking_notifies_the_owner_the_nations_approvers_and_the_requester(
    db: Database, world: World, people: Callable[[str], Context]
) -> None:
    op_id = operation(db, people)
    unit = run(
        db,
        people("usav"),
        lambda s, c: assets.register_asset(
            s,
            c,
            assets.AssetCreate(
                name="Chinook 7",
                capability="water_purification",
                location=point(),
                label="org:us-aviation",
                caveats={"national_approval": True},
            ),
        ),
    )
    before = inbox(db)
    request = rfa(db, people("province"), op_id, "Water for Suwon shelter")
    assert new_since(before, inbox(db)) == {}  # a submission needs nobody yet
    before = inbox(db)
    act(db, people("coord"), request, "validate")
    assert new_since(before, inbox(db)) == {
        "province": ["rfa_changed: Your RFA “Water for Suwon shelter” is now validated"]
    }

    before = inbox(db)
    act(db, people("usavcoord"), request, "task", asset_id=unit.id)
    got = new_since(before, inbox(db))
    assert got == {
        "usav": [
            "asset_tasked: Your asset Chinook 7 was requested for RFA “Water for Suwon shelter”"
            " (awaiting national approval)"
        ],
        # The USA's approver reads the RFA but not the asset (org:us-aviation): its name stays out.
        "usapprover": [
            "approval_awaited: A tasking of an asset of your nation to RFA “Water for Suwon shelter”"
            " awaits your nation's approval"
        ],
        "province": ["rfa_changed: Your RFA “Water for Suwon shelter” is now tasked"],
    }
    for name, ns in inbox(db).items():
        if name != "usav":
            assert all("Chinook" not in n.text_en + n.text_ko and n.detail_label is None for n in ns), name
    owner_notice = inbox(db)["usav"][-1]
    assert owner_notice.detail_label == "org:us-aviation" and "Chinook 7" in owner_notice.text_ko

    before = inbox(db)
    run(db, people("usapprover"), lambda s, c: tasking.decide(s, c, request, approve=True, reason=""))
    act(db, people("usav"), request, "accept")
    act(db, people("usav"), request, "start")
    act(db, people("usav"), request, "complete")
    assert new_since(before, inbox(db)) == {
        "province": [
            "rfa_changed: Your RFA “Water for Suwon shelter” was approved by the asset's nation",
            "rfa_changed: Your RFA “Water for Suwon shelter” is now accepted",
            "rfa_changed: Your RFA “Water for Suwon shelter” is now underway",
            "rfa_changed: Your RFA “Water for Suwon shelter” is now completed",
        ]
    }


def test_a_nation_labelled_rfa_never_notifies_another_nation(
    db: Database, world: World, people: Callable[[str], Context]
) -> None:
    op_id = operation(db, people)
    past = utcnow() - timedelta(hours=2)
    before = inbox(db)
    us_rfa = rfa(db, people("usplan"), op_id, "US-only airlift need", label="nation:USA", needed_by=past)
    act(db, people("uscoord"), us_rfa, "validate")
    kor_rfa = rfa(db, people("province"), op_id, "Sandbags for Paju", needed_by=past)
    future = rfa(db, people("province"), op_id, "Blankets next week", needed_by=utcnow() + timedelta(days=7))
    done = rfa(db, people("province"), op_id, "Rejected long ago", needed_by=past)
    act(db, people("coord"), done, "reject", reason="duplicate")
    assert run(db, Context(None), notifications.sweep_overdue).overdue == 2
    got = new_since(before, inbox(db))
    assert got.pop("usplan") == ["rfa_changed: Your RFA “US-only airlift need” is now validated"]
    assert got.pop("province") == ["rfa_changed: Your RFA “Rejected long ago” is now rejected"]
    # Coordinators of the requesting organisation and of the operation's coordinating ones, each
    # only of what they may read: Korea's coordinator never hears of the nation:USA request.
    assert sorted(got) == ["coord", "usavcoord", "uscoord"]
    assert [t.split(" is past")[0] for t in got["coord"]] == ["rfa_overdue: RFA “Sandbags for Paju”"]
    for us in ("uscoord", "usavcoord"):
        assert sorted(t.split(" is past")[0] for t in got[us]) == [
            "rfa_overdue: RFA “Sandbags for Paju”",
            "rfa_overdue: RFA “US-only airlift need”",
        ]
    assert "and still submitted" in got["coord"][0]
    with db.read() as s:
        overdue = s.scalars(select(Notification.subject_id).where(Notification.kind == "rfa_overdue")).all()
    assert set(overdue) == {kor_rfa, us_rfa}
    for name in KOREANS:
        assert all("US-only" not in n.text_en + n.text_ko for n in inbox(db).get(name, []))
    # Once per RFA: a second sweep finds nothing new.
    before = inbox(db)
    assert run(db, Context(None), notifications.sweep_overdue).overdue == 0
    assert new_since(before, inbox(db)) == {}
    assert future  # still open and not due: not reported


def test_a_message_notifies_the_organisations_it_is_addressed_to_that_may_read_it(
    db: Database, world: World, people: Callable[[str], Context]
) -> None:
    op_id = operation(db, people)

    def post(text: str, label: str, to: list[str]) -> None:
        body = operations.MessageCreate(text=text, label=label, to_orgs=to)
        run(db, people("coord"), lambda s, c: operations.post_message(s, c, op_id, body))

    before = inbox(db)
    post("Everyone: briefing at 18:00", "alliance", [])
    post("Army: bring the pumps", "alliance", ["kor-army"])
    post("Korean eyes only: pumps are short", "nation:KOR", ["kor-army"])
    # Addressed to an organisation that could not read it: refused, rather than silently unsent.
    with pytest.raises(Invalid, match="cannot be read by us-aviation"):
        post("Korean eyes only: pumps are short", "nation:KOR", ["kor-army", "us-aviation"])
    with pytest.raises(Invalid, match="cannot be read by kor-army"):
        post("CMOC internal note", "org:kor-cmoc", ["kor-army"])
    assert new_since(before, inbox(db)) == {
        "roka": [
            "message: Message to your organisation from coord@kor-cmoc: Army: bring the pumps",
            "message: Message to your organisation from coord@kor-cmoc: Korean eyes only: pumps are short",
        ]
    }
    with pytest.raises(Invalid, match="not kor-redcross"):
        post("Red Cross does not take part", "alliance", ["kor-redcross"])


def test_a_command_that_fails_notifies_nobody(db: Database, world: World, people: Callable[[str], Context]) -> None:
    op_id = operation(db, people)
    request = rfa(db, people("province"), op_id, "Doomed")
    before = inbox(db)

    def validate_then_fail(s: Session, c: Context) -> None:
        tasking.act_on_rfa(s, c, request, RfaAction.validate, RfaActionBody())
        raise RuntimeError("something later in the transaction failed")

    with pytest.raises(RuntimeError):
        run(db, people("coord"), validate_then_fail)
    assert new_since(before, inbox(db)) == {}


def test_the_sweep_reads_an_exercise_by_its_own_clock(
    db: Database, world: World, people: Callable[[str], Context]
) -> None:
    drill = run(
        db,
        people("coord"),
        lambda s, c: operations.create_operation(
            s,
            c,
            operations.OperationCreate(name="Drill", mode="exercise", hazard="flood", participants=["kor-province"]),
        ),
    )
    ahead = utcnow() + timedelta(days=3)
    run(
        db,
        people("coord"),
        lambda s, c: exercises.record_clock(s, c, drill.id, state="running", sim_time=ahead, speed=1.0, scenario="x"),
    )
    due = rfa(db, people("province"), drill.id, "Exercise water", needed_by=utcnow() + timedelta(days=1))
    wall = Context(None, source="test")
    assert run(db, wall, notifications.sweep_overdue).overdue == 0  # not yet by the wall clock …
    played = Context(None, source="test", timekeeper=exercises.exercise_time)
    with transaction(db) as s:
        assert notifications.sweep_overdue(s, played).overdue == 1  # … but past by the exercise's
    mine = inbox(db)["coord"]
    assert [n.subject_id for n in mine] == [due]
    assert mine[0].text_en.startswith("[EXERCISE] RFA “Exercise water” is past its needed-by time")
    assert mine[0].text_ko.startswith("[훈련 상황] ") and mine[0].created_at > utcnow() + timedelta(days=2)


def test_a_notice_is_shown_only_while_its_reader_may_read_what_caused_it(
    db: Database, world: World, people: Callable[[str], Context]
) -> None:
    op_id = operation(db, people)
    body = operations.MessageCreate(text="Army: bring the pumps", to_orgs=["kor-army"])
    run(db, people("coord"), lambda s, c: operations.post_message(s, c, op_id, body))
    roka = people("roka").principal
    assert roka is not None
    with db.read() as s:
        page = notifications.list_notifications(s, roka)
    assert [n.text for n in page.items] == ["Message to your organisation from coord@kor-cmoc: Army: bring the pumps"]
    assert page.unread == 1
    # The army leaves the operation (no command does this yet: the row goes directly): its
    # alliance-labelled notice is no longer shown, nor counted, nor can it be marked read.
    with transaction(db) as s:
        s.execute(
            delete(OperationParticipant).where(
                OperationParticipant.operation_id == op_id, OperationParticipant.org_id == roka.org_id
            )
        )
    with db.read() as s:
        assert notifications.list_notifications(s, roka) == notifications.NotificationPage(
            items=[], next=None, unread=0
        )
    with pytest.raises(NotFound), transaction(db) as s:
        notifications.mark_read(s, Context(roka), page.items[0].id)
