"""Schemathesis against the OpenAPI document, every generated request sent once per role: no
answer is a 500. Path ids are pinned to real records (an operation both nations take part in,
its incident, RFA, facility, message, contact, and an asset), so bodies reach the commands instead of
stopping at a 404; the number of examples per operation is bounded to keep the suite fast."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

from katchi.accounts import UserCreate, add_user, create_token
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.settings import Settings
from katchi.web import create_app
from tests.conftest import PG_URL, _pg_reset
from tests.support.api import create_operation, ok, point
from tests.support.server import LiveServer
from tests.support.world import build_world

EXAMPLES = int(os.environ.get("KATCHI_FUZZ_EXAMPLES", "6"))  # more: a deeper search


@dataclass
class Fuzz:
    url: str
    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)


@pytest.fixture(scope="module")
def fuzz(_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    if PG_URL:
        _pg_reset(PG_URL)
        url = PG_URL
    else:
        path = Path(tmp_path_factory.mktemp("fuzz")) / "katchi.db"
        shutil.copy(_template, path)
        url = f"sqlite:///{path}"
    db = Database(url)
    world = build_world(db)
    tokens = {}
    with transaction(db) as s:
        for role in Role:
            add_user(
                s, Context(None, source="test"), UserCreate(username=f"fuzz-{role.value}", org="kor-cmoc", role=role)
            )
            s.flush()
            tokens[role.value] = create_token(s, Context(None, source="test"), f"fuzz-{role.value}")
    tokens["us-coordinator"] = world.tokens["uscoord"]
    with LiveServer.start(url) as server:
        coord = server.client(world.tokens["coord"])
        op = create_operation(coord, ["kor-army", "us-aviation", "us-liaison", "kor-province"])
        where = {"location": point()}
        incident = ok(
            coord.post(
                f"/operations/{op['id']}/incidents", json={"kind": "fire", "title": "t", "severity": "minor"} | where
            ),
            201,
        )
        rfa = ok(
            coord.post(f"/operations/{op['id']}/rfas", json={"title": "w", "capability": "water_trucking"} | where), 201
        )
        facility = ok(
            coord.post(f"/operations/{op['id']}/facilities", json={"kind": "shelter", "name": "s"} | where), 201
        )
        message = ok(coord.post(f"/operations/{op['id']}/messages", json={"text": "hello"}), 201)
        contact = ok(
            coord.post(
                f"/operations/{op['id']}/contacts", json={"name": "LNO", "organisation": "kor-army", "phone": "010"}
            ),
            201,
        )
        asset = ok(
            server.client(world.tokens["roka"]).post(
                "/assets", json={"name": "KUH-1", "capability": "medium_helicopter"} | where
            ),
            201,
        )
        ids = {
            "op_id": op["id"],
            "incident_id": incident["id"],
            "rfa_id": rfa["id"],
            "facility_id": facility["id"],
            "message_id": message["id"],
            "contact_id": contact["id"],
            "asset_id": asset["id"],
        }
        yield Fuzz(server.url, tokens, ids)
    db.dispose()


SPEC = create_app(Settings(database_url="sqlite://")).openapi()
OPERATIONS = [
    (path, method.upper())
    for path, methods in SPEC["paths"].items()
    for method in methods
    if method in ("get", "post", "put", "patch", "delete") and not path.endswith("/stream")  # a stream never ends
]


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_no_request_answers_500_for_any_role(fuzz: Fuzz, path: str, method: str) -> None:
    operation = schemathesis.openapi.from_dict(SPEC)[path][method]
    failures: list[tuple[str, str, str, int, str, str]] = []

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case: schemathesis.Case) -> None:
        for name in list(case.path_parameters or {}):
            if name in fuzz.ids and hash(str(case.body)) % 4:  # mostly real records, sometimes made-up ids
                case.path_parameters[name] = fuzz.ids[name]
        with requests.Session() as session:
            for role, token in fuzz.tokens.items():
                answer = case.call(base_url=fuzz.url, session=session, headers={"Authorization": f"Bearer {token}"})
                if answer.status_code >= 500:
                    failures.append(
                        (
                            role,
                            case.method,
                            case.formatted_path,
                            answer.status_code,
                            repr(case.body)[:300],
                            answer.text[:300],
                        )
                    )

    run()
    assert failures == [], failures[:3]
