-- wrk script of bench/serve_bench.sh: the requests of one scenario against `credo serve`, and its
-- figures on one line the shell script reads. One script serves every scenario, so they are all
-- measured and reported the same way. Settings come from the environment:
--   SERVE_BENCH_METHOD  GET (default) or POST
--   SERVE_BENCH_PATH    the request path; "{id}" becomes the next known client id
--   SERVE_BENCH_IDS     a file of client ids, one per line (when the path has "{id}")
--   SERVE_BENCH_RATE    requests per second over all threads (unset or 0: as fast as possible)
--   SERVE_BENCH_THREADS the thread count given to wrk -t (wrk starts each thread before the next
--                       one's setup, so a thread cannot count them)
-- POST requests carry a new application, one of a few varied bodies, as {"application": {...}}.

local method = os.getenv("SERVE_BENCH_METHOD") or "GET"
local path = os.getenv("SERVE_BENCH_PATH") or "/health"
local ids_file = os.getenv("SERVE_BENCH_IDS")
local rate = tonumber(os.getenv("SERVE_BENCH_RATE") or "0") or 0
local thread_count = tonumber(os.getenv("SERVE_BENCH_THREADS") or "1") or 1

local next_thread = 0

-- Runs in wrk's main state before each thread's init(): gives the thread its number.
function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
end

-- A few applications that differ in income, credit, age, employment and external scores.
local function application_bodies()
  local bodies = {}
  local genders = {"M", "F"}
  local contracts = {"Cash loans", "Revolving loans"}
  local education = {"Secondary / secondary special", "Higher education"}
  for i = 0, 7 do
    local income = 202500 + 22500 * i
    local credit = 406597.5 + 45000 * i
    bodies[#bodies + 1] = string.format(
      '{"application": {"NAME_CONTRACT_TYPE": "%s", "CODE_GENDER": "%s", "FLAG_OWN_CAR": "%s", ' ..
      '"CNT_CHILDREN": %d, "AMT_INCOME_TOTAL": %.1f, "AMT_CREDIT": %.1f, "AMT_ANNUITY": %.1f, ' ..
      '"AMT_GOODS_PRICE": %.1f, "NAME_INCOME_TYPE": "Working", "NAME_EDUCATION_TYPE": "%s", ' ..
      '"DAYS_BIRTH": %d, "DAYS_EMPLOYED": %d, "REGION_RATING_CLIENT": %d, ' ..
      '"EXT_SOURCE_1": %.3f, "EXT_SOURCE_2": %.3f, "EXT_SOURCE_3": %.3f}}',
      contracts[i % 2 + 1], genders[i % 2 + 1], i % 3 == 0 and "Y" or "N", i % 3, income, credit,
      24700.5 + 1500 * i, credit * 0.9, education[math.floor(i / 2) % 2 + 1], -9461 - 1100 * i, -637 - 300 * i,
      1 + i % 3, 0.08 + 0.1 * i, 0.26 + 0.07 * i, 0.14 + 0.09 * (7 - i))
  end
  return bodies
end

local function read_ids(file_name)
  local ids = {}
  for line in io.lines(file_name) do
    if line ~= "" then ids[#ids + 1] = line end
  end
  return ids
end

-- The thread's requests, formatted once: request() only hands out the next one.
local requests = {}
local request_count = 0
local position = 0

-- Pacing with a monotonic clock, for SERVE_BENCH_RATE (Debian's wrk has no --rate).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } serve_bench_timespec;
  int clock_gettime(int clock_id, serve_bench_timespec* now);
]]
local clock_now = ffi.new("serve_bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock_now)  -- CLOCK_MONOTONIC
  return tonumber(clock_now.tv_sec) * 1000 + tonumber(clock_now.tv_nsec) / 1e6
end
local interval_ms = 0
local next_slot_ms = 0

function init(args)
  local headers = {}
  local bodies = {false}
  if method == "POST" then
    headers["Content-Type"] = "application/json"
    bodies = application_bodies()
  end
  local ids = {false}
  if path:find("{id}", 1, true) then ids = read_ids(ids_file) end
  -- Each thread walks the ids in its own shuffled order, so the threads do not ask for the same
  -- client at the same moment.
  math.randomseed(42 + (thread_number or 0))
  for i = #ids, 2, -1 do
    local j = math.random(i)
    ids[i], ids[j] = ids[j], ids[i]
  end
  local count = math.max(#ids, #bodies)
  for i = 1, count do
    local id = ids[(i - 1) % #ids + 1]
    local request_path = id and path:gsub("{id}", id) or path
    local body = bodies[(i - 1) % #bodies + 1] or nil
    requests[i] = wrk.format(method, request_path, headers, body)
  end
  request_count = count
  if rate > 0 then interval_ms = 1000 * thread_count / rate end
end

function request()
  position = position % request_count + 1
  return requests[position]
end

-- Only defined for a paced run: each request takes the thread's next slot, so the thread sends
-- rate / threads requests per second whatever the connections' latencies (wrk rounds to ms).
if rate > 0 then
  function delay()
    local now = now_ms()
    if next_slot_ms < now then next_slot_ms = now end
    local wait = next_slot_ms - now
    next_slot_ms = next_slot_ms + interval_ms
    return math.floor(wait)
  end
end

-- wrk counts as status errors the answers with a status of 400 or more (credo serve never
-- redirects, so these are the non-2xx answers).
function done(summary, latency, requests_done)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    "serve_bench requests=%d seconds=%.3f rps=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d " ..
    "non2xx=%d socket_errors=%d timeouts=%d\n",
    summary.requests, seconds, summary.requests / seconds, math.floor(latency:percentile(50)),
    math.floor(latency:percentile(90)), math.floor(latency:percentile(99)), math.floor(latency:percentile(99.9)),
    math.floor(latency.max), errors.status,
    errors.connect + errors.read + errors.write, errors.timeout))
end
