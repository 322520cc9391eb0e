"""Security headers: HTML pages (the API docs included) carry a CSP with no inline script and no
outside origin, may not be framed, send no referrer elsewhere; API answers, errors included, are
never cached. The docs page works under that policy in a real browser."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import sync_playwright

from tests.support.browser import launch
from tests.support.server import LiveServer
from tests.support.world import World


def _html_headers_ok(resp: httpx.Response) -> None:
    csp = resp.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and not re.search(r"https?://", csp)
    assert resp.headers["x-frame-options"] == "DENY"
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert resp.headers["referrer-policy"] == "same-origin"


def test_every_html_page_and_api_answer_carries_its_headers(server: LiveServer, world: World) -> None:
    with httpx.Client(base_url=server.url) as web:
        for path in ("/login", "/api/v1/docs"):
            page = web.get(path)
            assert page.status_code == 200
            _html_headers_ok(page)
            # Console pages show records and searches: not kept by the browser of a shared machine.
            assert page.headers["cache-control"] == "no-store", path
            assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page.text), path
        assert web.get("/static/js/swagger-init.js").headers["x-content-type-options"] == "nosniff"
    api = server.client(world.tokens["coord"])
    for resp in (api.get("/operations"), api.get("/operations/nope"), server.client("bad").get("/operations")):
        assert resp.headers["cache-control"] == "no-store", (resp.status_code, resp.headers)
        assert resp.headers["x-content-type-options"] == "nosniff"


def test_the_api_docs_render_under_the_policy(server: LiveServer) -> None:
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page()
        violations: list[str] = []
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{server.url}/api/v1/docs")
        page.get_by_text("/api/v1/operations").first.wait_for(timeout=15_000)
        browser.close()
    assert violations == []
