"""The Contacts tab of an operation in a real browser: the directory as the reader may read it (a
phone is a tel: link), the add form for contributors offering only what the command accepts, a
contact listed elsewhere arriving live, and no form for viewers."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, expect

from katchi.accounts import set_password
from katchi.core.context import Context
from katchi.db import Database
from katchi.eventlog import transaction
from tests.support.api import create_operation, ok
from tests.support.browser import PASSWORD, open_cop, sign_in
from tests.support.server import LiveServer
from tests.support.world import World


def _client(server: LiveServer, token: str) -> httpx.Client:
    return httpx.Client(base_url=server.url + "/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=10)


@pytest.fixture
def setup(db: Database, world: World, server: LiveServer) -> dict[str, Any]:
    with transaction(db) as s:
        for u in ("province", "viewer"):
            set_password(s, Context(None, source="test"), u, PASSWORD)
    coord, usav = _client(server, world.tokens["coord"]), _client(server, world.tokens["usav"])
    op = create_operation(coord, ["kor-province", "kor-army", "us-aviation"])
    army = {"name": "Col. Park", "role": "LNO to 2ID", "organisation": "kor-army", "phone": "+82 10-1234-5678",
            "radio_call_sign": "HANGANG 6", "languages": ["ko", "en"]}  # fmt: skip
    ok(coord.post(f"/operations/{op['id']}/contacts", json=army), 201)
    secret = {"name": "CPT Secret", "organisation": "us-aviation", "phone": "555 0100", "label": "nation:USA"}
    ok(usav.post(f"/operations/{op['id']}/contacts", json=secret), 201)
    return {"coord": coord, "op": op, "url": server.url}


def test_a_contributor_reads_and_adds_to_the_directory(browser: Browser, setup: dict[str, Any]) -> None:
    op = setup["op"]["id"]
    page = sign_in(browser, setup["url"], "province", lang="ko")
    open_cop(page, setup["url"], op)
    page.get_by_role("tab", name="연락처").click()
    panel = page.get_by_test_id("contacts")
    expect(panel).to_contain_text("Col. Park")
    expect(panel.get_by_role("link", name="+82 10-1234-5678")).to_have_attribute("href", "tel:+821012345678")
    expect(panel).to_contain_text("HANGANG 6")
    expect(panel).not_to_contain_text("CPT Secret")
    # The province may list its own officers only, and removes none of the army's.
    expect(panel.locator("#contact-org option")).to_have_count(1)
    expect(panel.locator("button[data-contact]")).to_have_count(0)
    panel.locator("#contact-name").fill("김민준")
    panel.locator("#contact-role").fill("도 재난안전대책본부 연락관")
    panel.locator("#contact-phone").fill("031-120")
    panel.locator("#contact-languages").fill("ko, en")
    panel.get_by_role("button", name="연락처 추가").click()
    expect(panel).to_contain_text("김민준")
    expect(panel.locator("button[data-contact]")).to_have_count(1)  # its own, it may remove
    # A bad language code is refused where it was typed.
    panel.locator("#contact-name").fill("Lee")
    panel.locator("#contact-phone").fill("010")
    panel.locator("#contact-languages").fill("xx")
    panel.get_by_role("button", name="연락처 추가").click()
    expect(panel.locator("[data-error-for=languages]")).not_to_be_empty()
    # A contact the coordinator lists arrives live.
    ok(
        setup["coord"].post(
            f"/operations/{op}/contacts",
            json={"name": "Ms. Choi", "organisation": "kor-cmoc", "email": "choi@example.org"},
        ),
        201,
    )
    expect(panel).to_contain_text("Ms. Choi")
    assert not page.errors  # type: ignore[attr-defined]


def test_a_viewer_reads_the_directory_without_a_form(browser: Browser, setup: dict[str, Any]) -> None:
    page = sign_in(browser, setup["url"], "viewer")
    open_cop(page, setup["url"], setup["op"]["id"])
    page.get_by_role("tab", name="Contacts").click()
    panel = page.get_by_test_id("contacts")
    expect(panel).to_contain_text("Col. Park")
    expect(panel.locator("form")).to_have_count(0)
    expect(panel.locator("button[data-contact]")).to_have_count(0)
