-- wrk script: GET <path>?q=<query> over a rotating list of queries; counts every status.
-- Queries come from the file named by WRK_QUERIES (one a line, already URL-encoded), the
-- path from WRK_PATH (default /api/search). done() prints one JSON line prefixed "WRKJSON ".

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  queries = {}
  local file = os.getenv("WRK_QUERIES")
  if file then
    for line in io.lines(file) do
      if line ~= "" then table.insert(queries, line) end
    end
  end
  if #queries == 0 then queries = {"river"} end
  path = os.getenv("WRK_PATH") or "/api/search"
  counter = math.random(#queries)
  statuses = {}
end

function request()
  counter = counter % #queries + 1
  return wrk.format("GET", path .. "?q=" .. queries[counter])
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    if counts then
      for key, n in pairs(counts) do merged[key] = (merged[key] or 0) + n end
    end
  end
  local parts = {}
  for key, n in pairs(merged) do table.insert(parts, string.format('"%s":%d', key, n)) end
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"statuses":{%s},"errors":{"connect":%d,"read":%d,' ..
    '"write":%d,"status":%d,"timeout":%d},"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, table.concat(parts, ","), e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end
