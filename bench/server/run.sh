#!/usr/bin/env bash
# The web application under load on loopback: wrk against the person page and
# search, on a demo vault of synthetic people, with an unlocked session.
#   bench/server/run.sh BUILD_DIR [PEOPLE] [SECONDS]
# Needs wrk and curl (apt-get install wrk curl). Prints the figures that
# bench/server/RESULTS.md records, and the baseline in the same run: the static
# stylesheet, which touches neither the vault nor the templates.
set -euo pipefail
build="${1:?usage: run.sh BUILD_DIR [PEOPLE] [SECONDS]}"
people="${2:-100000}"
seconds="${3:-15}"
izde="$(cd "$build" && pwd)/izde"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d /tmp/izde-server-bench.XXXXXX)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true  # it locks and closes the vault before exiting
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "synthetic benchmark passphrase" > "$work/pass"
export IZDE_PASSPHRASE_FILE="$work/pass"
"$izde" -q --vault "$work/v" init --kdf-cost test-only-minimum
start=$(date +%s.%N)
"$izde" -q --vault "$work/v" demo --people "$people"
echo "demo vault: $people people in $(echo "$(date +%s.%N) - $start" | bc) s, $(du -sh "$work/v" | cut -f1)"

"$izde" --vault "$work/v" serve --listen 127.0.0.1:0 --idle-lock 0 >"$work/out" 2>"$work/err" &
server_pid=$!
for _ in $(seq 100); do grep -q http "$work/out" 2>/dev/null && break; sleep 0.1; done
url="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/out")"

csrf="$(curl -s -c "$work/jar" "$url/unlock" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 |
  sed 's/.*value="//; s/"//')"
start=$(date +%s.%N)
curl -s -b "$work/jar" -c "$work/jar" -o /dev/null -w '%{http_code}' \
  --data-urlencode "csrf=$csrf" --data-urlencode "user=admin" \
  --data-urlencode "passphrase=synthetic benchmark passphrase" --data-urlencode "next=/" \
  "$url/unlock" | grep -q 303
echo "unlock (index build + link table): $(echo "$(date +%s.%N) - $start" | bc) s"
echo "server memory after unlock: $(ps -o rss= -p "$server_pid" | awk '{printf "%.0f MiB", $1/1024}')"
cookie="izde_session=$(awk '$6 == "izde_session" {print $7}' "$work/jar")"

person="$("$izde" --vault "$work/v" --json search Tursun --limit 1 | grep -o '"id": "P-[0-9]*"' |
  head -1 | sed 's/.*"P-/P-/; s/"//')"
code="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $cookie" "$url/person/$person")"
[ "$code" = 200 ] || { echo "person page answered $code"; exit 1; }

run() {
  local name="$1" path="$2" conns="$3"
  echo "== $name: GET $path, $conns connections, ${seconds}s"
  wrk -t"$(( conns < 2 ? 1 : 2 ))" -c"$conns" -d"${seconds}s" --latency -s "$here/p95.lua" \
    -H "Cookie: $cookie" "$url$path" |
    grep -E 'Requests/sec|Latency  |  50%|  90%|  95%|  99%|Non-2xx'
}
run "baseline: stylesheet" /static/style.css 16
run "dashboard" / 16
run "person page" "/person/$person" 16
run "search (Latin spelling, cross-script)" "/search?q=Tursun" 16
run "search (a place name)" "/search?q=Ghulja" 16
run "search, one client: the cost of one query" "/search?q=Tursun" 1
run "search with facets (hometown in another script, birth years)" \
  "/search?q=Tursun&hometown=%D2%9A%D2%B1%D0%BB%D0%B6%D0%B0&birth=1960-1990" 16

# Review queue and inquiries: the first request reads every record of the vault (the
# review's view); the server keeps it, so the ones after do not.
echo "== review queue: the first request makes the review"
echo "first GET /review: $(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$url/review") s"
echo "server memory with the review kept: $(ps -o rss= -p "$server_pid" | awk '{printf "%.0f MiB", $1/1024}')"
run "review queue (kept)" /review 16
run "inquiries (kept)" /inquiries 16

# Testimony intake: each request saves a new person and a testimony (durable: one
# transaction, fsynced) through the same form the browser posts, with the
# "none of them: a new person" choice made, so no candidate search runs.
csrf="$(curl -s -b "$work/jar" "$url/new/testimony" | grep -o 'name="csrf" value="[0-9a-f]*"' |
  head -1 | sed 's/.*value="//; s/"//')"
total() { curl -s -b "$work/jar" "$url/" | tr -d '\n' | grep -o 'class="total">[^/]*</th><td>[0-9]*' | grep -o '[0-9]*$'; }
before="$(total)"
cat >"$work/intake.lua" <<LUA
wrk.method = "POST"
wrk.body = "csrf=$csrf&person_name=Bench%20Intake%20Person&checked_duplicates=1&use_person=&event_kind=detained&event_date=2018&summary=synthetic%20benchmark%20testimony&consent_name=1"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA
cat "$here/p95.lua" >>"$work/intake.lua"
echo "== testimony intake: POST /new/testimony, 16 connections, ${seconds}s (303 = saved)"
wrk -t2 -c16 -d"${seconds}s" --latency -s "$work/intake.lua" -H "Cookie: $cookie" \
  "$url/new/testimony" | grep -E 'Requests/sec|Latency  |  50%|  90%|  95%|  99%|Non-2xx|requests in'
echo "records saved by the intake run: $(( $(total) - before )) (person, event and testimony: three per request)"
echo "server memory after the runs: $(ps -o rss= -p "$server_pid" | awk '{printf "%.0f MiB", $1/1024}')"
