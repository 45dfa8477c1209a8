-- wrk script of the hold benchmark: each thread POSTs its own share of the hold requests
-- (BODIES file, one JSON body per line, every one a distinct slot), each once; a thread that
-- has sent all of its share asks for its first slot again (answered 409, so the count of
-- holds taken, read from the database, stays exact).
local bodies_file = os.getenv("BODIES")
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("tid", counter)
end

function init(args)
   local n = tonumber(os.getenv("THREADS") or "1")
   bodies, i = {}, 0
   local k = 0
   for line in io.lines(bodies_file) do
      if k % n == tid - 1 then table.insert(bodies, line) end
      k = k + 1
   end
end

function request()
   i = i + 1
   if i > #bodies then i = 1 end
   local headers = {["Content-Type"] = "application/json", ["Host"] = wrk.headers["Host"]}
   return wrk.format("POST", nil, headers, bodies[i])
end
