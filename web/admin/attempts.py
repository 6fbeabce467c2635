"""How fast the console's sign-in may be guessed: per client and per account, failing closed.

The counts live in Redis, shared by every gunicorn worker and web server. A client is known
by its address (the real one behind a trusted proxy, see web/proxies.py), so one guesser
locks out only itself. The account budget bounds a guess spread over many addresses; a
client's own budget is kept well under it, so no single client can use it up and lock the
operator out. When Redis cannot be reached nothing could be counted, so sign-in is refused
rather than left unlimited.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis

# (attempts, seconds) windows, fixed from each window's first attempt.
CLIENT_WINDOWS = ((10, 60), (30, 3600))
ACCOUNT_WINDOWS = ((100, 3600),)
# The console has one account: the password and the API token both sign in as the operator.
ACCOUNT = "operator"
# A sign-in waits this long at most for Redis before it is refused.
REDIS_TIMEOUT_S = 2.0

Window = tuple[str, int, int]  # key, limit, seconds
# Only a window still open is given an attempt back: DECR on an expired key would create one
# that never expires.
_GIVE_BACK = """
for _, key in ipairs(KEYS) do
  if redis.call('exists', key) == 1 then redis.call('decr', key) end
end
"""


class Unavailable(Exception):
    """Attempts cannot be counted (Redis is away): sign-in is refused until it is back."""


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0


def connect(url: str) -> redis.Redis:
    """A sign-in should not hang on the reconnect budget the pipeline's clients have."""
    from worker.redis_dbs import fail_fast

    return fail_fast(url, REDIS_TIMEOUT_S)


class SignInLimit:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self._redis = client
        self._prefix = prefix

    def attempt(self, address: str) -> Verdict:
        """Count one sign-in attempt from ``address``, or refuse it when a window is full.

        The account is charged only for attempts the client's own budget allowed, so one
        client hammering after its lock-out does not drain the account's budget.
        """
        verdict = self._count(self._client_windows(address))
        if not verdict.allowed:
            return verdict
        return self._count(self._account_windows())

    def succeeded(self, address: str) -> None:
        """A right secret gives its attempt back: only failures use up a budget."""
        keys = [key for key, _n, _s in self._client_windows(address) + self._account_windows()]
        try:
            self._redis.eval(_GIVE_BACK, len(keys), *keys)
        except redis.exceptions.RedisError:
            pass  # the operator is signed in already; the attempt stays counted

    def _client_windows(self, address: str) -> list[Window]:
        return [(f"{self._prefix}:client:{address}:{s}", n, s) for n, s in CLIENT_WINDOWS]

    def _account_windows(self) -> list[Window]:
        return [(f"{self._prefix}:account:{ACCOUNT}:{s}", n, s) for n, s in ACCOUNT_WINDOWS]

    def _count(self, windows: list[Window]) -> Verdict:
        try:
            pipe = self._redis.pipeline()
            for key, _limit, seconds in windows:
                pipe.set(key, 0, ex=seconds, nx=True)  # a window starts with its first attempt
                pipe.incr(key)
                pipe.ttl(key)
            answers = pipe.execute()
        except redis.exceptions.RedisError as exc:
            raise Unavailable(str(exc)) from exc
        full = [int(ttl) for (_key, limit, _s), count, ttl in zip(windows, answers[1::3], answers[2::3],
                                                                   strict=True) if int(count) > limit]
        return Verdict(not full, max(full, default=0))
