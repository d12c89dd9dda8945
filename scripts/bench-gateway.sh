#!/usr/bin/env bash
# The three gateway throughput ratios of issue 11, from one run on one
# machine, each flowgate path against its baseline doing the same HTTP work
# without flowgate's:
#
#   forward-auth  flowgate /_flowgate/auth        vs a bare net/http handler that sets one header
#   nginx         nginx auth_request -> flowgate   vs nginx auth_request -> that bare handler
#                 /_flowgate/nginx-auth
#   proxy         flowgate serve --upstream        vs a bare httputil.ReverseProxy (same transport)
#
# Everything is started here on loopback ports and stopped on exit: two
# flowgate servers (one without upstream for the forward-auth endpoints, one
# with --upstream), the bare handler (scripts/bareauth), the bare proxy
# (scripts/bareproxy), a second bareauth as the upstream app of every
# proxied path, and two nginx instances with the configuration of
# docs/gateways.md (one asking flowgate, one asking the bare handler; nginx's
# own access log off on both). flowgate runs as shipped: access log to a
# file, call log to the database.
#
# Every call is an allowed admin-token POST to an Admin only workflow. wrk
# runs 1 thread and CONNECTIONS connections for DURATION against each
# server, baseline and flowgate alternating, in two rounds; each server's
# figure is the BEST of its two runs (the run least disturbed by other load
# on the machine). Beside req/s it prints the CPU time all the servers
# (nginx included, wrk not) spent per request, the lowest of the two runs:
# on a machine shared with other work, that ratio moves less than req/s
# does. Each wrk is killed after DURATION + 20 s at most; the
# whole run takes about 12 × DURATION plus start-up.
#
# BENCH_PERF=DIR also records a CPU profile (perf, call graphs) of the Go
# server of each path (flowgate, or the bare one) during its first run,
# into DIR/NAME.perf.data, NAME as in the "runs" lines. The profiled run is
# slower; the other run of the two usually gives the best figure.
#
# BENCH_FLOWGATE=BINARY measures that flowgate binary instead of one built
# from this tree (to compare builds under the same conditions).
#
# BACKEND=postgres keeps the settings and the call log in a fresh database
# on the PostgreSQL server of $FLOWGATE_TEST_POSTGRES (a URL whose database
# may create others: the throwaway cluster of scripts/pg-test-cluster.sh;
# its password from $PGPASSFILE), created with psql, given its schema with
# `flowgate migrate` and dropped on exit. BACKEND=sqlite (the default) uses
# a file. Decisions never touch the store, so the ratios should not move;
# the call log's writes do go to the backend.
#
# Usage: [BACKEND=postgres] scripts/bench-gateway.sh [DURATION] [CONNECTIONS]   (default sqlite, 5s, 32)
# Needs root to install wrk, nginx-light and curl when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"
duration=${1:-5s}
connections=${2:-32}
perf_dir=${BENCH_PERF:-}
backend=${BACKEND:-sqlite}
case $backend in
sqlite) ;;
postgres)
  [ -n "${FLOWGATE_TEST_POSTGRES:-}" ] || { echo "BACKEND=postgres needs FLOWGATE_TEST_POSTGRES, the URL of a PostgreSQL server to create a database on (see scripts/pg-test-cluster.sh)" >&2; exit 2; }
  command -v psql >/dev/null || { echo "BACKEND=postgres needs psql (Debian: postgresql-client)" >&2; exit 2; } ;;
*) echo "BACKEND=$backend: use sqlite or postgres" >&2; exit 2 ;;
esac

if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null || ! command -v curl >/dev/null; then
  echo "== installing wrk, nginx-light and curl"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light curl >/dev/null
fi

. scripts/lib.sh
. scripts/bench-postgres.sh

go build -o "$work/" ./cmd/flowgate ./scripts/bareauth ./scripts/bareproxy
# BENCH_FLOWGATE: another flowgate binary to measure (an older build, say).
[ -n "${BENCH_FLOWGATE:-}" ] && cp "$BENCH_FLOWGATE" "$work/flowgate"
if [ "$backend" = postgres ]; then
  bench_postgres_database
else
  db="$work/flowgate.db"
fi
fg() { "$work/flowgate" --db "$db" "$@"; } # not for servers: $! would be a subshell
fg add send-invoice --public --auth admin >/dev/null
token=$(fg token create --admin --name bench --quiet)

# Seven distinct free loopback ports, below the kernel's range of
# ephemeral ports: the load opens and closes connections by the thousand
# (as may other work on the machine), and a port chosen in that range can
# be taken by a client socket before a server binds it.
ephemeral_low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range)
ports=()
while [ "${#ports[@]}" -lt 7 ]; do
  p=$((10000 + RANDOM % (ephemeral_low - 10000)))
  (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
  [[ " ${ports[*]} " == *" $p "* ]] || ports+=("$p")
done
app_port=${ports[0]} bareauth_port=${ports[1]} fg_port=${ports[2]}
fgproxy_port=${ports[3]} bareproxy_port=${ports[4]}
ngx_fg_port=${ports[5]} ngx_bare_port=${ports[6]}

"$work/bareauth" "127.0.0.1:$app_port" 2>"$work/app.log" &
pids+=($!)
"$work/bareauth" "127.0.0.1:$bareauth_port" 2>"$work/bareauth.log" &
bareauth_pid=$!
pids+=($bareauth_pid)
"$work/bareproxy" "127.0.0.1:$bareproxy_port" "http://127.0.0.1:$app_port" 2>"$work/bareproxy.log" &
bareproxy_pid=$!
pids+=($bareproxy_pid)
"$work/flowgate" --db "$db" serve --listen "127.0.0.1:$fg_port" 2>"$work/flowgate.log" &
fg_pid=$!
pids+=($fg_pid)
"$work/flowgate" --db "$db" serve --listen "127.0.0.1:$fgproxy_port" --upstream "http://127.0.0.1:$app_port" 2>"$work/flowgate-proxy.log" &
fgproxy_pid=$!
pids+=($fgproxy_pid)

# start_nginx NAME LISTEN_PORT AUTH_PORT: nginx with the docs/gateways.md
# configuration, asking AUTH_PORT, proxying to the app.
start_nginx() {
  local dir="$work/nginx-$1"
  mkdir -p "$dir/tmp" "$dir/logs"
  chmod 755 "$work" "$dir"
  chmod 1777 "$dir/tmp"
  sed -n '/<!-- nginx-config:begin -->/,/<!-- nginx-config:end -->/p' docs/gateways.md |
    sed '/^<!--/d; /^```/d' |
    sed "s/127\.0\.0\.1:8420/127.0.0.1:$3/; s/127\.0\.0\.1:3000/127.0.0.1:$app_port/; s/listen 8080;/listen 127.0.0.1:$2;/" \
      >"$dir/gateway.conf"
  grep -q "127.0.0.1:$3" "$dir/gateway.conf" || { echo "FAIL: could not extract the nginx config from docs/gateways.md"; exit 1; }
  cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;

    include $dir/gateway.conf;
}
EOF
  nginx -t -q -p "$dir" -c "$dir/nginx.conf"
  nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
  pids+=($!)
}
start_nginx flowgate "$ngx_fg_port" "$fg_port"
start_nginx bare "$ngx_bare_port" "$bareauth_port"

workflow="/api/1.1/wf/send-invoice?customer=42"
auth=(-H "Authorization: Bearer $token")
forwarded=(-H "X-Forwarded-Method: POST" -H "X-Forwarded-Uri: $workflow")
# The URL and headers of each measured server, by name.
declare -A url=(
  [bare-auth]="http://127.0.0.1:$bareauth_port/"
  [flowgate-auth]="http://127.0.0.1:$fg_port/_flowgate/auth"
  [nginx-bare]="http://127.0.0.1:$ngx_bare_port$workflow"
  [nginx-flowgate]="http://127.0.0.1:$ngx_fg_port$workflow"
  [bare-proxy]="http://127.0.0.1:$bareproxy_port$workflow"
  [flowgate-proxy]="http://127.0.0.1:$fgproxy_port$workflow"
)
# method NAME: GET for the forward-auth endpoints (as gateways ask), else POST.
method() { case $1 in *-auth) echo GET ;; *) echo POST ;; esac; }

# answer NAME [curl args]: the status one request to NAME gets.
answer() {
  local name=$1
  shift
  curl -s --max-time 2 -o /dev/null -w '%{http_code}' -X "$(method "$name")" "${forwarded[@]}" "$@" "${url[$name]}" || true
}

for i in $(seq 1 300); do
  waiting=
  for name in "${!url[@]}"; do
    [ "$(answer "$name" "${auth[@]}")" = 200 ] || waiting+=" $name"
  done
  [ -z "$waiting" ] && break
  if [ "$i" = 300 ]; then
    echo "FAIL: servers did not answer 200:$waiting"
    cat "$work"/*.log "$work"/nginx-*/logs/error.log
    exit 1
  fi
  sleep 0.2
done
# The flowgate paths really decide: without the token they refuse.
for name in flowgate-auth nginx-flowgate flowgate-proxy; do
  got=$(answer "$name")
  [ "$got" = 401 ] || { echo "FAIL: $name answered $got without a token, want 401"; exit 1; }
done

cat >"$work/post.lua" <<'EOF'
wrk.method = "POST"
EOF

# load NAME DURATION: wrk's output for DURATION of calls to NAME, killed
# 20 s after its time at most.
load() {
  local script=()
  [ "$(method "$1")" = POST ] && script=(-s "$work/post.lua")
  timeout "$((${2%s} + 20))" wrk -t 1 -c "$connections" -d "$2" "${script[@]}" \
    "${auth[@]}" "${forwarded[@]}" "${url[$1]}"
}

# server_ticks: the CPU time (user + system, in clock ticks) used so far by
# every server started here, nginx workers included, and with
# BACKEND=postgres the PostgreSQL server processes serving this run's
# database (flowgate's connections: the call log's writes cost CPU there).
# wrk is not counted.
server_ticks() {
  local p all=("${pids[@]}")
  for p in "${pids[@]}"; do all+=($(pgrep -P "$p" || true)); done
  if [ "$backend" = postgres ]; then
    all+=($(psql "$pg_base" -X -At -c "SELECT pid FROM pg_stat_activity WHERE datname = '$pg_name'"))
  fi
  for p in "${all[@]}"; do cat "/proc/$p/stat" 2>/dev/null || true; done |
    awk '{t += $14 + $15} END {print t + 0}'
}
hz=$(getconf CLK_TCK)

# measure NAME [PERF_FILE]: "REQ_PER_S CPU_US" for one wrk run against NAME:
# wrk's requests per second, and the servers' CPU microseconds per request
# (less disturbed than req/s by other load on the machine). Fails on any
# non-2xx answer or socket error. With PERF_FILE, flowgate (pid in
# $perf_pid) is profiled meanwhile.
measure() {
  local name=$1 out perf= t0 t1
  if [ -n "${2:-}" ]; then
    perf record -q -g -p "$perf_pid" -o "$2" -- sleep "${duration%s}" 2>/dev/null &
    perf=$!
  fi
  t0=$(server_ticks)
  out=$(load "$name" "$duration")
  t1=$(server_ticks)
  [ -n "$perf" ] && wait "$perf"
  if grep -qE "Non-2xx|Socket errors" <<<"$out"; then
    echo "FAIL: errors from $name:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk -v ticks=$((t1 - t0)) -v hz="$hz" '
    / requests in / {n = $1}
    /^Requests\/sec:/ {r = $2}
    END {printf "%.0f %.1f\n", r, ticks * 1e6 / hz / n}' <<<"$out"
}

# The process BENCH_PERF profiles during each server's first run: the Go
# server of that path (for nginx, the auth server it asks).
declare -A profile_pid=([bare-auth]=$bareauth_pid [flowgate-auth]=$fg_pid [nginx-bare]=$bareauth_pid
  [nginx-flowgate]=$fg_pid [bare-proxy]=$bareproxy_pid [flowgate-proxy]=$fgproxy_pid)
pairs=("auth:bare-auth:flowgate-auth" "nginx:nginx-bare:nginx-flowgate" "proxy:bare-proxy:flowgate-proxy")
declare -A best runs cpu profiled
echo "backend $backend; wrk: 1 thread, $connections connections, $duration per run, 2 rounds, $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for name in "${!url[@]}"; do # warm-up: connections, code paths, the proxies' idle pools
  load "$name" 1s >/dev/null
done
[ -n "$perf_dir" ] && mkdir -p "$perf_dir"
for round in 1 2; do
  for pair in "${pairs[@]}"; do
    IFS=: read -r kind base flow <<<"$pair"
    for name in "$base" "$flow"; do
      file=
      if [ -n "$perf_dir" ] && [ -z "${profiled[$name]:-}" ]; then
        perf_pid=${profile_pid[$name]}
        file="$perf_dir/$name.perf.data" profiled[$name]=1
      fi
      read -r r c <<<"$(measure "$name" "$file")"
      runs[$name]+="${runs[$name]:+, }$r"
      [ "${best[$name]:-0}" -ge "$r" ] || best[$name]=$r
      awk -v c="$c" -v m="${cpu[$name]:-}" 'BEGIN {exit !(m == "" || c < m)}' && cpu[$name]=$c
    done
  done
done

printf '%-48s %8s %8s %5s %4s | %7s %7s %5s\n' path flowgate baseline ratio goal "cpu µs" "cpu µs" ratio
row() {
  awk -v l="$1" -v f="${best[$2]}" -v b="${best[$3]}" -v g="$4" -v fc="${cpu[$2]}" -v bc="${cpu[$3]}" 'BEGIN {
    printf "%-48s %8d %8d %5.2f %4s | %7.1f %7.1f %5.2f\n", l, f, b, f / b, g, fc, bc, bc / fc
  }'
}
echo "(req/s: best of the 2 runs; cpu: servers' CPU µs per request, lowest of the 2 runs, flowgate then baseline, ratio = baseline/flowgate)"
row "forward-auth /_flowgate/auth vs bare handler" flowgate-auth bare-auth 0.90
row "nginx auth_request -> flowgate vs -> bare" nginx-flowgate nginx-bare 0.95
row "serve --upstream vs bare ReverseProxy" flowgate-proxy bare-proxy 0.95
echo "runs (req/s):"
for name in bare-auth flowgate-auth nginx-bare nginx-flowgate bare-proxy flowgate-proxy; do
  echo "  $name: ${runs[$name]}"
done
echo "load average now $(cut -d' ' -f1-3 /proc/loadavg)"

for pid in "$fg_pid" "$fgproxy_pid"; do kill -TERM "$pid"; done
for pid in "$fg_pid" "$fgproxy_pid"; do wait "$pid" || true; done
echo "call log: $(grep -ho '"calls_logged":[0-9]*,"calls_dropped":[0-9]*' "$work/flowgate.log" "$work/flowgate-proxy.log" | tr '\n' ' ')"
if [ "$backend" = postgres ]; then
  echo "database after the run: $(psql "$db" -X -At -c "SELECT pg_database_size(current_database()) / 1024") KiB, $(psql "$db" -X -At -c "SELECT count(*) FROM calls") call-count rows"
else
  echo "database after the run: $(du -k "$db" | cut -f1) KiB (+ $(du -kc "$db"-* 2>/dev/null | tail -1 | cut -f1) KiB WAL/SHM)"
fi
