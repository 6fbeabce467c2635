"""Reader keys: one per network and browser within a day's salt, nothing of the address kept."""

from __future__ import annotations

from indexer.searchlog.readers import network, reader_key

SALT = b"a" * 64
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def test_an_ipv6_subscriber_is_one_network_and_ipv4_is_its_address() -> None:
    assert network("2001:db8:1:2:aaaa::1") == network("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert network("2001:db8:1:3::1") != network("2001:db8:1:2::1")
    assert network("192.0.2.7") == network("::ffff:192.0.2.7") == "192.0.2.7"
    assert network("not an address") == "not an address"


def test_keys_tell_readers_apart_only_within_a_salt() -> None:
    key = reader_key(SALT, "192.0.2.7", FIREFOX)
    assert key == reader_key(SALT, "192.0.2.7", FIREFOX) and len(key) == 32
    assert key != reader_key(SALT, "192.0.2.8", FIREFOX)
    assert key != reader_key(SALT, "192.0.2.7", "curl/8.0")
    assert key != reader_key(b"b" * 64, "192.0.2.7", FIREFOX)  # the next day's salt
    assert "192.0.2.7" not in key
