"""The console's lessons pillar without a browser: the observation form takes the records it is
drawn from (``type:id``), shows them, and posts them to the same command as the API, whose
refusals it shows with what was typed kept; the COP lists the lessons that concern the operation;
the glossary's index for the hover."""

from __future__ import annotations

import re

import httpx

from katchi.db import Database
from katchi.lessons import glossary_index
from tests.support.api import create_operation, ok
from tests.support.server import LiveServer
from tests.support.world import World, user_token
from tests.web.test_console_auth import _login, _passwords


def _csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def _checked_sources(page: httpx.Response) -> list[str]:
    return re.findall(r'<input type="checkbox" name="source" value="([^"]+)" checked', page.text)


def test_an_observation_is_drawn_from_records_marked_in_the_console(
    server: LiveServer, world: World, db: Database
) -> None:
    _passwords(db, "redcross")
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province", "kor-redcross"])["id"]
    entries = [ok(coord.post(f"/operations/{op}/log", json={"text": f"Shelter list {i} sent by fax"}), 201)["id"]
               for i in range(2)]  # fmt: skip
    decision = ok(coord.post(f"/operations/{op}/decisions", json={"title": "Share shelter lists by HXL"}), 201)["id"]
    krc, _ = _login(server, "redcross")

    # The link from the COP's marked records prefills the form with them, their texts shown.
    page = krc.get("/lessons", params={"observe": f"log:{entries[0]},log:{entries[1]}", "lang": "en"})
    assert page.status_code == 200
    assert _checked_sources(page) == [f"log:{entries[0]}", f"log:{entries[1]}"]
    assert "Shelter list 0 sent by fax" in page.text and "Shelter list 1 sent by fax" in page.text
    # A link's unknown kind of record is left out, said so without repeating the link's words.
    odd = krc.get("/lessons", params={"observe": f"call-0800:x,log:{entries[0]}", "lang": "en"})
    assert odd.status_code == 200 and _checked_sources(odd) == [f"log:{entries[0]}"]
    assert "were not understood" in odd.text and "call-0800" not in odd.text

    form: dict[str, str | list[str]] = {
        "csrf_token": _csrf(page),
        "title_en": "Shelter lists reached USFK 9 hours late",
        "observation_en": "Lists went by fax.",
        "hazard": "earthquake",
        "label": "alliance",
    }
    form["source"] = [f"log:{e}" for e in entries]

    # Refused by the command (its sources are read by the operation's participants only): its
    # words on the form, with what was typed and the records kept.
    refused = krc.post("/lessons", data=form)
    assert refused.status_code == 422
    assert "label it org:kor-redcross" in refused.text
    assert 'value="Shelter lists reached USFK 9 hours late"' in refused.text
    assert "Lists went by fax.</textarea>" in refused.text
    assert _checked_sources(refused) == [f"log:{entries[0]}", f"log:{entries[1]}"]

    # An unknown kind of record typed in is a clear form error, not a server error.
    bad = krc.post("/lessons", data=form | {"more_sources": "unicorn:123"})
    assert bad.status_code == 422
    assert "unicorn:123" in bad.text and "log, decision, incident or exercise_observation" in bad.text
    assert 'value="Shelter lists reached USFK 9 hours late"' in bad.text

    form["label"] = "org:kor-redcross"
    made = krc.post("/lessons", data=form | {"more_sources": f"decision:{decision}"})
    assert made.status_code == 303, made.text
    lesson_id = made.headers["location"].rsplit("/", 1)[1]
    lesson = ok(server.client(world.tokens["redcross"]).get(f"/lessons/{lesson_id}"))
    assert [(s["type"], s["id"]) for s in lesson["sources"]] == [
        ("log", entries[0]),
        ("log", entries[1]),
        ("decision", decision),
    ]
    shown = krc.get(f"/lessons/{lesson_id}?lang=ko")
    assert "Shelter list 1 sent by fax" in shown.text and "Share shelter lists by HXL" in shown.text
    assert f'href="/operations/{op}"' in shown.text


def test_the_cop_lists_the_lessons_that_concern_the_operation(server: LiveServer, world: World, db: Database) -> None:
    _passwords(db, "province")
    coord = server.client(world.tokens["coord"])
    manager = server.client(user_token(db, "ll", "kor-cmoc", "lessons_manager"))
    op = create_operation(coord, ["kor-province"], hazard="typhoon")["id"]
    body = {"title": {"ko": "대피소 명단 지연"}, "observation": {"ko": "팩스"}, "hazard": "typhoon"}
    lesson = ok(coord.post("/observations", json=body), 201)["id"]
    unvalidated = ok(coord.post("/observations", json=body | {"title": {"en": "Not yet"}}), 201)["id"]
    ok(manager.post(f"/lessons/{lesson}/actions/validate", json={}))
    province, _ = _login(server, "province")
    en = province.get(f"/operations/{op}?lang=en")
    assert f'href="/lessons/{lesson}"' in en.text and f"/lessons/{unvalidated}" not in en.text
    assert "대피소 명단 지연" in en.text  # the other language when the page's is missing
    assert "validated" in en.text and "same hazard" in en.text
    ko = province.get(f"/operations/{op}?lang=ko")
    assert "검증됨" in ko.text
    assert "같은 재난 유형" in ko.text


def test_the_glossary_index_gives_the_forms_terms_are_written_in(server: LiveServer, world: World) -> None:
    forms = {t.id: {(f.text, f.exact) for f in t.forms} for t in glossary_index().items}
    assert {("CMOC", True), ("Civil-military operations center", False), ("민군작전센터", False)} <= forms["cmoc"]
    assert ("SitRep", False) in forms["sitrep"] and ("CoT", True) in forms["cot"]
    shelter = {text for text, _ in forms["evacuation-shelter"]}
    assert {"대피소", "Evacuation shelter", "evacuation site", "shelter"} <= shelter
    assert not any("(" in text for fs in forms.values() for text, _ in fs)
    assert httpx.get(f"{server.url}/api/v1/glossary/index").status_code == 401
    resp = server.client(world.tokens["viewer"]).get("/glossary/index")
    assert resp.status_code == 200 and "max-age" in resp.headers["cache-control"]
    terms = resp.json()["items"]
    assert len(terms) == len(forms)
    cmoc = next(t for t in terms if t["id"] == "cmoc")
    assert cmoc["term"]["ko"] == "민군작전센터" and cmoc["definition"]["ko"] and "source" not in cmoc
