"""The console's search page: a signed-in user searches in either language and gets the records
they may read, marked where they match, linked to where they live; script is not needed."""

from __future__ import annotations

from katchi.db import Database
from tests.support.api import create_operation, ok
from tests.support.server import LiveServer
from tests.support.world import World
from tests.web.test_console_auth import _login, _passwords


def test_the_search_page_finds_marks_and_links_only_what_the_user_may_read(
    server: LiveServer, world: World, db: Database
) -> None:
    coord_api, us_api = server.client(world.tokens["coord"]), server.client(world.tokens["uscoord"])
    op = create_operation(coord_api, ["us-liaison"])["id"]
    shared = ok(coord_api.post(f"/operations/{op}/log", json={"text": "수원 체육관 대피소를 <b>개설</b>함"}), 201)["id"]
    secret = ok(us_api.post(f"/operations/{op}/log", json={"text": "US 대피소 note", "label": "nation:USA"}), 201)["id"]
    _passwords(db, "coord")
    coord, _ = _login(server, "coord")

    page = coord.get("/search", params={"q": "대피소에서", "lang": "ko"})
    assert page.status_code == 200
    assert f'data-id="{shared}"' in page.text and secret not in page.text
    assert f'href="/operations/{op}"' in page.text
    assert "<mark>대피소</mark>" in page.text
    assert "&lt;b&gt;개설&lt;/b&gt;" in page.text  # record text is escaped, never markup
    assert "검색" in page.text  # the page speaks Korean when asked
    assert 'href="?q=%EB%8C%80%ED%94%BC%EC%86%8C%EC%97%90%EC%84%9C&amp;lang=en"' in page.text  # keeps the search

    english = coord.get("/search", params={"q": "the of", "lang": "en"})
    assert english.status_code == 200 and "Nothing to search for" in english.text
    none = coord.get("/search", params={"q": "unicorns", "type": "lesson"})
    assert 'data-testid="no-results"' in none.text
    assert server_redirects_to_login(server)


def server_redirects_to_login(server: LiveServer) -> bool:
    import httpx

    with httpx.Client(base_url=server.url, follow_redirects=False) as anonymous:
        resp = anonymous.get("/search", params={"q": "대피소"})
    return resp.status_code in (302, 303) and "/login" in resp.headers["location"]
