"""Property: over random organisations, nations, labels and operations, RFAs taken through every
state, their taskings and assets, messages with replies, decisions with links and public alerts are
shown to each reader exactly as the label table allows, on every path: REST gets and lists, the
timeline, the live stream, GeoJSON/KML/HXL/CAP exports and TAK pushes. Two-sided (nothing unseen
arrives, everything seeable arrives), and consistent: each RFA's state folded from a reader's live
stream equals what REST answers that reader."""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from katchi.accounts import OrganisationCreate, UserCreate, add_org, add_user, create_token
from katchi.core.access import Role
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from katchi.interop.tak import register_device
from tests.support.api import items, ok
from tests.support.cot import pli
from tests.support.labels import expected_visible as visible
from tests.support.server import LiveServer
from tests.support.sse import open_stream
from tests.support.tak import Client

NATIONS = ["KOR", "USA"]
KINDS = ["military", "civil", "ngo"]
LABEL_KINDS = ["public", "alliance", "nation", "org"]
#: How far each generated RFA is taken (the path to get there is the RFA life cycle).
TARGETS = ["draft", "submitted", "rejected", "validated", "tasked", "declined", "accepted", "completed", "cancelled"]
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "rejected": ["submit", "reject"],
    "validated": ["submit", "validate"],
    "tasked": ["submit", "validate", "task"],
    "declined": ["submit", "validate", "task", "decline"],
    "accepted": ["submit", "validate", "task", "accept"],
    "completed": ["submit", "validate", "task", "accept", "start", "complete"],
    "cancelled": ["submit", "validate", "task", "cancel"],
}
RANK = {"public": 0, "alliance": 1, "nation": 2, "org": 3}


@dataclass(frozen=True)
class OrgSpec:
    nation: str
    kind: str
    participant: bool


@dataclass(frozen=True)
class RfaSpec:
    author: int
    label_kind: str
    target: str
    owner: int  # the organisation whose asset is tasked
    asset_label_kind: str


@dataclass(frozen=True)
class MessageSpec:
    author: int
    label_kind: str
    parent: int | None


orgs_st = st.lists(
    st.builds(OrgSpec, st.sampled_from(NATIONS), st.sampled_from(KINDS), st.booleans()), min_size=2, max_size=4
)
rfas_st = st.lists(
    st.builds(
        RfaSpec,
        st.integers(0, 9),
        st.sampled_from(LABEL_KINDS),
        st.sampled_from(TARGETS),
        st.integers(0, 9),
        st.sampled_from(LABEL_KINDS),
    ),
    min_size=1,
    max_size=5,
)
messages_st = st.lists(
    st.builds(MessageSpec, st.integers(0, 9), st.sampled_from(LABEL_KINDS), st.none() | st.integers(0, 9)),
    max_size=4,
)


def stricter(a: str, b: str) -> str:
    """DESIGN.md §5: a derived record carries the stricter of its sources (the first on a tie)."""
    return b if RANK[b.split(":")[0]] > RANK[a.split(":")[0]] else a


def label_of(kind: str, slug: str, nation: str) -> str:
    return {"public": "public", "alliance": "alliance", "nation": f"nation:{nation}", "org": f"org:{slug}"}[kind]


@dataclass
class Made:
    rfa: str
    label: str
    state: str
    asset: str | None = None
    asset_name: str = ""
    asset_label: str = ""
    tasking: str | None = None
    tasking_label: str = ""


@settings(
    max_examples=int(os.environ.get("KATCHI_PROPERTY_EXAMPLES", "25")) // 2 or 1,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    orgs=orgs_st,
    rfas=rfas_st,
    messages=messages_st,
    op_label_kind=st.sampled_from(["public", "alliance", "nation"]),
)
def test_every_record_on_every_path_shows_exactly_what_labels_allow(
    server: LiveServer,
    db: Database,
    gateway: int,
    orgs: list[OrgSpec],
    rfas: list[RfaSpec],
    messages: list[MessageSpec],
    op_label_kind: str,
) -> None:
    run = uuid.uuid4().hex[:8]
    specs = [OrgSpec(orgs[0].nation, "civil", True), *orgs[1:]]  # the lead: a participant coordinator
    slugs = [f"r{run}-{i}" for i in range(len(specs))]
    op_label = label_of(op_label_kind, slugs[0], specs[0].nation)
    # An operation takes part only organisations that may read it (a nation's: that nation's).
    joins = {
        slug: spec.participant and visible(op_label, (slug, spec.nation, True))
        for slug, spec in zip(slugs, specs, strict=True)
    }
    readers = {slug: (slug, spec.nation, joins[slug]) for slug, spec in zip(slugs, specs, strict=True)}
    tokens: dict[str, str] = {}
    system = Context(None, source="test")
    with transaction(db) as s:
        for slug, spec in zip(slugs, specs, strict=True):
            add_org(s, system, OrganisationCreate(slug=slug, name_en=slug, nation=spec.nation, kind=spec.kind))  # type: ignore[arg-type]
            role = Role.coordinator if slug == slugs[0] else Role.asset_manager
            add_user(s, system, UserCreate(username=f"u-{slug}", org=slug, role=role))
            s.flush()
            tokens[slug] = create_token(s, system, f"u-{slug}")
            register_device(s, system, f"TAK-{slug}", f"u-{slug}")
    clients = {slug: server.client(tokens[slug]) for slug in slugs}
    lead = clients[slugs[0]]
    participants = [slug for slug in slugs if joins[slug]]
    op = ok(
        lead.post(
            "/operations",
            json={"name": run, "hazard": "flood", "participants": participants[1:], "label": op_label},
        ),
        201,
    )
    op_id = op["id"]
    authors = [p for p in participants if visible(op_label, readers[p])]
    devices = {slug: Client(gateway) for slug in slugs}
    for slug, device in devices.items():
        device.send(pli(f"TAK-{slug}", 37.5, 127.0))
    time.sleep(0.3)

    with contextlib.ExitStack() as stack:
        streams = {
            slug: stack.enter_context(open_stream(server.url, tokens[slug], op_id))
            if visible(op_label, readers[slug])
            else None
            for slug in slugs
        }
        made = _play_rfas(clients, readers, authors, slugs[0], op_id, rfas, run)
        posted = _post_messages(clients, readers, authors, op_id, messages)
        alert = ok(
            lead.post(
                f"/operations/{op_id}/incidents",
                json={"kind": "flood", "title": f"alert {run}", "severity": "severe", "label": "public",
                      "location": {"type": "Point", "coordinates": [127.0, 37.5]}},
            ),
            201,
        )  # fmt: skip
        links = [{"type": "rfa", "id": m.rfa} for m in made if visible(m.label, readers[slugs[0]])]
        decision_label = "alliance"
        decision = ok(
            lead.post(
                f"/operations/{op_id}/decisions",
                json={
                    "title": "d",
                    "links": [*links, {"type": "incident", "id": alert["id"]}],
                    "label": decision_label,
                },
            ),
            201,
        )
        sentinel = ok(lead.post(f"/operations/{op_id}/log", json={"text": "end", "label": "public"}), 201)

        for slug in slugs:
            reader, client = readers[slug], clients[slug]
            sees_op = visible(op_label, reader)
            want_rfas = {m.rfa for m in made if sees_op and visible(m.label, reader)}
            want_taskings = {
                m.tasking for m in made if m.rfa in want_rfas and m.tasking and visible(m.tasking_label, reader)
            }
            hidden = {m.rfa for m in made} - want_rfas
            hidden |= {m.tasking for m in made if m.tasking and m.tasking not in want_taskings}
            hidden |= {
                m.asset for m in made if m.asset and not visible(m.asset_label, (slug, reader[1], True))
            }  # fmt: skip
            want_msgs = {mid for mid, label, _ in posted if sees_op and visible(label, reader)}
            hidden |= {mid for mid, _, _ in posted} - want_msgs
            # Assets are platform records: every signed-in user is in the alliance there.
            for m in made:
                if m.asset:
                    code = client.get(f"/assets/{m.asset}").status_code
                    assert code == (200 if visible(m.asset_label, (slug, reader[1], True)) else 404)
            if not sees_op:
                assert client.get(f"/operations/{op_id}/rfas").status_code == 404
                for m in made:
                    assert client.get(f"/rfas/{m.rfa}").status_code == 404
                time.sleep(0.3)
                assert not any(m.rfa.encode() in devices[slug].buf for m in made)
                continue
            # REST: gets and lists, the tasking shown exactly to its readers, the state as played.
            by_id = {r["id"]: r for r in items(client, f"/operations/{op_id}/rfas", limit=2)}
            assert set(by_id) == want_rfas
            for m in made:
                resp = client.get(f"/rfas/{m.rfa}")
                assert resp.status_code == (200 if m.rfa in want_rfas else 404)
                if m.rfa in want_rfas:
                    got = resp.json()
                    assert got["state"] == m.state
                    assert (got["tasking"] or {}).get("id") == (m.tasking if m.tasking in want_taskings else None)
            assert {t["id"] for t in items(client, f"/operations/{op_id}/taskings")} == want_taskings
            msgs = {x["id"]: x for x in items(client, f"/operations/{op_id}/messages")}
            assert set(msgs) == want_msgs
            for mid, _, parent in posted:
                if mid in msgs:
                    assert msgs[mid]["parent_id"] == (parent if parent in want_msgs else None)
            decisions = items(client, f"/operations/{op_id}/decisions")
            if visible(decision_label, reader):
                (d,) = decisions
                assert {link["id"] for link in d["links"]} == {
                    link["id"] for link in links if link["id"] in want_rfas
                } | {alert["id"]}
            # Exports.
            layer = ok(client.get(f"/operations/{op_id}/layers/rfas.geojson"))
            assert {f["id"] for f in layer["features"]} == want_rfas
            kml = client.get(f"/operations/{op_id}/layers/rfas.kml").text
            hxl = client.get(f"/operations/{op_id}/hxl/rfas.csv").text
            hxl_taskings = client.get(f"/operations/{op_id}/hxl/taskings.csv").text
            cap = client.get(f"/operations/{op_id}/cap.atom").text
            for rid in want_rfas:
                assert rid in kml and rid in hxl
            for tid in want_taskings:
                assert tid in hxl_taskings
            assert alert["id"] in cap
            # Timeline and live stream: the same events, none about or naming what is hidden.
            events = items(client, f"/operations/{op_id}/timeline")
            live = streams[slug].until(lambda e: e.data["subject"]["id"] == sentinel["id"])  # type: ignore[union-attr]
            assert [e["seq"] for e in events] == [e.id for e in live]
            assert [e["payload"] for e in events] == [e.data["payload"] for e in live]
            for text in (json.dumps(events), layer, kml, hxl, hxl_taskings, cap):
                dumped = text if isinstance(text, str) else json.dumps(text)
                leaked = [h for h in hidden if h in dumped]
                assert not leaked, (slug, leaked)
            assert all(visible(e["label"], reader) for e in events)
            # Consistency: each RFA's state folded from the stream is what REST says.
            folded: dict[str, str] = {}
            for e in live:
                if e.kind == "tasking.rfa.created":
                    folded[e.data["subject"]["id"]] = e.data["payload"]["state"]
                elif e.kind.startswith("tasking.rfa.") and "to_state" in e.data["payload"]:
                    folded[e.data["subject"]["id"]] = e.data["payload"]["to_state"]
            assert folded == {rid: by_id[rid]["state"] for rid in want_rfas}
            assert decision["id"] in {e.data["subject"]["id"] for e in live} or not visible(decision_label, reader)
            # TAK: the device gets a marker for every RFA its user reads, and for nothing else;
            # the asset is named only where the tasking may be read.
            device = devices[slug]
            for rid in want_rfas:
                assert device.wait_for(f"katchi-rfa-{rid}".encode()), (slug, rid)
            for h in hidden:
                assert h.encode() not in device.buf
            for m in made:
                if m.asset and m.tasking not in want_taskings:
                    assert m.asset_name.encode() not in device.buf, (slug, m.asset_name)
    for device in devices.values():
        device.sock.close()


def _play_rfas(
    clients: dict[str, httpx.Client],
    readers: dict[str, tuple[str, str, bool]],
    authors: list[str],
    lead: str,
    op_id: str,
    rfas: list[RfaSpec],
    run: str,
) -> list[Made]:
    """Create each RFA and take it as far towards its target as the rules allow."""
    out = []
    for i, spec in enumerate(rfas):
        author = authors[spec.author % len(authors)]
        label = label_of(spec.label_kind, author, readers[author][1])
        body = {"title": f"rfa {i}", "capability": "water_purification", "label": label,
                "location": {"type": "Point", "coordinates": [127.0, 37.5]}}  # fmt: skip
        rfa = ok(clients[author].post(f"/operations/{op_id}/rfas", json=body), 201)
        m = Made(rfa["id"], label, "draft")
        owner = authors[spec.owner % len(authors)]
        asset_label = label_of(spec.asset_label_kind, owner, readers[owner][1])
        for action in PATHS[spec.target]:
            actor = {"submit": author, "validate": lead, "reject": lead, "task": lead, "cancel": lead}.get(
                action, owner
            )
            json_body: dict[str, Any] = {}
            if action == "task":
                name = f"unit {run}-{i}"
                asset = ok(
                    clients[owner].post(
                        "/assets",
                        json={"name": name, "capability": "water_purification", "label": asset_label,
                              "location": {"type": "Point", "coordinates": [127.0, 37.5]}},
                    ),
                    201,
                )  # fmt: skip
                m.asset, m.asset_name, m.asset_label = asset["id"], name, asset_label
                json_body = {"asset_id": asset["id"], "justification": "property test"}
            resp = clients[actor].post(f"/rfas/{m.rfa}/actions/{action}", json=json_body)
            if resp.status_code in (403, 404, 422):  # the rules stop it here (who may act, who may read)
                assert action in ("validate", "reject", "task", "cancel") or resp.status_code != 404, resp.text
                break
            assert resp.status_code == 200, resp.text
            after = resp.json()
            m.state = after["state"]
            if action == "task":
                m.tasking = after["tasking"]["id"] if after["tasking"] else _tasking_of(clients[owner], m.rfa)
                m.tasking_label = stricter(asset_label, label)
        out.append(m)
    return out


def _tasking_of(owner: httpx.Client, rfa_id: str) -> str:
    """The owner always reads the tasking of its asset."""
    return ok(owner.get(f"/rfas/{rfa_id}"))["tasking"]["id"]  # type: ignore[no-any-return]


def _post_messages(
    clients: dict[str, httpx.Client],
    readers: dict[str, tuple[str, str, bool]],
    authors: list[str],
    op_id: str,
    messages: list[MessageSpec],
) -> list[tuple[str, str, str | None]]:
    """(id, label, parent id) of each message posted; a reply to a parent its author cannot read is
    refused (404), so it is posted without a parent."""
    out: list[tuple[str, str, str | None]] = []
    for spec in messages:
        author = authors[spec.author % len(authors)]
        label = label_of(spec.label_kind, author, readers[author][1])
        parent = out[spec.parent % len(out)] if spec.parent is not None and out else None
        body: dict[str, Any] = {"text": "m", "label": label}
        if parent is not None and visible(parent[1], readers[author]):
            body["parent_id"] = parent[0]
        m = ok(clients[author].post(f"/operations/{op_id}/messages", json=body), 201)
        out.append((m["id"], label, body.get("parent_id")))
    return out
