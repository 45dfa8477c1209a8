-- Open-loop load for wrk: requests leave at a fixed arrival rate whatever the server's
-- answers take, and each answer's latency is counted from the moment its request was due,
-- not from when a free connection sent it (what wrk2 does; Debian ships only wrk, whose own
-- latency figure counts from the send and so leaves out the wait of a request that could not
-- leave on time: "coordinated omission").
--
--   RATE=600 BODY_SCRIPT=bench/holds.lua BODIES=... THREADS=2 \
--     wrk -t2 -c64 -d10s -s bench/paced.lua URL
--
-- BODY_SCRIPT is one of the closed-loop scripts (holds.lua, webhook.lua): it makes the
-- requests; this one schedules them. Each thread sends its share of RATE on a fixed grid,
-- slot k due at t0 + k / share. wrk asks delay() before every request of every connection:
-- it answers the time left to the next slot not yet promised, so a connection never sends
-- early; when every connection is busy the slots fall behind and the next free connection
-- sends at once, its latency counted from the slot's time. The slot's number travels in
-- X-Bench-Seq, which the server echoes (bench/run's `Header echo`), so each answer finds
-- its slot whatever order the connections answer in. At the end, slots due but not answered
-- are counted with the time they had waited so far (a lower bound), not left out.
local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } kf_paced_timespec;
int clock_gettime(int clock, kf_paced_timespec *ts);
]]
local timespec = ffi.new("kf_paced_timespec")
local function now_us()
   ffi.C.clock_gettime(1, timespec) -- CLOCK_MONOTONIC
   return tonumber(timespec.tv_sec) * 1e6 + tonumber(timespec.tv_nsec) / 1e3
end

dofile(os.getenv("BODY_SCRIPT"))
local body_setup, body_init, body_request = setup, init, request
local threads = {}

function setup(thread)
   body_setup(thread)
   table.insert(threads, thread)
end

-- latency histogram: 10-us buckets to 100 ms, then 1-ms buckets to 60 s
local function bucket(us)
   if us < 100000 then return math.floor(us / 10) end
   return 10000 + math.min(59900, math.floor((us - 100000) / 1000))
end

local function bucket_us(b)
   if b < 10000 then return (b + 1) * 10 end
   return 100000 + (b - 10000 + 1) * 1000
end

function init(args)
   body_init(args)
   local n = tonumber(os.getenv("THREADS") or "1")
   interval = 1e6 * n / tonumber(os.getenv("RATE"))
   -- the threads' grids interleave
   offset = (tid - 1) * interval / n
   t0 = nil
   promised, sent, answered, other_status, unmatched = 0, 0, 0, 0, 0
   histogram, in_flight = {}, {}
end

function delay()
   local now = now_us()
   if not t0 then t0 = now + offset end
   local due = t0 + promised * interval
   promised = promised + 1
   return math.max(0, math.ceil((due - now) / 1000))
end

function request()
   -- wrk asks one request of the first thread before the run, to check the script: no slot
   if not t0 then return body_request() end
   local k = sent
   sent = sent + 1
   in_flight[k] = true
   local r = body_request()
   return (r:gsub("\r\n", "\r\nX-Bench-Seq: " .. k .. "\r\n", 1))
end

function response(status, headers, body)
   local k = tonumber(headers["X-Bench-Seq"])
   if not k then
      unmatched = unmatched + 1
      return
   end
   in_flight[k] = nil
   answered = answered + 1
   if status < 200 or status > 299 then other_status = other_status + 1 end
   local b = bucket(now_us() - (t0 + k * interval))
   histogram[b] = (histogram[b] or 0) + 1
end

-- the slots a thread owes at `finish`: in flight, or due and never sent; their wait so far
local function owed(thread, finish)
   local t0, interval, sent = thread:get("t0"), thread:get("interval"), thread:get("sent")
   local waits = {}
   if not t0 then return waits end
   for k in pairs(thread:get("in_flight")) do table.insert(waits, finish - (t0 + k * interval)) end
   local k = sent
   while t0 + k * interval <= finish do
      table.insert(waits, finish - (t0 + k * interval))
      k = k + 1
   end
   return waits
end

function done(summary, latency, requests)
   local merged, total, answered_all, other_all, unmatched_all, owed_all = {}, 0, 0, 0, 0, 0
   local seconds = summary.duration / 1e6
   for _, thread in ipairs(threads) do
      for b, count in pairs(thread:get("histogram")) do
         merged[b] = (merged[b] or 0) + count
         total = total + count
      end
      answered_all = answered_all + thread:get("answered")
      other_all = other_all + thread:get("other_status")
      unmatched_all = unmatched_all + thread:get("unmatched")
   end
   for _, thread in ipairs(threads) do
      -- the load stopped `seconds` after the thread's first slot (less its offset)
      local t0 = thread:get("t0")
      local finish = t0 and math.min(now_us(), t0 - thread:get("offset") + summary.duration) or 0
      for _, w in ipairs(owed(thread, finish)) do
         local b = bucket(math.max(0, w))
         merged[b] = (merged[b] or 0) + 1
         total = total + 1
         owed_all = owed_all + 1
      end
   end
   local keys = {}
   for b in pairs(merged) do table.insert(keys, b) end
   table.sort(keys)
   local function pct(p)
      local want, seen = math.ceil(total * p / 100), 0
      for _, b in ipairs(keys) do
         seen = seen + merged[b]
         if seen >= want then return bucket_us(b) / 1000 end
      end
      return 0 / 0
   end
   local e = summary.errors
   io.write(string.format("paced: rate %s/s asked, %.1f/s answered, %d answers, %d not 2xx, %d owed at the end,"
                             .. " %d without a slot\n", os.getenv("RATE"), answered_all / seconds, answered_all,
                          other_all, owed_all, unmatched_all))
   io.write(string.format("paced latency from the due time: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms\n",
                          pct(50), pct(99), pct(99.9), pct(100)))
   io.write(string.format("paced socket errors: connect %d, read %d, write %d, timeout %d\n",
                          e.connect, e.read, e.write, e.timeout))
end
