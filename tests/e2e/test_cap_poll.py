"""``katchi cap poll`` against a local HTTP server: a feed's alerts are imported, a redirect to a
forbidden address, an oversized document and a host not on the allow-list are refused."""

from __future__ import annotations

import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from katchi.db import Database
from tests.support.api import create_operation
from tests.support.server import LiveServer, free_port
from tests.support.world import World

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cap"
ALERT = (FIXTURES / "cap_amber_alert_example.xml").read_bytes()


def _seoul(identifier: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>{identifier}</identifier><sender>kma</sender>
<sent>2026-07-10T09:00:00+09:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
<info><category>Met</category><event>Heavy rain</event><urgency>Immediate</urgency><severity>Severe</severity>
<certainty>Observed</certainty><area><areaDesc>Seoul</areaDesc><circle>37.56,126.97 5</circle></area></info>
</alert>""".encode()


def _feed(base: str, hrefs: list[str]) -> bytes:
    entries = "".join(
        f"<entry><id>{i}</id><title>{i}</title><updated>2026-07-10T00:00:00Z</updated>"
        f'<link type="application/cap+xml" href="{href}"/></entry>'
        for i, href in enumerate(hrefs)
    )
    head = f"<title>KMA</title><id>{base}/feed.atom</id><updated>2026-07-10T00:00:00Z</updated>"
    return f'<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom">{head}{entries}</feed>'.encode()


@pytest.fixture
def feed_server() -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    pages = {
        "/feed.atom": _feed(base, ["/a1.xml", "/sneaky", "/big.xml", "/bad.xml"]),
        "/a1.xml": _seoul("KMA-A1"),
        "/big.xml": b"<alert>" + b" " * 300_000 + b"</alert>",
        "/bad.xml": (FIXTURES / "noaa_errors.cap").read_bytes(),
    }

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/sneaky":
                self.send_response(302)
                self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
                self.end_headers()
                return
            body = pages.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield base
    httpd.shutdown()


def poll(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "katchi", "cap", "poll", *args],
        env=os.environ | {"KATCHI_DATABASE_URL": db_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_poll_imports_and_refuses(
    db_url: str, db: Database, world: World, server: LiveServer, feed_server: str
) -> None:
    coord = server.client(world.tokens["coord"])
    op = create_operation(coord, ["kor-province"], name="Rain")
    args = ["--operation", op["id"], "--as", "coord", "--allow-host", "127.0.0.1", "--max-bytes", "200000"]
    out = poll(db_url, f"{feed_server}/feed.atom", *args)
    assert out.returncode == 1, out.stderr
    lines = {line.split("\t")[0]: line.split("\t")[1:] for line in out.stdout.splitlines()}
    assert lines[f"{feed_server}/a1.xml"][0] == "created"
    sneaky = lines[f"{feed_server}/sneaky"]  # redirects to the cloud metadata address
    assert sneaky[0] == "refused" and "169.254.169.254" in sneaky[1] and "allow-list" in sneaky[1]
    assert lines[f"{feed_server}/big.xml"][0] == "refused" and "limit" in lines[f"{feed_server}/big.xml"][1]
    assert lines[f"{feed_server}/bad.xml"][0] == "invalid" and "urgency" in lines[f"{feed_server}/bad.xml"][1]
    incidents = coord.get(f"/operations/{op['id']}/incidents").json()["items"]
    assert [i["title"] for i in incidents] == ["Heavy rain"]
    again = poll(db_url, f"{feed_server}/a1.xml", *args)
    assert again.stdout.split("\t")[1] == "skipped" and again.returncode == 0
    denied = poll(
        db_url, f"{feed_server}/feed.atom", "--operation", op["id"], "--as", "coord", "--allow-host", "kma.go.kr"
    )
    assert denied.returncode == 1 and "not on the allow-list" in denied.stdout
    from katchi.accounts import disable_user
    from katchi.core.context import Context
    from katchi.eventlog import transaction

    with transaction(db) as s:
        disable_user(s, Context(None, source="test"), "coord")
    gone = poll(db_url, f"{feed_server}/a1.xml", *args)
    assert gone.returncode == 2 and "no active user coord" in gone.stderr and gone.stdout == ""
