"""What answers without credentials: the OpenAPI document, the API docs page, ``/healthz`` (status
only), the sign-in page and static files. Every API operation answers 401 and every console page
sends the visitor to sign in. The Atom feed's links come from configuration, never the Host header."""

from __future__ import annotations

import re

import httpx
from lxml import etree

from katchi.db import Database
from tests.support.api import create_operation
from tests.support.server import LiveServer
from tests.support.world import World

ANY_ID = "01JD00000000000000000000ZZ"
ATOM = "{http://www.w3.org/2005/Atom}"


def test_nothing_but_the_public_pages_answers_without_credentials(world: World, server: LiveServer) -> None:
    anon = httpx.Client(base_url=server.url, timeout=10, follow_redirects=False)
    spec = anon.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    paths = spec.json()["paths"]
    assert len(paths) > 30
    checked = 0
    for path, operations in paths.items():
        url = re.sub(r"\{[^}]+\}", ANY_ID, path)
        for method in operations:
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            answer = anon.request(method.upper(), url, json={})
            assert answer.status_code == 401, (method, path, answer.status_code, answer.text[:200])
            checked += 1
    assert checked > 40
    for page in ("/", f"/operations/{ANY_ID}", "/approvals"):
        answer = anon.get(page)
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login?next="), page
    assert anon.post("/logout").status_code == 303  # signing out with no session changes nothing
    for public in ("/login", "/static/css/katchi.css", "/static/js/cop.js", "/api/v1/docs"):
        assert anon.get(public).status_code == 200, public
    assert anon.get("/healthz").json() == {"status": "ok"}


def _links(feed: bytes) -> list[str]:
    root = etree.fromstring(feed)
    return [link.get("href") for link in root.iter(f"{ATOM}link")] + [root.findtext(f"{ATOM}id")]


def test_the_atom_feed_ignores_the_host_header(db: Database, world: World) -> None:
    alert = {"kind": "fire", "title": "Market fire", "severity": "severe", "label": "public"}
    with LiveServer.start(str(db.url)) as server:
        coord = server.client(world.tokens["coord"])
        op = create_operation(coord, ["kor-army"])
        made = coord.post(f"/operations/{op['id']}/incidents", json=alert | {"location": _point()})
        assert made.status_code == 201, made.text
        feed = coord.get(f"/operations/{op['id']}/cap.atom", headers={"Host": "evil.example"})
        assert (feed.status_code == 200 and b"<entry>" in feed.content) or b"entry" in feed.content
        links = _links(feed.content)
        assert all("evil.example" not in link for link in links), links
        assert f"/api/v1/operations/{op['id']}/cap.atom" in links
    with LiveServer.start(str(db.url), public_url="https://cmoc.example.kr/") as server:
        coord = server.client(world.tokens["coord"])
        feed = coord.get(f"/operations/{op['id']}/cap.atom", headers={"Host": "evil.example"})
        links = _links(feed.content)
        assert f"https://cmoc.example.kr/api/v1/operations/{op['id']}/cap.atom" in links
        assert all(link.startswith(("https://cmoc.example.kr/", "urn:katchi:")) for link in links), links


def _point() -> dict[str, object]:
    return {"type": "Point", "coordinates": [126.978, 37.566]}
