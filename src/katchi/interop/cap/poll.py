"""Polling CAP feeds safely: only allow-listed hosts, redirects checked hop by hop, a name resolved
once and the connection made to the very address that was checked (a second lookup could answer
differently: DNS rebinding), every non-global address refused (private, loopback, link-local,
shared 100.64.0.0/10, 6to4 2002::/16 …) unless that very address literal is allow-listed, a size
limit enforced while reading, one time limit for the whole fetch, and a cap on links per feed.

A feed is an Atom or RSS document whose entries link CAP messages, or a single CAP message.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from katchi.interop.xml import XmlRejected, local, parse_xml

MAX_BYTES = 2 * 1024 * 1024
TIMEOUT_S = 10.0
MAX_REDIRECTS = 3
MAX_LINKS = 100
ATOM = "http://www.w3.org/2005/Atom"
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")


class FetchRefused(ValueError):
    """The URL may not be fetched, or its answer was refused; ``reason`` says why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


def _global(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Reachable on the public internet: not private, loopback, link-local, shared (CGNAT),
    reserved or multicast, and not 6to4 (which embeds any IPv4 address, private ones included)."""
    if isinstance(addr, ipaddress.IPv6Address) and (addr in _SIX_TO_FOUR or addr.ipv4_mapped is not None):
        return False
    return addr.is_global and not addr.is_multicast


def resolve(host: str) -> str:
    """The one address to connect to for ``host``: refused when it does not resolve or when any
    of its addresses is not global (an answer mixing public and private addresses is an attack)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror:
        raise FetchRefused(host, f"host {host} does not resolve") from None
    addrs = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addrs or not all(_global(a) for a in addrs):
        raise FetchRefused(host, f"host {host} resolves to a private or reserved address")
    return str(addrs[0])


@dataclass(frozen=True)
class Fetcher:
    allow_hosts: frozenset[str]
    max_bytes: int = MAX_BYTES
    #: For the whole fetch: every redirect and every read of the body.
    timeout_s: float = TIMEOUT_S
    #: Tests may pass an ``httpx`` transport; by default a real connection.
    transport: httpx.BaseTransport | None = None

    def check(self, url: str) -> str:
        """Refuse ``url`` or return the address to connect to for it."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchRefused(url, f"scheme {parts.scheme or '(none)'} is not allowed; use http or https")
        host = (parts.hostname or "").lower()
        if host not in self.allow_hosts:
            raise FetchRefused(url, f"host {host or '(none)'} is not on the allow-list ({url})")
        # An allow-listed name could still point inside the network: only an explicitly listed
        # address literal may be private (e.g. a CMOC's own feed server on 127.0.0.1 or 10.x).
        try:
            return str(ipaddress.ip_address(host))
        except ValueError:
            pass
        try:
            return resolve(host)
        except FetchRefused as exc:
            raise FetchRefused(url, exc.reason) from None

    def get(self, url: str) -> bytes:
        """The body at ``url`` (following up to three checked redirects), within ``timeout_s`` in all."""
        deadline = time.monotonic() + self.timeout_s

        def left() -> float:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise FetchRefused(url, f"took longer than {self.timeout_s:g} s")
            return remaining

        with httpx.Client(follow_redirects=False, transport=self.transport) as client:
            for _ in range(MAX_REDIRECTS + 1):
                address = self.check(url)
                request = _pinned(client, url, address, left())
                r = client.send(request, stream=True)
                try:
                    if r.is_redirect:
                        url = urljoin(url, r.headers.get("location", ""))
                        continue
                    return self._body(url, r, left)
                finally:
                    r.close()
        raise FetchRefused(url, f"more than {MAX_REDIRECTS} redirects")

    def _body(self, url: str, r: httpx.Response, left: Any) -> bytes:
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
            left()
        return bytes(body)


def _pinned(client: httpx.Client, url: str, address: str, timeout: float) -> httpx.Request:
    """A GET of ``url`` sent to ``address``: the name stays in the Host header and, over TLS, in
    SNI and the certificate check; no second DNS lookup happens."""
    parts = httpx.URL(url)
    request = client.build_request(
        "GET",
        parts.copy_with(host=address),
        headers={"Accept": "application/cap+xml, application/atom+xml, */*", "Host": parts.netloc.decode()},
        timeout=httpx.Timeout(timeout),
    )
    if parts.scheme == "https":
        request.extensions["sni_hostname"] = parts.host
    return request


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
    if len(links) > MAX_LINKS:
        yield Fetched(url, None, f"the feed links {len(links)} messages: only the first {MAX_LINKS} are fetched")
    for link in links[:MAX_LINKS]:
        try:
            yield Fetched(link, fetcher.get(link))
        except (FetchRefused, httpx.HTTPError) as exc:
            yield Fetched(link, None, getattr(exc, "reason", str(exc)))
