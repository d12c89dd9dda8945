#!/usr/bin/env bash
# How fast a running `flowgate serve` enforces a change on large settings
# (issue 13): 100,000 workflows and 1,000,000 user tokens
# (scripts/bench-fill.sql), the real binary, the real file.
#
# It builds flowgate, fills a database, starts `serve` and prints how long
# it took to answer /_flowgate/healthz with "ok" and its memory (VmRSS now,
# VmHWM the peak, from /proc). Then, ROUNDS times each, it changes a
# setting through the CLI and polls a call with curl until the change is
# enforced, printing the time from the command's return (the commit) to the
# first call decided the new way, and the memory after it:
#   set     `flowgate set bench-target --auth admin` (then back to user):
#           the user token's call gets 403 (then 200 again)
#   revoke  `flowgate token revoke ID` of one of ROUNDS user tokens made
#           for the run: that token's call gets 401
# The poll's resolution is one curl, a few milliseconds.
#
# BENCH_FLOWGATE=BINARY measures that flowgate binary instead of one built
# from this tree (an older build, for the figure before a change); the
# database is created by the binary measured.
#
# Usage: scripts/bench-reload.sh [ROUNDS]   (default 3)
# Needs sqlite3 and curl (installed with apt-get when missing, as root).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
rounds=${1:-3}

if ! command -v sqlite3 >/dev/null || ! command -v curl >/dev/null; then
  echo "== installing sqlite3 and curl"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sqlite3 curl >/dev/null
fi

. scripts/lib.sh

if [ -n "${BENCH_FLOWGATE:-}" ]; then
  cp "$BENCH_FLOWGATE" "$work/flowgate"
else
  go build -o "$work/" ./cmd/flowgate
fi
db="$work/flowgate.db"
fg() { "$work/flowgate" --db "$db" "$@"; } # not for servers: $! would be a subshell
ms() { echo $(($(date +%s%N) / 1000000)); }

fg add bench-target --public --auth user >/dev/null
secrets=() ids=()
for i in $(seq "$rounds"); do
  secrets+=("$(fg token create --user "bench-$i" --name "bench-$i" --quiet 2>/dev/null)")
  ids+=("$(sqlite3 "$db" "SELECT id FROM tokens WHERE name = 'bench-$i'")")
done
echo "== filling $db: 100,000 workflows, 1,000,000 user tokens"
start=$(ms)
sqlite3 "$db" <scripts/bench-fill.sql
echo "filled in $(($(ms) - start)) ms ($(du -m "$db" | cut -f1) MB)"

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
# enforced WHAT SECRET STATUS: polls until the call gets STATUS and prints
# the time since the change's command returned.
enforced() {
  local from=$(ms) deadline=$(($(ms) + 300000))
  until [ "$(outcome "$2")" = "$3" ]; do
    [ "$(ms)" -lt "$deadline" ] || { echo "$1: not enforced after 300 s"; tail -n 5 "$work/serve.log"; exit 1; }
  done
  printf '%-22s enforced %5d ms after the command returned; %s\n' "$1" $(($(ms) - from)) "$(memory)"
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
grep -o '"msg":"settings reloaded"[^}]*"took":"[^"]*"' "$work/serve.log" | tail -n 3 | sed 's/^/log: /'
