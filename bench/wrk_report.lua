-- wrk script for the harness: rotates over the paths given after "--", asks for gzip like a
-- browser, and prints one machine-readable line with the percentiles wrk's --latency omits (p95).
local paths = {}
local counter = 0

function init(args)
  for _, path in ipairs(args) do
    table.insert(paths, path)
  end
  wrk.headers["Accept-Encoding"] = "gzip"
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
