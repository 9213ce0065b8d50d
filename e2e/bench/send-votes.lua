-- wrk script: sends each prepared vote (one JSON per line in VOTES_FILE) exactly once, split across wrk's
-- WRK_THREADS threads (the same number as wrk's -t); a thread that has sent its share stops.
-- Counts answers by status for the invariant checks.
local votes_file = os.getenv("VOTES_FILE")
local thread_count = tonumber(os.getenv("WRK_THREADS") or "1")
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local all = {}
  for line in io.lines(votes_file) do table.insert(all, line) end
  votes = {}
  for i = id + 1, #all, thread_count do table.insert(votes, all[i]) end
  sent = 0
  statuses = {}
end

function request()
  if sent >= #votes then
    wrk.thread:stop()
    return wrk.format("GET", "/actuator/health")
  end
  sent = sent + 1
  local body = votes[sent]
  local election = body:match('"electionId":"([^"]+)"')
  local key = body:match('"idempotencyKey":"([^"]+)"')
  return wrk.format("POST", "/api/v1/elections/" .. election .. "/votes",
    { ["Content-Type"] = "application/json", ["Idempotency-Key"] = '"' .. key .. '"' }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for status, n in pairs(s) do totals[status] = (totals[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(totals) do table.insert(parts, string.format('"%d":%d', status, n)) end
  io.write(string.format('STATUSES {%s}\n', table.concat(parts, ",")))
  io.write(string.format('LATENCY_P50_MS %.2f\nLATENCY_P99_MS %.2f\n', latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
