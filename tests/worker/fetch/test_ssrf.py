"""The SSRF guard's address classification and URL checks, every spelling of an address."""

from __future__ import annotations

import ipaddress

import pytest

from worker.fetch import ssrf
from worker.fetch.addresses import refusal
from worker.fetch.errors import BadUrl, Refused

pytestmark = pytest.mark.unit

REFUSED = [
    ("127.0.0.1", "loopback"),
    ("127.255.0.9", "loopback"),
    ("::1", "loopback"),
    ("10.1.2.3", "private"),
    ("172.16.0.1", "private"),
    ("192.168.1.1", "private"),
    ("fc00::1", "private"),
    ("169.254.1.1", "link-local"),
    ("fe80::1", "link-local"),
    ("fec0::1", "site-local"),
    ("feff:ffff::1", "site-local"),
    ("224.0.0.1", "multicast"),
    ("ff02::1", "multicast"),
    ("240.0.0.1", "reserved"),
    ("0.0.0.0", "unspecified"),
    ("::", "unspecified"),
    ("169.254.169.254", "cloud metadata"),
    ("fd00:ec2::254", "cloud metadata"),
    ("100.100.100.200", "cloud metadata"),
    ("100.64.0.1", "not globally routable"),
    ("192.0.2.1", "private"),
    ("::ffff:127.0.0.1", "loopback (embedded in ::ffff:7f00:1)"),
    ("::ffff:169.254.169.254", "cloud metadata (embedded in ::ffff:a9fe:a9fe)"),
    ("64:ff9b::a00:1", "private (embedded in 64:ff9b::a00:1)"),
    ("2002:7f00:1::", "loopback (embedded in 2002:7f00:1::)"),
    ("::7f00:1", "loopback (embedded in ::7f00:1)"),
]


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_refused_addresses_name_their_reason(address: str, reason: str) -> None:
    assert refusal(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
                                     "::ffff:93.184.215.14", "1.1.1.1"])
def test_public_addresses_pass(address: str) -> None:
    assert refusal(ipaddress.ip_address(address)) is None


# Every way of writing the loopback address the resolver understands.
LOOPBACK_FORMS = ["127.0.0.1", "2130706433", "0177.0.0.1", "0x7f.0.0.1", "0x7f000001", "017700000001",
                  "127.1", "0x7f.1", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "0.0.0.0", "[::]",
                  "localhost", "LOCALHOST.", "[0:0:0:0:0:ffff:127.0.0.1]"]


@pytest.mark.parametrize("host", LOOPBACK_FORMS)
def test_every_loopback_form_is_refused(host: str) -> None:
    with pytest.raises(Refused):
        ssrf.check(f"http://{host}:8080/x")


@pytest.mark.parametrize("url", ["ftp://example.com/", "file:///etc/passwd", "gopher://x/", "javascript:1"])
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(Refused, match="only http and https"):
        ssrf.check(url)


@pytest.mark.parametrize("url", ["http:///nohost", "http://user:pw@example.com/", "http://x:99999/"])
def test_malformed_urls(url: str) -> None:
    with pytest.raises(BadUrl):
        ssrf.check(url)


def test_allowlist_admits_exact_host_and_port_only() -> None:
    allow = ["127.0.0.1:8123", "[::1]:9000", "intranet.local"]
    target = ssrf.check("http://127.0.0.1:8123/a?b=1", allow)
    assert (str(target.address), target.port, target.path) == ("127.0.0.1", 8123, "/a?b=1")
    assert ssrf.check("http://[::1]:9000/", allow).host_header == "[::1]:9000"
    for url in ("http://127.0.0.1:8124/", "http://2130706433:8123/", "http://[::1]:9001/"):
        with pytest.raises(Refused):
            ssrf.check(url, allow)
    assert ssrf.allowlisted("intranet.local", 443, allow)


def test_split_defaults_port_and_path() -> None:
    assert ssrf.split("HTTPS://Example.COM.") == ("https", "example.com", 443, "/")
    assert ssrf.split("http://example.com:81/p?q") == ("http", "example.com", 81, "/p?q")


def test_allowlist_is_scoped_to_the_source() -> None:
    allow = ["127.0.0.1:8123", "intranet.local", "127.0.0.1:9000"]
    # A fetch that started on an allowlisted host may use that host's entries, on any port
    # its entry admits (an http page redirecting to https on the same intranet host).
    assert ssrf.scoped("http://127.0.0.1:8123/sitemap.xml", allow) == ("127.0.0.1:8123",)
    assert ssrf.scoped("http://intranet.local/", allow) == ("intranet.local",)
    # A public source, or a URL that is not one, may use none of them.
    assert ssrf.scoped("https://public.example/sitemap.xml", allow) == ()
    assert ssrf.scoped("ftp://127.0.0.1:8123/", allow) == ()
    with pytest.raises(Refused):
        ssrf.check("http://127.0.0.1:8123/secret", ssrf.scoped("https://public.example/", allow))


def test_foreign_allowlisted_urls() -> None:
    allow = ["127.0.0.1:8123", "127.0.0.1:9000"]
    source = "http://127.0.0.1:8123/sitemap.xml"
    assert not ssrf.foreign("http://127.0.0.1:8123/page/", source, allow), "its own host"
    assert ssrf.foreign("http://127.0.0.1:9000/page/", source, allow), "another allowlisted host"
    assert ssrf.foreign("http://127.0.0.1:8123/page/", "https://public.example/", allow)
    # Hosts that are not allowlisted are left to the address check.
    assert not ssrf.foreign("https://public.example/page/", source, allow)
    assert not ssrf.foreign("not a url", source, allow)
