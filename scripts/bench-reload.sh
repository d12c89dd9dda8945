#!/usr/bin/env bash
# How fast a running `flowgate serve` enforces a change on large settings
# (issue 13): 100,000 workflows and 1,000,000 user tokens, the real binary,
# the real store.
#
# It builds flowgate, fills a database (scripts/bench-fill.sql, or
# scripts/bench-fill-postgres.sql), starts `serve` and prints how long it
# took to answer /_flowgate/healthz with "ok" and its memory (VmRSS now,
# VmHWM the peak, from /proc). Then, ROUNDS times each, it changes a
# setting through the CLI and polls a call with curl until the change is
# enforced, printing the time from the command's return (the commit) to the
# first call decided the new way, and the memory after it:
#   set     `flowgate set bench-target --auth admin` (then back to user):
#           the user token's call gets 403 (then 200 again)
#   revoke  `flowgate token revoke ID` of one of ROUNDS user tokens made
#           for the run: that token's call gets 401
# The poll's resolution is one curl, a few milliseconds on an idle machine
# (many more on a busy one: the line says which call saw the change). So
# each line also gives, from serve's log, when the reload that applied the
# change ended, counted from the change's write, and what it took.
#
# BACKEND=postgres keeps the settings in a fresh database on the PostgreSQL
# server of $FLOWGATE_TEST_POSTGRES (a URL whose database may create
# others: the throwaway cluster of scripts/pg-test-cluster.sh; its password
# from $PGPASSFILE), created with psql, given its schema with `flowgate
# migrate` and dropped on exit; `serve` then learns of a change through
# LISTEN/NOTIFY instead of its poll. BACKEND=sqlite (the default) uses a
# file.
#
# BENCH_FLOWGATE=BINARY measures that flowgate binary instead of one built
# from this tree (an older build, for the figure before a change); the
# database is created by the binary measured.
#
# Usage: [BACKEND=postgres] scripts/bench-reload.sh [ROUNDS]   (default sqlite, 3)
# Needs curl and sqlite3 or psql (installed with apt-get when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
rounds=${1:-3}
backend=${BACKEND:-sqlite}
case $backend in
sqlite) client=sqlite3 ;;
postgres)
  [ -n "${FLOWGATE_TEST_POSTGRES:-}" ] || { echo "BACKEND=postgres needs FLOWGATE_TEST_POSTGRES, the URL of a PostgreSQL server to create a database on (see scripts/pg-test-cluster.sh)" >&2; exit 2; }
  client=psql ;;
*) echo "BACKEND=$backend: use sqlite or postgres" >&2; exit 2 ;;
esac

if ! command -v "$client" >/dev/null || ! command -v curl >/dev/null; then
  echo "== installing $client and curl"
  apt-get update -qq
  package=$client
  [ "$client" = psql ] && package=postgresql-client
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" curl >/dev/null
fi

. scripts/lib.sh
. scripts/bench-postgres.sh

if [ -n "${BENCH_FLOWGATE:-}" ]; then
  cp "$BENCH_FLOWGATE" "$work/flowgate"
else
  go build -o "$work/" ./cmd/flowgate
fi
# query SQL prints what SQL returns; fill adds the large settings; size
# prints the database's size in MB.
if [ "$backend" = postgres ]; then
  bench_postgres_database
  query() { psql "$db" -X -At -v ON_ERROR_STOP=1 -c "$1"; }
  fill() { psql "$db" -X -q -v ON_ERROR_STOP=1 -f scripts/bench-fill-postgres.sql; }
  size() { query "SELECT pg_database_size(current_database()) / 1048576"; }
else
  db="$work/flowgate.db"
  query() { sqlite3 "$db" "$1"; }
  fill() { sqlite3 "$db" <scripts/bench-fill.sql; }
  size() { du -m "$db" | cut -f1; }
fi
fg() { "$work/flowgate" --db "$db" "$@"; } # not for servers: $! would be a subshell
ms() { echo $(($(date +%s%N) / 1000000)); }

fg add bench-target --public --auth user >/dev/null
secrets=() ids=()
for i in $(seq "$rounds"); do
  secrets+=("$(fg token create --user "bench-$i" --name "bench-$i" --quiet 2>/dev/null)")
  ids+=("$(query "SELECT id FROM tokens WHERE name = 'bench-$i'")")
done
echo "== filling the $backend database: 100,000 workflows, 1,000,000 user tokens"
start=$(ms)
fill
echo "filled in $(($(ms) - start)) ms ($(size) MB)"

# Two free loopback ports below the kernel's range of ephemeral ports,
# which client sockets elsewhere on the machine could take first.
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
ports=()
while [ "${#ports[@]}" -lt 2 ]; do
  p=$((10000 + RANDOM % (ephemeral_low - 10000)))
  (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
  [[ " ${ports[*]} " == *" $p "* ]] || ports+=("$p")
done
listen=${ports[0]} gateway=${ports[1]}
echo "backend $backend; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(ms)
"$work/flowgate" --db "$db" serve --listen "127.0.0.1:$listen" --gateway-listen "127.0.0.1:$gateway" \
  --access-log off 2>"$work/serve.log" &
pid=$!
pids+=("$pid")
until curl -sf "http://127.0.0.1:$gateway/_flowgate/healthz" 2>/dev/null | grep -q '"status":"ok"'; do
  kill -0 "$pid" 2>/dev/null || { cat "$work/serve.log"; exit 1; }
  sleep 0.01
done
memory() { awk '/^VmRSS|^VmHWM/ {printf "%s %d MB  ", $1, $2 / 1024}' "/proc/$pid/status"; }
echo "started healthy in $(($(ms) - start)) ms; $(memory)"

# outcome SECRET: the status of the bench token's call.
outcome() {
  curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $1" \
    "http://127.0.0.1:$listen/api/1.1/wf/bench-target"
}
# reloaded N: "AT TOOK" of serve's Nth "settings reloaded" log line: when
# it was logged (ms since the epoch) and how long the reload took; it
# waits for the line (the log is written every 100 ms).
reloaded() {
  local line deadline=$(($(ms) + 10000))
  until line=$(grep '"msg":"settings reloaded"' "$work/serve.log" | sed -n "$1p") && [ -n "$line" ]; do
    [ "$(ms)" -lt "$deadline" ] || { echo "no reload logged after the change" >&2; exit 1; }
    sleep 0.05
  done
  echo "$(date -d "$(grep -o '"time":"[^"]*"' <<<"$line" | cut -d'"' -f4)" +%s%3N)" \
    "$(grep -o '"took":"[^"]*"' <<<"$line" | cut -d'"' -f4)"
}
reloads=0
# enforced WHAT SECRET STATUS: polls until the call gets STATUS and prints
# the time since the change's command returned, and which call saw the
# change first (when the first one did, that time is what one call took:
# on a busy machine, mostly starting curl). Then, from serve's log, when
# its reload that applied the change ended, counted from the change's
# write (its `at` in the change trail, taken inside the writing
# transaction), and how long the reload itself took.
enforced() {
  local from=$(ms) deadline=$(($(ms) + 300000)) calls=1 at took written
  until [ "$(outcome "$2")" = "$3" ]; do
    [ "$(ms)" -lt "$deadline" ] || { echo "$1: not enforced after 300 s"; tail -n 5 "$work/serve.log"; exit 1; }
    calls=$((calls + 1))
  done
  local now=$(ms)
  reloads=$((reloads + 1))
  read -r at took <<<"$(reloaded "$reloads")"
  written=$(date -d "$(query "SELECT max(at) FROM changes")" +%s%3N)
  printf '%-17s enforced %4d ms after the command returned (call %d); reloaded %4d ms after the write (took %s); %s\n' \
    "$1" $((now - from)) "$calls" $((at - written)) "$took" "$(memory)"
}

last=${secrets[$((rounds - 1))]}
[ "$(outcome "$last")" = 200 ] || { echo "the user token's call is not allowed before any change"; exit 1; }
for i in $(seq 0 $((rounds - 1))); do
  fg set bench-target --auth admin >/dev/null 2>&1
  enforced "set --auth admin" "$last" 403
  fg set bench-target --auth user >/dev/null 2>&1
  enforced "set --auth user" "$last" 200
  fg token revoke "${ids[$i]}" >/dev/null
  enforced "token revoke" "${secrets[$i]}" 401
done
echo "load average now $(cut -d' ' -f1-3 /proc/loadavg)"
