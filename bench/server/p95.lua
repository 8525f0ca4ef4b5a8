-- wrk prints the 50th, 75th, 90th and 99th percentiles; the web issue's search target
-- is a 95th. Loaded by run.sh for every route (and appended to the intake script).
done = function(summary, latency, requests)
  io.write(string.format("     95%%  %8.2fms\n", latency:percentile(95) / 1000))
end
