-- wrk script: post each pre-signed Stripe webhook once.
-- Arguments (after --): the file of requests (one "signature<TAB>body" per line) and the number of wrk threads.
-- Thread k posts lines k, k + threads, k + 2 * threads, ...; past its last line it repeats that one (the server
-- answers a replay as a duplicate) until the bench, which watches the payments in the database, stops wrk.

local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  local path, threads = args[1], tonumber(args[2])
  mine, sent = {}, 0
  local index = 0
  for line in io.lines(path) do
    if index % threads == id then
      local tab = line:find("\t", 1, true)
      mine[#mine + 1] = wrk.format("POST", "/webhooks/stripe",
        {["Stripe-Signature"] = line:sub(1, tab - 1), ["Content-Type"] = "application/json"}, line:sub(tab + 1))
    end
    index = index + 1
  end
end

function request()
  -- wrk calls request() once on the first thread to check the script and discards the result: do not consume.
  if id == 0 and not checked then
    checked = true
    return mine[1]
  end
  sent = math.min(sent + 1, #mine)
  return mine[sent]
end
