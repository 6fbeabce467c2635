"""Which IP addresses the fetcher may connect to.

The check runs on resolved addresses, never on the host text, so every spelling of an
address (decimal ``2130706433``, octal ``0177.0.0.1``, hex ``0x7f.1``, short ``127.1``,
IPv4-mapped ``::ffff:127.0.0.1``) is judged by what the resolver turns it into.
"""

from __future__ import annotations

import ipaddress
from ipaddress import IPv4Address, IPv6Address

IPAddress = IPv4Address | IPv6Address

# Cloud metadata services. Most sit in ranges refused anyway; naming them gives a clear reason
# and keeps them refused even if a range rule were loosened.
METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a) for a in (
        "169.254.169.254",    # AWS, GCP, Azure, OpenStack, DigitalOcean
        "169.254.170.2",      # AWS ECS task metadata
        "100.100.100.200",    # Alibaba Cloud
        "192.0.0.192",        # Oracle Cloud (legacy)
        "fd00:ec2::254",      # AWS over IPv6
    )
)

# IPv6 prefixes that carry an IPv4 address inside: judged by the embedded address.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_COMPATIBLE = ipaddress.ip_network("::/96")


def embedded_ipv4(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64, compatible)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _COMPATIBLE and int(address) > 1):
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: IPAddress) -> str | None:
    """Why ``address`` must not be fetched from, or None when it is a public address."""
    if isinstance(address, IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None:
            reason = refusal(inner)
            return f"{reason} (embedded in {address})" if reason else None
    checks = (
        (address in METADATA_ADDRESSES, "cloud metadata"),
        (address.is_unspecified, "unspecified"),
        (address.is_loopback, "loopback"),
        (address.is_link_local, "link-local"),
        # fec0::/10, deprecated (RFC 3879) but still routed inside some networks; Python
        # counts it neither private nor reserved, and even global.
        (isinstance(address, IPv6Address) and address.is_site_local, "site-local"),
        (address.is_multicast, "multicast"),
        (address.is_reserved, "reserved"),
        (address.is_private, "private"),
        # Shared address space (100.64/10), benchmarking, documentation ranges and the like.
        (not address.is_global, "not globally routable"),
    )
    for refused, reason in checks:
        if refused:
            return reason
    return None
