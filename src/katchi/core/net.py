"""Client addresses as throttles and caps count them."""

from __future__ import annotations

import ipaddress


def address_key(address: str) -> str:
    """The key a client address is counted under: an IPv4 address as it is, an IPv6 address by its
    /64 (one host usually holds a whole /64 and can rotate through it)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
