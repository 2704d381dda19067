-- The API load benchmark's clients for wrk (`api_load.py --generator wrk` runs it).
--
-- The same mix as benchmarks/api_locustfile.py: 85% reads (a case's record 40, its
-- assessment 20, a page of the case list 25), 10% opinions (a ministry reviewer's consent
-- on a case in review that asked its body) and 5% submissions (an exporter's new
-- application), each with the API token of the account entitled to it. LOAD_PLAN_LUA
-- names the plan as a Lua table (written by benchmarks/api_wrk.py from the plan of
-- api_site.prepare); the script's argument is a word that makes this run's ids its own.
-- wrk runs this file in each of its threads; `done` prints one line, RESULT {json}.

local plan = dofile(os.getenv("LOAD_PLAN_LUA"))
local threads = {}
counts = {}  -- global: `done` reads each thread's with thread:get
local made = 0
local nonce = "run"

function setup(thread)
  table.insert(threads, thread)
  thread:set("me", #threads)
end

function init(args)
  nonce = args[1] or nonce
  math.randomseed(os.time() + 7919 * me)
end

local function pick(list)
  return list[math.random(#list)]
end

local function reader()
  return { Authorization = "Bearer " .. pick(plan.readers) }
end

function request()
  local r = math.random(100)
  if r <= 40 then
    return wrk.format("GET", "/api/cases/" .. pick(plan.cases), reader())
  elseif r <= 60 then
    return wrk.format("GET", "/api/cases/" .. pick(plan.cases) .. "/assessment", reader())
  elseif r <= 85 then
    local offset = math.random(0, math.max(1, #plan.cases - 20) - 1)
    return wrk.format("GET", "/api/cases?limit=20&offset=" .. offset, reader())
  end
  made = made + 1
  local id = string.format("%s-%d-%d", nonce, me, made)
  if r <= 95 then
    local body = pick(plan.bodies)
    local headers = { Authorization = "Bearer " .. plan.body_tokens[body],
                      ["Content-Type"] = "application/json" }
    local opinion = string.format('{"body":"%s","decision":"consent","reason":"load-%s"}',
                                  body, id)
    return wrk.format("POST", "/api/cases/" .. pick(plan.consents[body]) .. "/opinions",
                      headers, opinion)
  end
  local template = pick(plan.templates)
  local headers = { Authorization = "Bearer " .. template.token,
                    ["Content-Type"] = "application/json" }
  local submission = template.json:gsub("__ID__", "W-" .. id)
  return wrk.format("POST", "/api/cases", headers, submission)
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local statuses = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("counts")) do
      statuses[#statuses + 1] = string.format('"%d":%d', status, n)
    end
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"socket_errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d},' ..
    '"statuses":[{%s}]}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.timeout,
    table.concat(statuses, "},{")))
end
