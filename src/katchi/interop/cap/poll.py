"""Polling CAP feeds safely: only allow-listed hosts, redirects checked hop by hop (never to a
private, loopback or link-local address unless that very host is allow-listed), a size limit
enforced while reading, and a time limit per request.

A feed is an Atom or RSS document whose entries link CAP messages, or a single CAP message.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from katchi.interop.xml import XmlRejected, local, parse_xml

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT_S = 10.0
MAX_REDIRECTS = 3
ATOM = "http://www.w3.org/2005/Atom"


class FetchRefused(ValueError):
    """The URL may not be fetched, or its answer was refused; ``reason`` says why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


def _private(host: str) -> bool:
    """Whether ``host`` is, or resolves to, a private, loopback, link-local or reserved address."""
    try:
        infos = socket.getaddrinfo(host, None)
    except socket.gaierror:
        return True  # unresolvable: refuse rather than guess
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_reserved or addr.is_multicast:
            return True
    return False


@dataclass(frozen=True)
class Fetcher:
    allow_hosts: frozenset[str]
    max_bytes: int = MAX_BYTES
    timeout_s: float = TIMEOUT_S

    def check(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchRefused(url, f"scheme {parts.scheme or '(none)'} is not allowed; use http or https")
        host = (parts.hostname or "").lower()
        if host not in self.allow_hosts:
            raise FetchRefused(url, f"host {host or '(none)'} is not on the allow-list ({url})")
        # An allow-listed name could still point inside the network: only an explicitly listed
        # address literal may be private (e.g. a CMOC's own feed server on 127.0.0.1 or 10.x).
        try:
            literal = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is None and _private(host):
            raise FetchRefused(url, f"host {host} resolves to a private or reserved address")

    def get(self, url: str) -> bytes:
        """The body at ``url`` (following up to three checked redirects)."""
        with httpx.Client(follow_redirects=False, timeout=self.timeout_s) as client:
            for _ in range(MAX_REDIRECTS + 1):
                self.check(url)
                with client.stream(
                    "GET", url, headers={"Accept": "application/cap+xml, application/atom+xml, */*"}
                ) as r:
                    if r.is_redirect:
                        target = r.headers.get("location", "")
                        url = urljoin(url, target)
                        continue
                    if r.status_code != 200:
                        raise FetchRefused(url, f"HTTP {r.status_code}")
                    declared = r.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > self.max_bytes:
                        raise FetchRefused(url, f"{declared} bytes is over the {self.max_bytes}-byte limit")
                    body = bytearray()
                    for chunk in r.iter_bytes():
                        body += chunk
                        if len(body) > self.max_bytes:
                            raise FetchRefused(url, f"more than {self.max_bytes} bytes")
                    return bytes(body)
        raise FetchRefused(url, f"more than {MAX_REDIRECTS} redirects")


def message_links(document: bytes, base_url: str) -> list[str] | None:
    """The CAP links of an Atom or RSS feed, or None if the document is not a feed."""
    try:
        root = parse_xml(document)
    except XmlRejected:
        return None
    ns, name = local(root.tag)
    if ns == ATOM and name == "feed":
        links = []
        for entry in root.iter(f"{{{ATOM}}}entry"):
            hrefs = [
                link.get("href", "")
                for link in entry.iter(f"{{{ATOM}}}link")
                if link.get("type") == "application/cap+xml"
                or link.get("href", "").endswith((".cap", ".xml"))
                or link.get("rel", "alternate") == "alternate"
            ]
            if hrefs:
                links.append(urljoin(base_url, hrefs[0]))
        return links
    if name == "rss":
        return [
            urljoin(base_url, (item.findtext("link") or "").strip())
            for item in root.iter("item")
            if item.findtext("link")
        ]
    return None


@dataclass(frozen=True)
class Fetched:
    url: str
    body: bytes | None
    error: str = ""


def fetch_messages(fetcher: Fetcher, url: str) -> Iterable[Fetched]:
    """The CAP messages a URL offers (a feed's linked messages, or the message itself); a refused
    fetch is reported and does not stop the others."""
    try:
        document = fetcher.get(url)
    except (FetchRefused, httpx.HTTPError) as exc:
        yield Fetched(url, None, getattr(exc, "reason", str(exc)))
        return
    links = message_links(document, url)
    if links is None:
        yield Fetched(url, document)
        return
    for link in links:
        try:
            yield Fetched(link, fetcher.get(link))
        except (FetchRefused, httpx.HTTPError) as exc:
            yield Fetched(link, None, getattr(exc, "reason", str(exc)))
