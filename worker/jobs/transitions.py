"""Lua scripts: every ledger transition is one atomic step, so counts never drift.

A page moves queued -> running -> indexed | skipped | failed; a page put off (a backoff, a
host's politeness slot) goes from running back to queued, due at its new time. Once final it never changes
again (except a retry, which moves failed back to queued), so a task that runs twice (a
redelivery after a worker died, the reconciler) cannot count a page twice.

The counts they keep on the job hash (``total`` and one per final state) are the same fields
a job without a ledger (a reindex) writes through :mod:`worker.jobs.progress`, which reads
both the same way.

KEYS are always: 1 job hash, 2 pages hash, 3 pending zset, 4 active set
(:meth:`worker.jobs.keys.JobKeys.transition`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import redis
    from redis.client import Pipeline

    from worker.jobs.keys import JobKeys

# Closes the job when expansion is over and every page is final. Shared by scripts below.
# It only records that the job ended: whether that is a success, a partial success or a
# failure is read from the counts by worker.jobs.model.final_status, the one place deciding it.
_COMPLETE = """
local function complete(now)
  local j = redis.call('HMGET', KEYS[1], 'status', 'expanded', 'total', 'indexed', 'skipped', 'failed')
  if j[1] ~= 'running' or j[2] ~= '1' then return end
  local done = tonumber(j[4]) + tonumber(j[5]) + tonumber(j[6])
  if done < tonumber(j[3]) then return end
  redis.call('HSET', KEYS[1], 'status', 'ended', 'finished', now)
  redis.call('SREM', KEYS[4], ARGV[1])
  return true
end
"""

# ARGV: job id, now, then url, record json pairs. Returns how many pages were new to the job.
# Returns {added, then for each URL already in the ledger: its argument index and record}.
ADD_PAGES = """
local added = 0
local out = {0}
for i = 3, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('ZADD', KEYS[3], ARGV[2], ARGV[i])
    added = added + 1
  else
    table.insert(out, i)
    table.insert(out, redis.call('HGET', KEYS[2], ARGV[i]))
  end
end
redis.call('HINCRBY', KEYS[1], 'total', added)
out[1] = added
return out
"""

# ARGV: job id, now, then key, record json pairs: entries that are final (skipped) at once.
ADD_SKIPPED = """
local added = 0
for i = 3, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) == 1 then
    added = added + 1
  end
end
redis.call('HINCRBY', KEYS[1], 'total', added)
redis.call('HINCRBY', KEYS[1], 'skipped', added)
return added
"""

# ARGV: job id, now. Marks expansion over; an empty job finishes here.
EXPANDED = _COMPLETE + """
redis.call('HSET', KEYS[1], 'expanded', '1')
complete(ARGV[2])
return 1
"""

# ARGV: job id, now, url, stage, cap. The attempt number when the page should be worked on now
# (counted since its last retry by an operator: ``attempts`` stays the total, ``base`` is the
# total at that retry), 0 when it is final or the job is not running; minus the attempts when
# ``cap`` attempts were started and none finished (the page kills or stalls its worker): the
# caller fails it.
START_PAGE = """
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return 0 end
local raw = redis.call('HGET', KEYS[2], ARGV[3])
if not raw then return 0 end
local rec = cjson.decode(raw)
if rec.state == 'indexed' or rec.state == 'skipped' or rec.state == 'failed' then return 0 end
local tries = (rec.attempts or 0) - (rec.base or 0)
if rec.state == 'running' and tries >= tonumber(ARGV[5]) then return -tries end
rec.state = 'running'
rec.stage = ARGV[4]
rec.attempts = (rec.attempts or 0) + 1
rec.updated = tonumber(ARGV[2])
redis.call('HSET', KEYS[2], ARGV[3], cjson.encode(rec))
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
return tries + 1
"""

# ARGV: job id, now, then url, due (epoch), uncount (1: the attempt just started does not
# count) triples. Pages put off: queued again, and not stale before they are due.
DEFER_PAGES = """
local n = 0
for i = 3, #ARGV, 3 do
  local raw = redis.call('HGET', KEYS[2], ARGV[i])
  if raw then
    local rec = cjson.decode(raw)
    if rec.state == 'queued' or rec.state == 'running' then
      if ARGV[i + 2] == '1' and rec.state == 'running' then
        rec.attempts = math.max((rec.attempts or 1) - 1, 0)
      end
      rec.state = 'queued'
      rec.updated = tonumber(ARGV[2])
      redis.call('HSET', KEYS[2], ARGV[i], cjson.encode(rec))
      redis.call('ZADD', KEYS[3], ARGV[i + 1], ARGV[i])
      n = n + 1
    end
  end
end
return n
"""

# ARGV: job id, now, stage, url... Records how far running pages got (one call per batch).
SET_STAGE = """
local n = 0
for i = 4, #ARGV do
  local raw = redis.call('HGET', KEYS[2], ARGV[i])
  if raw then
    local rec = cjson.decode(raw)
    if rec.state == 'running' then
      rec.stage = ARGV[3]
      rec.updated = tonumber(ARGV[2])
      redis.call('HSET', KEYS[2], ARGV[i], cjson.encode(rec))
      n = n + 1
    end
  end
end
return n
"""

# ARGV: job id, now, url, state, reason, stage. 1 when this call made the page final, 2 when it
# also closed the job, 0 when the page was final already.
FINISH_PAGE = _COMPLETE + """
if redis.call('HGET', KEYS[1], 'status') == 'cancelled' then return 0 end
local raw = redis.call('HGET', KEYS[2], ARGV[3])
if not raw then return 0 end
local rec = cjson.decode(raw)
if rec.state == 'indexed' or rec.state == 'skipped' or rec.state == 'failed' then return 0 end
rec.state = ARGV[4]
rec.reason = ARGV[5]
if ARGV[6] ~= '' then rec.stage = ARGV[6] end
rec.updated = tonumber(ARGV[2])
redis.call('HSET', KEYS[2], ARGV[3], cjson.encode(rec))
redis.call('ZREM', KEYS[3], ARGV[3])
redis.call('HINCRBY', KEYS[1], ARGV[4], 1)
if complete(ARGV[2]) then return 2 end
return 1
"""

# Closes the job's current run into its list of runs and starts another at ``now`` for
# ``again`` pages, so a retry has its own start, end and counts and the earlier run's figures
# stay as they were. The job's counts at the new run's start are kept (base_*): the run's own
# are the job's less those.
_NEW_RUN = """
local function new_run(now, again)
  local f = {'started', 'finished', 'total', 'indexed', 'skipped', 'failed', 'run_started',
             'base_total', 'base_indexed', 'base_skipped', 'base_failed', 'runs'}
  local v = redis.call('HMGET', KEYS[1], unpack(f))
  local function n(x) return tonumber(x) or 0 end
  local runs = cjson.decode(v[12] or '[]')
  table.insert(runs, {started = tonumber(v[7] or v[1]), finished = tonumber(v[2]),
                      total = n(v[3]) - n(v[8]), indexed = n(v[4]) - n(v[9]),
                      skipped = n(v[5]) - n(v[10]), failed = n(v[6]) - n(v[11])})
  redis.call('HSET', KEYS[1], 'runs', cjson.encode(runs), 'run_started', now,
             'base_total', n(v[3]) - again, 'base_indexed', n(v[4]), 'base_skipped', n(v[5]),
             'base_failed', n(v[6]) - again)
end
"""

# ARGV: job id, now. Failed pages back to queued; returns their records (json) to enqueue.
# A job that had ended starts a new run; a running one takes the pages back into its own.
RETRY_FAILED = _NEW_RUN + """
local status = redis.call('HGET', KEYS[1], 'status')
if status == 'cancelled' or status == 'queued' or status == false then return {} end
local again = {}
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  local rec = cjson.decode(all[i + 1])
  if rec.state == 'failed' then
    rec.state = 'queued'
    rec.base = rec.attempts or 0
    rec.updated = tonumber(ARGV[2])
    local encoded = cjson.encode(rec)
    redis.call('HSET', KEYS[2], all[i], encoded)
    redis.call('ZADD', KEYS[3], ARGV[2], all[i])
    table.insert(again, encoded)
  end
end
if #again > 0 then
  if status ~= 'running' then new_run(ARGV[2], #again) end
  redis.call('HINCRBY', KEYS[1], 'failed', -#again)
  redis.call('HSET', KEYS[1], 'status', 'running')
  redis.call('HDEL', KEYS[1], 'finished', 'searchable')
  redis.call('SADD', KEYS[4], ARGV[1])
end
return again
"""

# ARGV: job id, now, older-than (epoch). Pages not finished in time; their clock restarts.
STALE_PAGES = """
if redis.call('HGET', KEYS[1], 'status') ~= 'running' then return {} end
local urls = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', ARGV[3], 'LIMIT', 0, 1000)
local out = {}
for _, url in ipairs(urls) do
  local raw = redis.call('HGET', KEYS[2], url)
  if raw then
    redis.call('ZADD', KEYS[3], ARGV[2], url)
    table.insert(out, raw)
  else
    redis.call('ZREM', KEYS[3], url)
  end
end
return out
"""

# ARGV: job id, now. 1 when the job was queued or running and is now cancelled.
CANCEL = """
local status = redis.call('HGET', KEYS[1], 'status')
if status ~= 'queued' and status ~= 'running' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'cancelled', 'finished', ARGV[2])
redis.call('SREM', KEYS[4], ARGV[1])
return 1
"""


class Transitions:
    """Some of the scripts above, registered on one client, each run on one job's keys."""

    def __init__(self, client: redis.Redis, keys: JobKeys, names: Iterable[str]) -> None:
        self._keys = keys
        self._scripts = {name: client.register_script(globals()[name.upper()]) for name in names}

    def run(self, name: str, job_id: str, *args: Any) -> Any:
        return self.queue(None, name, job_id, time.time(), *args)

    def queue(self, pipe: Pipeline | None, name: str, job_id: str, now: float, *args: Any) -> Any:
        """The script on ``pipe`` (its answer comes with the pipeline's), or run at once."""
        return self._scripts[name](keys=self._keys.transition(job_id), args=[job_id, now, *args], client=pipe)
