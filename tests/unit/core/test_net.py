"""Client addresses are counted by host for IPv4 and by /64 for IPv6 (a host can rotate through its /64)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from katchi.core.net import address_key


def test_ipv6_addresses_of_one_64_count_as_one() -> None:
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert address_key("2001:db8:1:3::1") != address_key("2001:db8:1:2::1")
    assert address_key("::ffff:192.0.2.7") == "192.0.2.7" == address_key("192.0.2.7")
    assert address_key("not an address") == "not an address"


@given(st.ip_addresses())
def test_every_address_has_a_short_stable_key(ip: object) -> None:
    key = address_key(str(ip))
    assert key == address_key(str(ip)) and len(key) <= 64
