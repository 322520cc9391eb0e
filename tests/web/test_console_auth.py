"""Console sign-in without a browser: sessions end on sign-out, CSRF is required with cookies,
pages answer in both languages, and every template is rendered here or in the browser tests."""

from __future__ import annotations

import re
from importlib import resources

import httpx

from katchi.accounts import set_password
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import point
from tests.support.browser import PASSWORD
from tests.support.server import LiveServer
from tests.support.world import World


def _passwords(db: Database, *users: str) -> None:
    with transaction(db) as s:
        for u in users:
            set_password(s, Context(None, source="test"), u, PASSWORD)


def _login(
    server: LiveServer, username: str, password: str = PASSWORD, lang: str = "en"
) -> tuple[httpx.Client, httpx.Response]:
    client = httpx.Client(base_url=server.url, follow_redirects=False, timeout=10)
    form = client.get(f"/login?lang={lang}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf, form.text
    resp = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": csrf.group(1), "next": "/"}
    )
    return client, resp


def test_sign_in_out_and_csrf(db: Database, world: World, server: LiveServer) -> None:
    _passwords(db, "coord")
    client, bad = _login(server, "coord", "wrong password")
    assert bad.status_code == 401 and "Wrong username or password." in bad.text and 'value="coord"' in bad.text
    client, ok = _login(server, "coord")
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    cookie = ok.headers["set-cookie"]
    assert "katchi_session=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
    home = client.get("/")
    assert home.status_code == 200 and "Operations" in home.text
    # The API accepts the cookie for reads, but a state change needs the CSRF token.
    assert client.get("/api/v1/operations").status_code == 200
    body = {"name": "x", "hazard": "flood"}
    assert client.post("/api/v1/operations", json=body).status_code == 403
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert csrf
    made = client.post("/api/v1/operations", json=body, headers={"X-CSRF-Token": csrf.group(1)})
    assert made.status_code == 201, made.text
    # Signing out ends the session for every copy of the cookie.
    stolen = httpx.Client(base_url=server.url, cookies=dict(client.cookies), timeout=10)
    assert client.post("/logout", data={"csrf_token": "wrong"}).status_code == 403
    out = client.post("/logout", data={"csrf_token": csrf.group(1)})
    assert out.status_code == 303 and out.headers["location"] == "/login"
    assert stolen.get("/api/v1/operations").status_code == 401
    assert stolen.get("/", follow_redirects=False).status_code == 303


def test_login_form_needs_its_csrf_cookie(db: Database, world: World, server: LiveServer) -> None:
    _passwords(db, "coord")
    client = httpx.Client(base_url=server.url, timeout=10)
    resp = client.post("/login?lang=en", data={"username": "coord", "password": PASSWORD, "csrf_token": "forged"})
    assert (
        resp.status_code == 401
        and "expired" in resp.text
        and "katchi_session" not in resp.headers.get("set-cookie", "")
    )


def test_next_never_leaves_the_site(db: Database, world: World, server: LiveServer) -> None:
    _passwords(db, "coord")
    client = httpx.Client(base_url=server.url, follow_redirects=False, timeout=10)
    form = client.get("/login?next=//evil.example/x")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert csrf and 'name="next" value="/"' in form.text
    resp = client.post(
        "/login", data={"username": "coord", "password": PASSWORD, "csrf_token": csrf.group(1), "next": "//evil"}
    )
    assert resp.headers["location"] == "/"


def test_pages_in_both_languages_and_the_error_page(db: Database, world: World, server: LiveServer) -> None:
    _passwords(db, "coord", "uscoord")
    client, _ = _login(server, "coord")
    ko = client.get("/?lang=ko")
    assert '<html lang="ko">' in ko.text and "작전" in ko.text and "로그아웃" in ko.text
    assert "katchi_lang=ko" in ko.headers.get("set-cookie", "")
    assert '<html lang="ko">' in client.get("/").text  # remembered
    en = client.get("/?lang=en")
    assert "Sign out" in en.text
    token = world.tokens["uscoord"]
    op = httpx.post(
        f"{server.url}/api/v1/operations",
        json={"name": "US only", "hazard": "flood", "label": "nation:USA"},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    hidden = client.get(f"/operations/{op['id']}")
    assert hidden.status_code == 404 and "US only" not in hidden.text
    assert client.get("/operations/nope").status_code == 404
    inc = httpx.post(
        f"{server.url}/api/v1/operations/{op['id']}/incidents",
        json={"kind": "fire", "title": "secret", "severity": "minor", "location": point()},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert inc.status_code == 201
    assert client.get("/api/v1/operations/" + op["id"] + "/incidents").status_code == 404


def test_every_template_is_rendered_by_a_test() -> None:
    """The templates this file and the browser tests render; a new template must join."""
    rendered = {"base.html", "login.html", "operations.html", "error.html", "cop.html", "macros.html", "approvals.html"}
    rendered |= {"plans.html", "plan.html", "plan_form.html"}  # tests/web/test_plans_browser.py
    rendered |= {"lessons.html", "lesson.html"}  # tests/web/test_lessons_browser.py
    rendered |= {"lessons_report.html"}  # tests/web/test_lessons_report.py
    rendered |= {"search.html"}  # tests/web/test_search_page.py
    rendered |= {"sitrep.html"}  # tests/web/test_sitreps.py, test_situation_browser.py
    rendered |= {"operation_new.html", "operation_admin.html", "admin_users.html", "admin_devices.html"}
    # ^ tests/web/test_admin_browser.py
    rendered |= {"notifications.html"}  # tests/web/test_notifications_browser.py
    shipped = {
        p.name for p in resources.files("katchi.web").joinpath("templates").iterdir() if p.name.endswith(".html")
    }
    assert shipped == rendered


def test_catalogues_translate_every_message() -> None:
    from babel.messages.pofile import read_po

    for lang in ("ko",):
        with resources.files("katchi.web").joinpath(f"locale/{lang}/LC_MESSAGES/messages.po").open("rb") as f:
            catalog = read_po(f, locale=lang)
        missing = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
        assert not missing, missing
    with resources.files("katchi.web").joinpath("locale/messages.pot").open("rb") as f:
        template = {m.id for m in read_po(f) if m.id}
    with resources.files("katchi.web").joinpath("locale/ko/LC_MESSAGES/messages.po").open("rb") as f:
        assert template <= {m.id for m in read_po(f, locale="ko") if m.id}, "run scripts/update_translations.py"


def test_the_cop_page_starts_its_stream_after_what_its_reader_may_read(
    db: Database, world: World, server: LiveServer
) -> None:
    """The page's starting cursor is the last event of this operation the reader may read, never the
    platform's log head (which would tell how much happens elsewhere, or in records it cannot see)."""
    import json

    from tests.support.api import create_operation, ok

    _passwords(db, "province")
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province", "us-liaison"])
    seen = ok(coord.post(f"/operations/{op['id']}/log", json={"text": "for everyone"}), 201)
    us = server.client(world.tokens["uscoord"])
    ok(us.post(f"/operations/{op['id']}/log", json={"text": "US only", "label": "nation:USA"}), 201)
    other = create_operation(us, [])
    for i in range(3):
        ok(us.post(f"/operations/{other['id']}/log", json={"text": f"elsewhere {i}"}), 201)
    timeline = ok(coord.get(f"/operations/{op['id']}/timeline"))["items"]
    last_seen = max(e["seq"] for e in timeline if e["subject"]["id"] == seen["id"])
    client, _ = _login(server, "province")
    page = client.get(f"/operations/{op['id']}")
    config = json.loads(re.search(r'id="katchi-config">(.*?)</script>', page.text, re.S).group(1))  # type: ignore[union-attr]
    assert config["after"] == last_seen
