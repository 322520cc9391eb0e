"""The records an observation is drawn from (ops log entries, decisions, incidents, evaluators'
observations) and the evidence that verifies a lesson: each resolved through the access rule of
its operation, for its author when cited and for each reader when shown."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from katchi.accounts import Organisation
from katchi.cop import Incident
from katchi.core import Invalid, NotFound, parse_label
from katchi.core.access import Principal
from katchi.exercises import ExerciseObservation, exercise_objectives
from katchi.operations import Decision, OperationParticipant, OpsLogEntry, scoped_get
from katchi.tasking import Rfa

MODELS: dict[str, Any] = {
    "log": OpsLogEntry,
    "decision": Decision,
    "incident": Incident,
    "exercise_observation": ExerciseObservation,
    "rfa": Rfa,
}


def resolve(session: Session, principal: Principal, kind: str, record_id: str, field: str) -> dict[str, Any]:
    """``{type, id, label, operation_id, location}`` of a record ``principal`` may read (``location``:
    its GeoJSON, or None); an unknown and an unreadable record get the same answer."""
    try:
        rec, view = scoped_get(session, MODELS[kind], principal, record_id, kind)
    except NotFound:
        raise Invalid(
            f"{field}: no {kind.replace('_', ' ')} {record_id} you may read",
            errors=[{"loc": [field], "msg": "unknown record", "input": record_id}],
        ) from None
    location = getattr(rec, "location", None)
    return {"type": kind, "id": rec.id, "label": rec.label, "operation_id": view.id, "location": location}


def readable(session: Session, principal: Principal | None, source: dict[str, str]) -> bool:
    """Whether ``principal`` may read a cited record (by its operation's rule and its label)."""
    if source["type"] not in MODELS:
        return False
    try:
        scoped_get(session, MODELS[source["type"]], principal, source["id"], source["type"])
    except NotFound:
        return False
    return True


def operation_record(session: Session, principal: Principal, record_id: str) -> dict[str, Any]:
    """Any record of an operation by its id (ids are unique across tables); an unknown and an
    unreadable record get the same answer, whatever their kind."""
    for kind in ("log", "decision", "incident", "rfa"):
        if session.get(MODELS[kind], record_id) is not None:
            try:
                return resolve(session, principal, kind, record_id, "evidence.id")
            except Invalid:
                break
    raise Invalid(
        f"evidence.id: no record {record_id} you may read",
        errors=[{"loc": ["evidence", "id"], "msg": "unknown record", "input": record_id}],
    )


def exercise_objective(session: Session, principal: Principal, ref: str) -> dict[str, str]:
    """``<operation id>/<objective id>`` of an exercise ``principal`` takes part in."""
    op_id, _, objective = ref.partition("/")
    try:
        known = {o["id"]: o for o in exercise_objectives(session, principal, op_id)} if op_id else {}
    except NotFound:
        known = {}
    if objective not in known:
        raise Invalid(
            f"evidence.id: no objective {ref!r} of an exercise you may read (use <operation id>/<objective id>)",
            errors=[{"loc": ["evidence", "id"], "msg": "unknown objective", "input": ref}],
        )
    return {"type": "exercise_objective", "id": ref, "operation_id": op_id}


def _audience(session: Session, label: str, *, operation_id: str | None) -> set[str] | None:
    """The organisations (slugs) that may read ``label``: of a record of ``operation_id`` (its
    ``alliance`` and ``nation:`` are that operation's participants), or of a platform record
    (``operation_id`` None: every registered organisation). None: everyone, anonymous too."""
    parsed = parse_label(label)
    if parsed.kind == "public":
        return None
    if parsed.kind == "org":
        return {parsed.value or ""}
    stmt = select(Organisation.slug, Organisation.nation)
    if operation_id is not None:
        stmt = stmt.join(OperationParticipant, OperationParticipant.org_id == Organisation.id).where(
            OperationParticipant.operation_id == operation_id
        )
    return {slug for slug, nation in session.execute(stmt) if parsed.kind == "alliance" or nation == parsed.value}


def fits(session: Session, label: str, source: dict[str, Any]) -> bool:
    """Whether a lesson (a platform record) labelled ``label`` reaches no one its source does not:
    an operation's ``alliance`` is its participants, a lesson's is every organisation."""
    theirs = _audience(session, source["label"], operation_id=source["operation_id"])
    if theirs is None:
        return True
    ours = _audience(session, label, operation_id=None)
    return ours is not None and ours <= theirs


#: What a person reads of a cited record: its words.
_TEXT = {"log": "text", "decision": "title", "incident": "title", "exercise_observation": "text"}


def describe(session: Session, principal: Principal | None, kind: str, record_id: str) -> dict[str, str] | None:
    """``{type, id, text, operation_id, operation}`` of a record ``principal`` may read, for the
    console to say what an observation is drawn from; None when unknown or unreadable (alike)."""
    if kind not in _TEXT:
        return None
    try:
        rec, view = scoped_get(session, MODELS[kind], principal, record_id, kind)
    except NotFound:
        return None
    text = str(getattr(rec, _TEXT[kind]) or "")
    return {"type": kind, "id": rec.id, "text": text, "operation_id": view.id, "operation": view.op.name}
