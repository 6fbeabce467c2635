"""Telling readers apart for past-query suggestions, without knowing who they are.

A query becomes a public suggestion only once enough *different readers* searched it. The
visit id cannot say that: it is whatever cookie a client sends, and a client without one gets
a fresh one, so a script can be any number of visits. A reader is instead a keyed hash of the
network the request came from (the address; an IPv6 /64, which one subscriber holds whole) and
its user agent, under a random salt that is made each day and expires the day after (the way
Plausible counts visitors without cookies): no address is stored, and once a day's salt is
gone nobody, the operator included, can tell which address a key stood for, or link one
day's keys to another's. One script at one address is one reader however it names itself.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from datetime import date

import redis

# A day's salt outlives its day by one, for requests at midnight and writers that are late.
SALT_SECONDS = 2 * 24 * 3600


def _salt_key(namespace: str, day: date) -> str:
    return f"{namespace}:searchlog-salt:{day.isoformat()}"


def daily_salt(store: redis.Redis, namespace: str, day: date) -> bytes:
    """``day``'s salt: made by the first process to ask, read by the others (SET NX)."""
    key = _salt_key(namespace, day)
    store.set(key, secrets.token_hex(32), nx=True, ex=SALT_SECONDS)
    value = store.get(key)
    if value is None:  # expired between the two calls: only for a day long past
        raise redis.RedisError(f"no salt for {day}")
    return value if isinstance(value, bytes) else str(value).encode()


def network(address: str) -> str:
    """What one reader holds: an IPv4 address, or the /64 an IPv6 address is in."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6 and parsed.ipv4_mapped is None:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed.ipv4_mapped or parsed) if parsed.version == 6 else str(parsed)


def reader_key(salt: bytes, address: str, user_agent: str) -> str:
    message = f"{network(address)}\0{user_agent}".encode()
    return hmac.new(salt, message, hashlib.sha256).hexdigest()[:32]
