-- wrk script for the intake benchmark: sends each prepared vote (one JSON per line in VOTES_FILE) exactly once,
-- split across wrk's threads (WRK_THREADS must equal wrk's -t); a thread stops when all its votes are answered.
--
-- Without RATE, each connection sends its next vote as soon as its last one is answered (saturation). With RATE
-- (votes per second, all threads together), the i-th vote of a thread is due at start + i / (RATE / threads),
-- whatever happened before (an open model): its latency counts from when it was due, not from when a connection
-- was free to send it, so a slow answer that holds up later votes counts against them too (no coordinated
-- omission). Use enough connections that one is always free.
--
-- Writes OUT_FILE: one line per answer, "<status> <due µs> <answered µs>" on CLOCK_MONOTONIC (Node's hrtime clock);
-- and OUT_FILE.done.<thread> once a thread has all its answers.
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *time);
]]
local clock = ffi.new("bench_timespec")
local function now_us()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000000 + math.floor(tonumber(clock.tv_nsec) / 1000)
end

local votes_file = os.getenv("VOTES_FILE")
local out_file = os.getenv("OUT_FILE")
local thread_count = tonumber(os.getenv("WRK_THREADS") or "1")
local rate = tonumber(os.getenv("RATE") or "0")
-- Through the edge, each vote comes from its own client address (the edge trusts one proxy hop in the benchmark):
-- its per-client rate limits stay in force and are paid for, as for voters who each send one vote.
local forwarded = os.getenv("FORWARDED_FOR") == "1"
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  requests, voteIds = {}, {}
  local index = 0
  for line in io.lines(votes_file) do
    if index % thread_count == id then
      local n = #requests + 1
      table.insert(voteIds, line:match('"voteId":"([^"]+)"'))
      -- Each request is written here, before the clock runs, not in request(): wrk shares the machine with the
      -- system it measures.
      local headers = { ["Content-Type"] = "application/json",
                        ["Idempotency-Key"] = '"' .. line:match('"idempotencyKey":"([^"]+)"') .. '"' }
      if forwarded then
        local address = n * thread_count + id
        headers["X-Forwarded-For"] = string.format("10.%d.%d.%d",
          math.floor(address / 65536) % 256, math.floor(address / 256) % 256, address % 256)
      end
      table.insert(requests, wrk.format("POST", "/api/v1/elections/" .. line:match('"electionId":"([^"]+)"') .. "/votes",
        headers, line))
    end
    index = index + 1
  end
  health = wrk.format("GET", "/actuator/health")
  interval = rate > 0 and (1000000 * thread_count / rate) or 0
  sent, answered, claimed = 0, 0, 0
  due = {}     -- voteId -> when it was due
  results = {} -- one "<status> <due> <answered>" per answer
end

-- wrk calls this before every request. Paced, each call claims the next due time and waits until it: the request
-- that follows takes the next vote, so votes leave in order, each at its due time or, if none was free, later.
function delay()
  if sent >= #requests then return 60000 end -- nothing left to send: wait for the last answers
  if interval == 0 then return 0 end
  start = start or now_us()
  local wait = (start + claimed * interval - now_us()) / 1000
  claimed = claimed + 1
  return wait > 0 and math.floor(wait) or 0
end

function request()
  -- wrk calls the first thread's request() once before it starts, to check it, and throws the request away.
  if id == 0 and not checked then
    checked = true
    return health
  end
  if sent >= #requests then
    return health -- a connection opened again after the last vote
  end
  sent = sent + 1
  local now = now_us()
  start = start or now
  local intended = interval > 0 and (start + (sent - 1) * interval) or now
  due[voteIds[sent]] = math.min(intended, now)
  return requests[sent]
end

-- Receipts name their voteId, which finds the vote's due time; a problem answer does not (0: unknown).
function response(status, headers, body)
  local at = now_us()
  if body and body:find('^{"status"') then return end -- a health check, not a vote
  answered = answered + 1
  local voteId = body and body:match('"voteId":"([^"]+)"')
  table.insert(results, string.format("%d %d %d", status, voteId and due[voteId] or 0, at))
  if answered >= #requests then
    io.open(out_file .. ".done." .. id, "w"):close() -- tells the driver this thread has every answer
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local out = io.open(out_file, "w")
  for _, thread in ipairs(threads) do
    for _, line in ipairs(thread:get("results")) do out:write(line, "\n") end
  end
  out:close()
end
