-- wrk script: POST /api/v1/access/decide with a random seeded credential at a random
-- reader (bench_access seed: 50 k people "B%07X", 200 readers), half in, half out.
local token = os.getenv("BENCH_TOKEN")
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token

request = function()
  local body = string.format('{"reader_id":%d,"credential":"B%07X","direction":"%s"}',
    math.random(1, 200), math.random(1, 50000), math.random() < 0.5 and "in" or "out")
  return wrk.format(nil, "/api/v1/access/decide", nil, body)
end

local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency)
  io.write(string.format("RESULT rps=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.errors.status))
end
