"""The exercise clock command: only for exercise operations, only by coordinators or controllers."""

from __future__ import annotations

import pytest

from katchi import exercises, operations
from katchi.accounts import principal_for_token
from katchi.core import Forbidden, Invalid
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.world import World


def test_clock_rules(db: Database, world: World) -> None:
    def as_(user: str) -> Context:
        with db.read() as s:
            return Context(principal_for_token(s, world.tokens[user]), source="test")

    coord, prov = as_("coord"), as_("province")
    with transaction(db) as s:
        real = operations.create_operation(s, coord, operations.OperationCreate(name="real", hazard="flood"))
        drill = operations.create_operation(
            s,
            coord,
            operations.OperationCreate(name="drill", mode="exercise", hazard="flood", participants=["kor-province"]),
        )
    args = {"state": "running", "sim_time": coord.now, "speed": 60.0, "scenario": "x"}
    with pytest.raises(Invalid, match="only exercise operations"), transaction(db) as s:
        exercises.record_clock(s, coord, real.id, **args)  # type: ignore[arg-type]
    with pytest.raises(Forbidden, match="exercise controllers"), transaction(db) as s:
        exercises.record_clock(s, prov, drill.id, **args)  # type: ignore[arg-type]
    with pytest.raises(Invalid, match="speed"), transaction(db) as s:
        exercises.record_clock(s, coord, drill.id, **(args | {"speed": 0}))  # type: ignore[arg-type]
    with transaction(db) as s:
        exercises.record_clock(s, coord, drill.id, **args)  # type: ignore[arg-type]
