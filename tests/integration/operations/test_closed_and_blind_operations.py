"""A closed operation takes no step of any kind: RFA life cycle, national approvals, releases, and
the overdue sweep; and an operation is never opened with participants its own label hides it from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from katchi import assets, cop, notifications, operations, tasking
from katchi.core import Forbidden, Invalid
from katchi.core.clock import utcnow
from katchi.core.context import Context
from katchi.db import Database
from tests.support.api import point
from tests.support.commands import act, rfa, run
from tests.support.world import World

PARTICIPANTS = ["kor-province", "kor-army", "us-aviation"]


def _closed_after(db: Database, people: Callable[[str], Context], prepare: Callable[[str], Any]) -> Any:
    op = run(db, people("coord"), lambda s, c: operations.create_operation(
        s, c, operations.OperationCreate(name="F", hazard="flood", participants=PARTICIPANTS)))  # fmt: skip
    ready = prepare(op.id)
    run(db, people("coord"), lambda s, c: operations.close_operation(s, c, op.id, operations.StatusChange(reason="x")))
    return op.id, ready


def test_a_closed_operation_takes_no_rfa_step_approval_or_release(
    db: Database, world: World, people: Callable[[str], Context]
) -> None:
    def prepare(op_id: str) -> dict[str, str]:
        pump = run(db, people("roka"), lambda s, c: assets.register_asset(
            s, c, assets.AssetCreate(name="Pump", capability="water_purification", location=point())))  # fmt: skip
        heli = run(db, people("usav"), lambda s, c: assets.register_asset(s, c, assets.AssetCreate(
            name="Chinook", capability="water_purification", location=point(),
            caveats={"national_approval": True})))  # fmt: skip
        fresh, validated, awaiting = (rfa(db, people("province"), op_id, t) for t in ("one", "two", "three"))
        act(db, people("coord"), validated, "validate")
        act(db, people("coord"), awaiting, "validate")
        act(db, people("coord"), awaiting, "task", asset_id=heli.id, justification="none closer")
        incident = run(db, people("coord"), lambda s, c: cop.report_incident(s, c, op_id, cop.IncidentCreate(
            kind="flood", title="x", severity="minor", location=point(), label="org:kor-cmoc")))  # fmt: skip
        return {"fresh": fresh, "validated": validated, "awaiting": awaiting, "pump": pump.id, "incident": incident.id}

    _op, r = _closed_after(db, people, prepare)
    attempts: list[tuple[str, Callable[[Any, Context], Any]]] = [
        (
            "coord",
            lambda s, c: tasking.act_on_rfa(s, c, r["fresh"], tasking.RfaAction.validate, tasking.RfaActionBody()),
        ),
        (
            "coord",
            lambda s, c: tasking.act_on_rfa(
                s, c, r["validated"], tasking.RfaAction.task, tasking.RfaActionBody(asset_id=r["pump"])
            ),
        ),
        (
            "province",
            lambda s, c: tasking.act_on_rfa(s, c, r["fresh"], tasking.RfaAction.cancel, tasking.RfaActionBody()),
        ),
        ("usapprover", lambda s, c: tasking.decide(s, c, r["awaiting"], approve=True, reason="")),
        ("province", lambda s, c: tasking.release_rfa(s, c, r["fresh"], "alliance")),
        ("coord", lambda s, c: cop.release_incident(s, c, r["incident"], "alliance")),
    ]
    for who, command in attempts:
        with pytest.raises(Forbidden, match="closed"):
            run(db, people(who), command)


def test_the_overdue_sweep_leaves_a_closed_operation_alone(
    db: Database, world: World, people: Callable[[str], Context]
) -> None:
    _op, _r = _closed_after(
        db, people, lambda op_id: rfa(db, people("province"), op_id, "late", needed_by=utcnow() - timedelta(hours=1))
    )
    assert run(db, Context(None), lambda s, c: notifications.sweep_overdue(s, c)).overdue == 0


def test_an_operation_is_not_opened_with_participants_its_label_hides_it_from(
    db: Database, world: World, people: Callable[[str], Context]
) -> None:
    for extra in ({"participants": ["us-aviation"]}, {"participants": ["us-liaison"], "lead": "us-liaison"}):
        with pytest.raises(Invalid, match="us-"):
            run(db, people("coord"), lambda s, c, x=extra: operations.create_operation(
                s, c, operations.OperationCreate(name="F", hazard="flood", label="nation:KOR", **x)))  # fmt: skip
