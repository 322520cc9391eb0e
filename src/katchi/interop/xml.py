"""The one way Katchi reads XML from outside: defusedxml (no DTDs, no entity expansion, no external
resources), with size and depth limits, so a hostile document costs nothing but its own rejection.

defusedxml's lxml front end is used, with a hardened lxml parser of our own (entities not resolved,
no network, no DTD loading, comments and processing instructions dropped) and defusedxml's
DOCTYPE and entity checks: as fast as bare lxml, where the ElementTree (expat) front end is 3–6×
slower on real CAP messages (``benchmarks/interop.py``). defusedxml marks that module deprecated,
so the dependency is pinned below 0.8; should it go, ``defusedxml.ElementTree`` is a drop-in
replacement here (the readers only use the ElementTree API).
"""

from __future__ import annotations

import functools
import threading
import warnings
from typing import Any

from defusedxml import DefusedXmlException
from lxml.etree import XMLParser, XMLSyntaxError, XPath

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import defusedxml.lxml as safe_lxml

Element = Any  # an lxml element (ElementTree API)
_local = threading.local()  # lxml parsers are not thread-safe: one per thread


def _parser() -> XMLParser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
    return parser


MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32


class XmlRejected(ValueError):
    """The document is not well-formed, or is refused as hostile or too large; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_xml(data: bytes | str, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH) -> Element:
    """Parse untrusted XML into an ElementTree element."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise XmlRejected(f"document is {len(raw)} bytes; the limit is {max_bytes}")
    try:
        root = safe_lxml.fromstring(raw, parser=_parser(), forbid_dtd=True, forbid_entities=True)
    except DefusedXmlException as exc:
        reason = f"refused: {type(exc).__name__} (DOCTYPE, entities and external references are not allowed)"
        raise XmlRejected(reason) from None
    except XMLSyntaxError as exc:
        raise XmlRejected(f"not well-formed XML: {exc}") from None
    except ValueError as exc:  # e.g. an encoding declaration on a str
        raise XmlRejected(f"not readable XML: {exc}") from None
    _check_depth(root, max_depth)
    return root


@functools.cache
def _deeper_than(max_depth: int) -> XPath:
    """One XPath step per level, compiled once, evaluated by libxml2."""
    return XPath("boolean(/*" + "/*" * max_depth + ")")


def _check_depth(root: Element, max_depth: int) -> None:
    if _deeper_than(max_depth)(root):
        raise XmlRejected(f"nesting deeper than {max_depth} elements")


def children(el: Element) -> Any:
    """An element's child elements (the parser drops comments and processing instructions, and
    the parse refused entities)."""
    return iter(el)


def local(tag: Any) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag ``{ns}name``; ("", "") for comments and PIs."""
    if not isinstance(tag, str):
        return "", ""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag
