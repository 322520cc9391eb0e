"""The CAP poller's fetcher: every non-global address refused, the connection made to the address
that was checked (one DNS lookup), one time limit for the whole fetch, a cap on links per feed."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from katchi.interop.cap.poll import MAX_LINKS, Fetcher, FetchRefused, fetch_messages


def _resolving(monkeypatch: pytest.MonkeyPatch, *answers: list[str]) -> list[str]:
    """getaddrinfo answers ``answers`` in turn (a rebinding DNS server); returns the names asked."""
    asked: list[str] = []
    queue = list(answers)

    def fake(host: str, *args: Any, **kw: Any) -> list[Any]:
        asked.append(host)
        addrs = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 0)) for a in addrs]

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    return asked


@pytest.mark.parametrize(
    "address",
    ["10.1.2.3", "127.0.0.1", "169.254.169.254", "100.64.0.1", "192.168.0.1", "::1", "fc00::1", "fe80::1",
     "2002:a01:203::1", "::ffff:10.0.0.1", "224.0.0.1", "0.0.0.0"],
)  # fmt: skip
def test_names_resolving_to_non_global_addresses_are_refused(monkeypatch: pytest.MonkeyPatch, address: str) -> None:
    _resolving(monkeypatch, ["8.8.8.8", address])  # one bad answer among good ones is enough
    with pytest.raises(FetchRefused, match="private or reserved"):
        Fetcher(frozenset({"alerts.example"})).check("https://alerts.example/feed.atom")


def test_the_connection_goes_to_the_checked_address_with_one_lookup(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _resolving(monkeypatch, ["93.184.216.34"], ["127.0.0.1"])  # the second answer would rebind
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"<alert/>")

    fetcher = Fetcher(frozenset({"alerts.example"}), transport=httpx.MockTransport(handler))
    assert fetcher.get("https://alerts.example/a.xml") == b"<alert/>"
    assert asked == ["alerts.example"]
    (request,) = seen
    assert request.url.host == "93.184.216.34" and request.headers["host"] == "alerts.example"
    assert request.extensions["sni_hostname"] == "alerts.example"  # TLS checks the name's certificate


def test_one_time_limit_covers_the_whole_fetch(monkeypatch: pytest.MonkeyPatch) -> None:
    _resolving(monkeypatch, ["93.184.216.34"])

    def slow() -> Iterator[bytes]:
        for _ in range(20):
            time.sleep(0.05)  # each read is quick; together they are too slow
            yield b"x" * 10

    fetcher = Fetcher(
        frozenset({"alerts.example"}),
        timeout_s=0.3,
        transport=httpx.MockTransport(lambda r: httpx.Response(200, content=slow())),
    )
    started = time.monotonic()
    with pytest.raises(FetchRefused, match=r"took longer than 0\.3 s"):
        fetcher.get("http://alerts.example/slow.xml")
    assert time.monotonic() - started < 0.6


def test_a_feed_is_read_for_at_most_its_first_links(monkeypatch: pytest.MonkeyPatch) -> None:
    _resolving(monkeypatch, ["93.184.216.34"])
    entries = "".join(
        f'<entry><id>{i}</id><link type="application/cap+xml" href="/m{i}.xml"/></entry>' for i in range(150)
    )
    feed = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>f</title>{entries}</feed>'.encode()
    fetched: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        fetched.append(request.url.path)
        return httpx.Response(200, content=feed if request.url.path == "/feed.atom" else b"<alert/>")

    fetcher = Fetcher(frozenset({"alerts.example"}), transport=httpx.MockTransport(handler))
    results = list(fetch_messages(fetcher, "http://alerts.example/feed.atom"))
    assert "only the first 100" in results[0].error
    assert len(fetched) == 1 + MAX_LINKS
