"""A closed operation takes no new facility status and no contact changes, as it takes no other
write: the commands refuse (403) through ``writable_operation`` like every other command."""

from __future__ import annotations

import pytest

from katchi import cop, operations
from katchi.core import Forbidden
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import point
from tests.support.world import World, acting_as


def test_a_closed_operation_refuses_status_and_contact_changes(db: Database, world: World) -> None:
    coord = acting_as(db, world, "coord")
    with transaction(db) as s:
        op = operations.create_operation(s, coord, operations.OperationCreate(name="op", hazard="earthquake"))
    with transaction(db) as s:
        gym = cop.add_facility(s, coord, op.id, cop.FacilityCreate(kind="shelter", name="Gym", location=point()))
        lno = operations.add_contact(
            s, coord, op.id, operations.ContactCreate(name="Kim", organisation="kor-cmoc", phone="010")
        )
    with transaction(db) as s:  # no command closes an operation yet: the test closes it by hand
        s.get(operations.Operation, op.id).status = "closed"  # type: ignore[union-attr]
    for command in (
        lambda s, c: cop.update_facility(s, c, gym.id, cop.FacilityUpdate(status="closed")),
        lambda s, c: operations.add_contact(
            s, c, op.id, operations.ContactCreate(name="Lee", organisation="kor-cmoc", phone="010")
        ),
        lambda s, c: operations.update_contact(s, c, lno.id, operations.ContactUpdate(role="LNO")),
        lambda s, c: operations.remove_contact(s, c, lno.id),
    ):
        with pytest.raises(Forbidden, match="closed"), transaction(db) as s:
            command(s, acting_as(db, world, "coord"))
    with db.read() as s:
        assert cop.get_facility(s, coord.principal, gym.id).status == "open"
