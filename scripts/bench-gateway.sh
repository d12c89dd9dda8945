#!/usr/bin/env bash
# Throughput of flowgate's forward-auth endpoint against a bare net/http
# handler, measured with wrk in the same run on the same machine.
#
# Both servers answer 200 to the same GET: flowgate decides an admin-token
# call to an Admin only workflow (credential parsing, checksum, SHA-256,
# lookups, Decide, identity headers, access log line, call log queue); the
# bare handler only sets one header. Prints requests/s of each and the ratio.
#
# Usage: scripts/bench-gateway.sh [DURATION] [CONNECTIONS]   (default 10s, 32)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
duration=${1:-10s}
connections=${2:-32}

if ! command -v wrk >/dev/null || ! command -v curl >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk curl >/dev/null
fi

. scripts/lib.sh

go build -o "$work/flowgate" ./cmd/flowgate
# The baseline: the smallest net/http server, built the same way.
mkdir "$work/bare"
cat >"$work/bare/main.go" <<'EOF'
package main

import (
	"net/http"
	"os"
)

func main() {
	http.ListenAndServe(os.Args[1], http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Flowgate-Auth", "admin")
		w.WriteHeader(http.StatusOK)
	}))
}
EOF
(cd "$work/bare" && printf 'module bare\ngo 1.26\n' >go.mod && go build -o "$work/bare-server" .)

db="$work/flowgate.db"
"$work/flowgate" --db "$db" add send-invoice --public --auth admin >/dev/null
token=$("$work/flowgate" --db "$db" token create --admin --name bench --quiet)

fg_port=$(free_port)
bare_port=$(free_port)
while [ "$bare_port" = "$fg_port" ]; do bare_port=$(free_port); done
"$work/flowgate" --db "$db" serve --listen "127.0.0.1:$fg_port" 2>"$work/flowgate.log" &
pids+=($!)
"$work/bare-server" "127.0.0.1:$bare_port" &
pids+=($!)

headers=(-H "X-Forwarded-Method: POST" -H "X-Forwarded-Uri: /api/1.1/wf/send-invoice?customer=42" -H "Authorization: Bearer $token")
for i in $(seq 1 100); do
  if curl -fs --max-time 2 "${headers[@]}" "http://127.0.0.1:$fg_port/_flowgate/auth" >/dev/null &&
    curl -fs --max-time 2 "http://127.0.0.1:$bare_port/" >/dev/null; then
    break
  fi
  [ "$i" = 100 ] && { echo "servers did not start"; cat "$work/flowgate.log"; exit 1; }
  sleep 0.1
done

# rps URL: wrk's requests per second, failing on any non-2xx answer.
rps() {
  local out
  out=$(wrk -t 1 -c "$connections" -d "$duration" --latency "${headers[@]}" "$1")
  if grep -q "Non-2xx" <<<"$out"; then
    echo "unexpected non-2xx answers from $1:" >&2
    echo "$out" >&2
    exit 1
  fi
  echo "$out" | awk '/^Requests\/sec:/ {print $2}'
}

echo "wrk: 1 thread, $connections connections, $duration each, $(nproc) cores"
rps "http://127.0.0.1:$bare_port/" >/dev/null # warm-up
bare=$(rps "http://127.0.0.1:$bare_port/")
flowgate=$(rps "http://127.0.0.1:$fg_port/_flowgate/auth")
bare2=$(rps "http://127.0.0.1:$bare_port/")
flowgate2=$(rps "http://127.0.0.1:$fg_port/_flowgate/auth")
awk -v b1="$bare" -v b2="$bare2" -v f1="$flowgate" -v f2="$flowgate2" 'BEGIN {
  b = (b1 + b2) / 2; f = (f1 + f2) / 2
  printf "bare net/http handler:  %10.0f req/s  (runs: %.0f, %.0f)\n", b, b1, b2
  printf "flowgate /_flowgate/auth: %8.0f req/s  (runs: %.0f, %.0f)\n", f, f1, f2
  printf "ratio flowgate/bare:    %10.2f\n", f / b
}'
kill -TERM "${pids[0]}"
wait "${pids[0]}" || true
grep -o '"calls_logged":[0-9]*,"calls_dropped":[0-9]*' "$work/flowgate.log" || true
