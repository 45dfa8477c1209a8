-- wrk script of the hold benchmark: each thread POSTs its own share of the hold requests
-- (BODIES file, one JSON body per line, every one a distinct slot), each once; a thread that
-- has sent all of its share asks for its first slot again (answered 409, so the count of
-- holds taken, read from the database, stays exact). Every slot comes from its own customer:
-- X-Forwarded-For carries a distinct address per line (bench/run trusts it from 127.0.0.1
-- through mod_remoteip), so the active-holds count of an address counts that customer's holds,
-- as in production, not the whole run's. ONE_ADDRESS=1: every hold from 127.0.0.1 (one
-- client holding every slot, which only a lifted KonfirmadoActiveHoldLimit lets through).
local one_address = os.getenv("ONE_ADDRESS") == "1"
local bodies_file = os.getenv("BODIES")
local counter = 0

function setup(thread)
   counter = counter + 1
   thread:set("tid", counter)
end

function init(args)
   local n = tonumber(os.getenv("THREADS") or "1")
   bodies, addresses, i = {}, {}, 0
   local k = 0
   for line in io.lines(bodies_file) do
      if k % n == tid - 1 then
         table.insert(bodies, line)
         table.insert(addresses, string.format("10.%d.%d.%d", math.floor(k / 65536) % 256, math.floor(k / 256) % 256, k % 256))
      end
      k = k + 1
   end
end

function request()
   i = i + 1
   if i > #bodies then i = 1 end
   local headers = {["Content-Type"] = "application/json", ["Host"] = wrk.headers["Host"]}
   if not one_address then headers["X-Forwarded-For"] = addresses[i] end
   return wrk.format("POST", nil, headers, bodies[i])
end
