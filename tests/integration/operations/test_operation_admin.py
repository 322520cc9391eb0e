"""Closing, reopening and inviting into an operation: who may (a coordinator of the lead closes, a
coordinator of a coordinating organisation invites), who may not (403 to readers without the right,
404 to non-readers), and what an invited organisation then reads."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from katchi import operations as ops
from katchi.accounts import User, principal_for_user
from katchi.core import Conflict, Forbidden, Invalid, NotFound
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import LogEntry, transaction
from tests.support.world import World, acting_as, user_token


def _open(db: Database, world: World, label: str = "alliance", participants: tuple[str, ...] = ()) -> str:
    ctx = acting_as(db, world, "coord")
    with transaction(db) as s:
        return ops.create_operation(
            s, ctx, ops.OperationCreate(name="Flood", hazard="flood", participants=list(participants), label=label)
        ).id


def _as(db: Database, username: str) -> Context:
    with db.read() as s:
        principal = principal_for_user(s, s.scalar(select(User.id).where(User.username == username)))
    assert principal is not None
    return Context(principal, source="test")


def test_the_lead_closes_and_reopens_others_may_not(db: Database, world: World) -> None:
    op_id = _open(db, world, participants=("us-liaison", "kor-province"))
    for who, error in (("uscoord", Forbidden), ("province", Forbidden)):  # participants without the right
        with pytest.raises(error), transaction(db) as s:
            ops.close_operation(s, acting_as(db, world, who), op_id, ops.StatusChange())
    with pytest.raises(NotFound), transaction(db) as s:  # a non-participant cannot even see it
        ops.close_operation(s, acting_as(db, world, "usav"), op_id, ops.StatusChange())
    with transaction(db) as s:
        closed = ops.close_operation(s, acting_as(db, world, "coord"), op_id, ops.StatusChange(reason="over"))
    assert closed.status == "closed"
    with pytest.raises(Forbidden, match="closed"), transaction(db) as s:
        ops.post_log(s, acting_as(db, world, "coord"), op_id, ops.LogCreate(text="late"))
    with pytest.raises(Conflict), transaction(db) as s:
        ops.close_operation(s, acting_as(db, world, "coord"), op_id, ops.StatusChange())
    with transaction(db) as s:
        assert ops.reopen_operation(s, acting_as(db, world, "coord"), op_id, ops.StatusChange()).status == "active"
        ops.post_log(s, acting_as(db, world, "coord"), op_id, ops.LogCreate(text="back"))
    with db.read() as s:
        kinds = list(s.scalars(select(LogEntry.kind).where(LogEntry.operation_id == op_id).order_by(LogEntry.seq)))
    assert kinds[-3:] == ["operations.operation.closed", "operations.operation.reopened", "operations.log.posted"]


def test_the_operator_closes_any_operation(db: Database, world: World) -> None:
    op_id = _open(db, world)
    with transaction(db) as s:
        assert ops.close_operation(s, Context(None, source="cli"), op_id, ops.StatusChange()).status == "closed"


def test_coordinators_of_coordinating_organisations_invite_and_the_invited_read(db: Database, world: World) -> None:
    op_id = _open(db, world, participants=("us-liaison", "kor-province"))
    with transaction(db) as s:
        ops.post_log(s, acting_as(db, world, "coord"), op_id, ops.LogCreate(text="before they came"))
    invite = ops.ParticipantsAdd(organisations=["us-aviation"])
    # A coordinator of a participant that does not coordinate, a contributor, a non-participant: no.
    for who, error in (("uscoord", Forbidden), ("province", Forbidden), ("usav", NotFound)):
        with pytest.raises(error), transaction(db) as s:
            ops.add_participants(s, acting_as(db, world, who), op_id, invite)
    with transaction(db) as s:  # the lead names us-liaison co-coordinator: now its coordinator may
        ops.set_coordinators(s, acting_as(db, world, "coord"), op_id, ops.CoordinatorsSet(coordinators=["us-liaison"]))
    usav = acting_as(db, world, "usav")
    with db.read() as s, pytest.raises(NotFound):
        ops.visible_operation(s, usav.principal, op_id)
    with transaction(db) as s:
        read = ops.add_participants(s, acting_as(db, world, "uscoord"), op_id, invite)
    assert "us-aviation" in read.participants and "us-aviation" not in read.coordinators
    with db.read() as s:  # the invited read the operation and its alliance records, earlier ones too
        view = ops.visible_operation(s, usav.principal, op_id)
        assert view.participant
        assert [e.text for e in ops.list_log(s, usav.principal, view, cursor=None, limit=10)[0]] == ["before they came"]
    with pytest.raises(Conflict), transaction(db) as s:
        ops.add_participants(s, acting_as(db, world, "coord"), op_id, invite)
    with pytest.raises(Invalid, match="unknown"), transaction(db) as s:
        ops.add_participants(s, acting_as(db, world, "coord"), op_id, ops.ParticipantsAdd(organisations=["nobody"]))


def test_an_organisation_that_could_not_read_the_operation_is_not_invited(db: Database, world: World) -> None:
    op_id = _open(db, world, label="nation:KOR", participants=("kor-province",))
    with pytest.raises(Invalid, match="nation:KOR"), transaction(db) as s:
        ops.add_participants(
            s, acting_as(db, world, "coord"), op_id, ops.ParticipantsAdd(organisations=["us-aviation"])
        )
    with transaction(db) as s:
        ops.add_participants(s, acting_as(db, world, "coord"), op_id, ops.ParticipantsAdd(organisations=["kor-army"]))


def test_no_invitation_into_a_closed_operation(db: Database, world: World) -> None:
    op_id = _open(db, world)
    user_token(db, "cmoc-admin", "kor-cmoc", "admin")
    with transaction(db) as s:
        ops.close_operation(s, _as(db, "cmoc-admin"), op_id, ops.StatusChange())
    with pytest.raises(Forbidden, match="closed"), transaction(db) as s:
        ops.add_participants(s, acting_as(db, world, "coord"), op_id, ops.ParticipantsAdd(organisations=["kor-army"]))


def test_an_operation_has_a_korean_name_and_an_area(db: Database, world: World) -> None:
    coord = acting_as(db, world, "coord")
    box = {
        "type": "Polygon",
        "coordinates": [[[126.8, 37.4], [127.2, 37.4], [127.2, 37.7], [126.8, 37.7], [126.8, 37.4]]],
    }
    with transaction(db) as s:
        op = ops.create_operation(s, coord, ops.OperationCreate(name="Seoul", name_ko="서울", hazard="flood", area=box))
    assert op.name_ko == "서울" and op.model_dump(mode="json")["area"] == box
    for bad in ({"type": "Point", "coordinates": [127.0, 37.5]}, {"type": "Polygon", "coordinates": [[[500, 1]]]}):
        with pytest.raises(Invalid, match="area"), transaction(db) as s:
            ops.create_operation(s, coord, ops.OperationCreate(name="x", hazard="flood", area=bad))
