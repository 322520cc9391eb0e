"""Property: over random organisations, users, labels and records, every read path (REST lists, gets,
bbox queries, timeline, live SSE stream) shows each user exactly what the label table allows —
nobody sees what they may not, and everybody sees what they may."""

from __future__ import annotations

import itertools
import os
import uuid
from dataclasses import dataclass

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from katchi.accounts import OrganisationCreate, UserCreate, add_org, add_user, create_token
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import items, ok
from tests.support.labels import expected_visible
from tests.support.server import LiveServer
from tests.support.sse import open_stream

NATIONS = ["KOR", "USA", "JPN"]
KINDS = ["military", "civil", "ngo", "io"]


@dataclass(frozen=True)
class OrgSpec:
    nation: str
    kind: str
    participant: bool


@dataclass(frozen=True)
class RecordSpec:
    author: int  # index into the participant organisations
    label_kind: str  # public | alliance | nation | org
    lon: float
    lat: float


orgs_st = st.lists(
    st.builds(OrgSpec, st.sampled_from(NATIONS), st.sampled_from(KINDS), st.booleans()), min_size=2, max_size=5
)
records_st = st.lists(
    st.builds(
        RecordSpec,
        st.integers(0, 10),
        st.sampled_from(["public", "alliance", "nation", "org"]),
        st.floats(124.0, 131.0),
        st.floats(33.0, 39.0),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=int(os.environ.get("KATCHI_PROPERTY_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(orgs=orgs_st, records=records_st, op_label_kind=st.sampled_from(["public", "alliance", "nation"]))
def test_every_read_path_shows_exactly_what_labels_allow(
    server: LiveServer, db: Database, orgs: list[OrgSpec], records: list[RecordSpec], op_label_kind: str
) -> None:
    run = uuid.uuid4().hex[:8]
    # The creator is always a participant coordinator; other orgs participate or not.
    specs = [OrgSpec(orgs[0].nation, "civil", True), *orgs[1:]]
    slugs = [f"p{run}-{i}" for i in range(len(specs))]
    tokens: dict[str, str] = {}
    ctx = Context(None, source="test")
    with transaction(db) as s:
        for slug, spec in zip(slugs, specs, strict=True):
            add_org(s, ctx, OrganisationCreate(slug=slug, name_en=slug, nation=spec.nation, kind=spec.kind))  # type: ignore[arg-type]
            role = Role.coordinator if slug == slugs[0] else Role.contributor
            add_user(s, ctx, UserCreate(username=f"u-{slug}", org=slug, role=role))
            tokens[slug] = create_token(s, ctx, f"u-{slug}")
    clients = {slug: server.client(tokens[slug]) for slug in slugs}
    op_label = {"public": "public", "alliance": "alliance", "nation": f"nation:{specs[0].nation}"}[op_label_kind]
    # An operation under nation:X takes part only organisations of X (others could not read it).
    joins = {
        slug: spec.participant and (op_label_kind != "nation" or spec.nation == specs[0].nation)
        for slug, spec in zip(slugs, specs, strict=True)
    }
    participants = [slug for slug in slugs if joins[slug]]
    readers = {slug: (slug, spec.nation, joins[slug]) for slug, spec in zip(slugs, specs, strict=True)}
    op = ok(
        clients[slugs[0]].post(
            "/operations",
            json={"name": run, "hazard": "earthquake", "participants": participants[1:], "label": op_label},
        ),
        201,
    )
    op_id = op["id"]
    authors = [p for p in participants if expected_visible(op_label, readers[p])]

    with _streams(server, tokens, op_id, slugs) as streams:
        created: list[tuple[str, str, str]] = []  # (incident id, log id, label)
        for rec in records:
            author = authors[rec.author % len(authors)]
            nation = readers[author][1]
            label = {"public": "public", "alliance": "alliance", "nation": f"nation:{nation}", "org": f"org:{author}"}[
                rec.label_kind
            ]
            inc = ok(
                clients[author].post(
                    f"/operations/{op_id}/incidents",
                    json={
                        "kind": "collapse",
                        "title": "t",
                        "severity": "severe",
                        "label": label,
                        "location": {"type": "Point", "coordinates": [rec.lon, rec.lat]},
                    },
                ),
                201,
            )
            log = ok(clients[author].post(f"/operations/{op_id}/log", json={"text": "x", "label": label}), 201)
            created.append((inc["id"], log["id"], label))
        sentinel = ok(clients[slugs[0]].post(f"/operations/{op_id}/log", json={"text": "end", "label": "public"}), 201)

        for slug in slugs:
            reader = readers[slug]
            client = clients[slug]
            sees_op = expected_visible(op_label, reader)
            want_inc = {i for i, _, lab in created if sees_op and expected_visible(lab, reader)}
            want_log = {g for _, g, lab in created if sees_op and expected_visible(lab, reader)}
            if not sees_op:
                assert client.get(f"/operations/{op_id}").status_code == 404
                assert client.get(f"/operations/{op_id}/incidents").status_code == 404
                assert client.get(f"/operations/{op_id}/timeline").status_code == 404
                assert op_id not in {o["id"] for o in items(client, "/operations")}
                assert streams[slug] is None
                for inc_id, _, _ in created:
                    assert client.get(f"/incidents/{inc_id}").status_code == 404
                continue
            assert op_id in {o["id"] for o in items(client, "/operations")}
            # REST lists (paged small to exercise cursors)
            assert {i["id"] for i in items(client, f"/operations/{op_id}/incidents", limit=3)} == want_inc
            assert {g["id"] for g in items(client, f"/operations/{op_id}/log", limit=3)} - {sentinel["id"]} == want_log
            # single gets: 200 for visible, 404 for invisible
            for inc_id, _, _ in created:
                code = client.get(f"/incidents/{inc_id}").status_code
                assert code == (200 if inc_id in want_inc else 404)
            # bbox: the whole area, and the western half
            assert {i["id"] for i in items(client, f"/operations/{op_id}/incidents", bbox="124,33,131,39")} == want_inc
            west = {
                inc_id
                for (inc_id, _, _), rec in zip(created, records, strict=True)
                if inc_id in want_inc and rec.lon <= 127.5
            }
            assert {i["id"] for i in items(client, f"/operations/{op_id}/incidents", bbox="124,33,127.5,39")} == west
            # timeline: the events about visible records, and nothing else
            events = items(client, f"/operations/{op_id}/timeline")
            subjects = {e["subject"]["id"] for e in events if e["kind"] != "operations.operation.created"}
            assert subjects == want_inc | want_log | {sentinel["id"]}
            assert all(expected_visible(e["label"], reader) for e in events)
            # live stream, opened before anything was posted: the same events, in log order
            got = streams[slug].until(lambda e: e.data["subject"]["id"] == sentinel["id"])  # type: ignore[union-attr]
            live_subjects = {e.data["subject"]["id"] for e in got if e.kind != "operations.operation.created"}
            assert live_subjects == subjects
            assert [e.id for e in got] == sorted({e.id for e in got})


class _streams:
    """Open one live stream per reader that can see the operation (None for those who cannot)."""

    def __init__(self, server: LiveServer, tokens: dict[str, str], op_id: str, slugs: list[str]) -> None:
        self.args = (server, tokens, op_id, slugs)
        self.stack = __import__("contextlib").ExitStack()

    def __enter__(self) -> dict[str, object]:
        server, tokens, op_id, slugs = self.args
        out: dict[str, object] = {}
        for slug in slugs:
            probe = httpx.get(
                f"{server.url}/api/v1/operations/{op_id}", headers={"Authorization": f"Bearer {tokens[slug]}"}
            )
            out[slug] = (
                self.stack.enter_context(open_stream(server.url, tokens[slug], op_id))
                if probe.status_code == 200
                else None
            )
        return out

    def __exit__(self, *exc: object) -> None:
        self.stack.close()


_ = itertools
