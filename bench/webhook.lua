-- wrk script of the webhook ingest benchmark: each thread POSTs its own share of the
-- pre-signed events (EVENTS file, one per line: "<headers>\t<body>", the headers "Name: value"
-- joined by \x1f, none for Wompi), every
-- event once; a thread that has sent all of its share sends the first again (answered as a
-- duplicate, counted apart).
local events_file = os.getenv("EVENTS")
local counter = 0
local threads = {}

function setup(thread)
   counter = counter + 1
   thread:set("tid", counter)
   table.insert(threads, thread)
end

function init(args)
   local n = tonumber(os.getenv("THREADS") or "1")
   events, i = {}, 0
   local k = 0
   for line in io.lines(events_file) do
      if k % n == tid - 1 then
         local head, body = line:match("^([^\t]*)\t(.*)$")
         local headers = {}
         for name, value in head:gmatch("([^:\31]+): ([^\31]*)") do headers[name] = value end
         table.insert(events, {headers = headers, body = body})
      end
      k = k + 1
   end
   sent_all = 0
end

function request()
   i = i + 1
   if i > #events then i = 1; sent_all = sent_all + 1 end
   -- the platform host (-H "Host: ..."): any other host is answered 404 unknown_host
   local headers = {["Content-Type"] = "application/json", ["Host"] = wrk.headers["Host"]}
   for name, value in pairs(events[i].headers) do headers[name] = value end
   return wrk.format("POST", nil, headers, events[i].body)
end
