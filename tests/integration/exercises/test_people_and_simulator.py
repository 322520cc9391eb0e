"""The simulator's batch and a person's command on the same request at the same moment: the two
writers queue on the log's write lock (taken first, by every writer), so neither deadlocks nor
overwrites the other, and the later one sees what the earlier committed."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

from sqlalchemy import select

from katchi.accounts import principal_for_token
from katchi.core.context import Context
from katchi.core.errors import Conflict
from katchi.db import Database
from katchi.eventlog import LogEntry, transaction
from katchi.exercises.engine import Outcome
from katchi.exercises.needs import KINDS, Need
from katchi.exercises.platform import ServiceSink, SimWorld
from katchi.operations import OperationCreate, create_operation
from katchi.tasking import RfaAction, RfaActionBody, RfaCreate, act_on_rfa, create_rfa
from tests.support.api import point
from tests.support.world import World


def test_a_person_and_the_simulator_validating_at_once_neither_deadlock_nor_repeat(db: Database, world: World) -> None:
    with db.read() as s:
        who = {u: principal_for_token(s, world.tokens[u]) for u in ("coord", "uscoord")}
    with transaction(db) as s:
        op = create_operation(
            s,
            Context(who["coord"], source="test"),
            OperationCreate(
                name="Drill",
                mode="exercise",
                hazard="earthquake",
                participants=world.orgs,
                coordinators=["kor-cmoc", "us-liaison"],  # the person may validate: only the race refuses it
            ),
        )
        rfa, earlier = (
            create_rfa(
                s,
                Context(who["coord"], source="test"),
                op.id,
                RfaCreate(title=title, capability="mass_casualty_transport", quantity=5, location=point(), submit=True),
            )
            for title in ("Injured", "Injured nearby")
        )
    world_ = SimWorld(op.id, datetime(2026, 3, 4, tzinfo=UTC), {"kor-cmoc": who["coord"]}, "kor-cmoc", (127.0, 37.5))
    sink = ServiceSink(db, world_, people=True)
    need, first = (
        Need(i, KINDS["medical"], "mass_casualty_transport", 0.0, 127.0, 37.5, "Jung-gu", "중구", 5, rfa=r.id)
        for i, r in enumerate((rfa, earlier))
    )
    assert sink.validate(0.5, first) is Outcome.done  # the simulator's batch is under way
    refused: list[Exception] = []

    def person() -> None:
        try:
            with transaction(db) as s:
                act_on_rfa(s, Context(who["uscoord"], source="web"), rfa.id, RfaAction.validate, RfaActionBody())
        except Exception as exc:  # a deadlock would land here too
            refused.append(exc)

    thread = threading.Thread(target=person)
    thread.start()
    time.sleep(0.5)  # the person's command is under way (on PostgreSQL it would hold the RFA's row)
    assert sink.validate(1.0, need) is Outcome.done
    sink.flush()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert len(refused) == 1, "the person's command went through: the simulator's work was overwritten"
    assert isinstance(refused[0], Conflict), refused[0]
    assert "validated" in refused[0].detail  # the person read what the simulator did
    with db.read() as s:
        kinds = s.scalars(select(LogEntry.kind).where(LogEntry.subject_id == rfa.id).order_by(LogEntry.seq)).all()
    assert kinds == ["tasking.rfa.created", "tasking.rfa.validated"]


def test_a_request_people_wrote_and_tasked_to_a_simulated_unit_is_answered_by_its_owner(
    db: Database, world: World
) -> None:
    """A coordinator writes their own RFA (no scenario need behind it) and tasks it to a unit the
    simulator plays: the simulated owner accepts, goes, arrives and completes it, as it does for the
    scenario's requests, instead of leaving the unit requested for ever."""
    from katchi import assets
    from katchi.exercises.engine import Unit

    with db.read() as s:
        who = {u: principal_for_token(s, world.tokens[u]) for u in ("coord", "roka")}
    coord = Context(who["coord"], source="test")
    with transaction(db) as s:
        op = create_operation(
            s, coord, OperationCreate(name="Drill", mode="exercise", hazard="earthquake", participants=world.orgs)
        )
        team = assets.register_asset(
            s, Context(who["roka"], source="test"),
            assets.AssetCreate(name="Army rescue 9", capability="usar_medium", location=point(126.95, 37.47)),
            operation_id=op.id,
        )  # fmt: skip
        rfa = create_rfa(
            s, coord, op.id,
            RfaCreate(
                title="Collapse at the market", capability="usar_medium", quantity=4, location=point(127.0, 37.57),
                submit=True,
            ),
        )  # fmt: skip
        act_on_rfa(s, coord, rfa.id, RfaAction.validate, RfaActionBody())
        act_on_rfa(s, coord, rfa.id, RfaAction.task, RfaActionBody(asset_id=team.id, justification="drill"))
    principals = {"kor-cmoc": who["coord"], "kor-army": who["roka"]}
    sink = ServiceSink(
        db, SimWorld(op.id, datetime(2026, 3, 4, tzinfo=UTC), principals, "kor-cmoc", (127.0, 37.5)), people=True
    )
    unit = Unit(0, "Army rescue 9", "kor-army", True, "usar_medium", 126.95, 37.47, 40.0, handle=team.id)
    adopted = sink.tasked_by_people(10.0, {team.id: unit}, {})
    assert [(n.rfa, u.handle) for n, u in adopted] == [(rfa.id, team.id)]
    need = adopted[0][0]
    assert (need.lon, need.lat, need.people) == (127.0, 37.57, 4)
    assert sink.depart(12.0, need, unit) is Outcome.done
    unit.lon, unit.lat = need.lon, need.lat
    assert sink.arrive(40.0, need, unit) is Outcome.done
    assert sink.complete(100.0, need, unit) is Outcome.done
    sink.flush()
    with db.read() as s:
        kinds = s.scalars(select(LogEntry.kind).where(LogEntry.subject_id == rfa.id).order_by(LogEntry.seq)).all()
    assert kinds[-4:] == ["tasking.rfa.tasked", "tasking.rfa.accepted", "tasking.rfa.started", "tasking.rfa.completed"]
