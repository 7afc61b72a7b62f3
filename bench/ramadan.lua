-- The Ramadan-night mix, one connection per wrk thread (so a thread's requests follow each other): VIEWS page views
-- (the last one the case's donation form), then a gift: the checkout (form POST with its CSRF token and session
-- cookie, answered by a redirect to the Stripe stand-in) and the signed webhook that confirms it. Webhooks were
-- signed in advance for the references the app will hand out (bench/ramadan.py); the checkout's redirect names the
-- reference (the stand-in's session id is cs_bench_<reference>). Loopback only.
-- args: pages file, gift cases file, webhooks file (reference TAB signature TAB payload), threads, views per gift
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

local function lines(path)
  local out = {}
  for line in io.lines(path) do out[#out + 1] = line end
  return out
end

function init(args)
  pages, gifts, hooks = lines(args[1]), lines(args[2]), {}
  for line in io.lines(args[3]) do
    local ref, sig, payload = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
    hooks[ref] = {sig, payload}
  end
  step, views = tonumber(args[4]), tonumber(args[5])
  page_i, gift_i, seen, state = id, id, 0, "page"
end

function request()
  if state == "page" then
    page_i = page_i + step
    return wrk.format("GET", pages[page_i % #pages + 1])
  elseif state == "form" then
    gift_i = gift_i + step
    code = gifts[gift_i % #gifts + 1]
    return wrk.format("GET", "/cases/" .. code .. "/donate")
  elseif state == "checkout" then
    local body = "csrf_token=" .. csrf .. "&amount=10&action=pay&anonymous=y&email=ramadan-" .. id .. "-" .. gift_i
      .. "%40example.org"
    return wrk.format("POST", "/cases/" .. code .. "/donate",
      {["Cookie"] = cookie, ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
  else
    local hook = hooks[ref]
    return wrk.format("POST", "/webhooks/stripe", {["Stripe-Signature"] = hook[1],
      ["Content-Type"] = "application/json"}, hook[2])
  end
end

function response(status, headers, body)
  if state == "page" then
    seen = seen + 1
    if seen % (views - 1) == 0 then state = "form" end
  elseif state == "form" then
    csrf = body:match('name="csrf_token" type="hidden" value="([^"]+)"') or body:match('name="csrf_token" value="([^"]+)"')
    local set = headers["Set-Cookie"]
    cookie = set and set:match("^([^;]+)")
    state = (csrf and cookie) and "checkout" or "page"
  elseif state == "checkout" then
    ref = (headers["Location"] or ""):match("cs_bench_([%w%-]+)")
    state = (ref and hooks[ref]) and "webhook" or "page"
  else
    state = "page"
  end
end
