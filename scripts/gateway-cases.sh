# Shared by the gateway end-to-end scripts (nginx, Caddy): builds flowgate
# and the echoing upstream, fills a database with one workflow per exposure
# and three tokens, and defines the cases every gateway in front of flowgate
# must pass. Source it after scripts/lib.sh; it starts the upstream on
# app_port and picks fg_port and gw_port.

echo "== building flowgate and the echoing upstream"
go build -o "$work/" ./cmd/flowgate ./scripts/echoupstream
db="$work/flowgate.db"
fg() { "$work/flowgate" --db "$db" "$@"; }

fg add public-open --public --auth none >/dev/null
fg add users-only --public --auth user >/dev/null
fg add admins-only --public --auth admin >/dev/null
fg add scheduled --auth none >/dev/null
fg add get-open --public --auth none --method GET >/dev/null
ADMIN=$(fg token create --admin --name e2e-admin --quiet)
USER=$(fg token create --user u-e2e --name e2e-user --quiet)
REVOKED_OUT=$(fg token create --admin --name e2e-revoked)
REVOKED=$(awk '/^token:/ {print $2}' <<<"$REVOKED_OUT")
fg token revoke "$(awk '/^id:/ {print $2}' <<<"$REVOKED_OUT")" >/dev/null
# token_id NAME: the id of the token called NAME.
token_id() {
  fg token list --json | tr -d ' \n' | grep -o "\"id\":\"tok_[0-9A-Za-z]*\",\"name\":\"$1\"" | cut -d'"' -f4
}
USER_ID=$(token_id e2e-user)
ADMIN_ID=$(token_id e2e-admin)

# start_upstream: runs the echoing upstream app (scripts/echoupstream) on a
# port the system picks, and sets app_port to it.
start_upstream() {
  "$work/echoupstream" 127.0.0.1:0 "$work/upstream.addr" 2>"$work/upstream.log" &
  pids+=($!)
  local i
  for i in $(seq 1 300); do
    [ -s "$work/upstream.addr" ] && break
    sleep 0.1
  done
  [ -s "$work/upstream.addr" ] || { echo "FAIL: the upstream did not start"; cat "$work/upstream.log"; exit 1; }
  app_port=$(sed 's/.*://' "$work/upstream.addr")
}

start_upstream

# Two more free loopback ports, distinct from the upstream's and each other:
# flowgate and the gateway.
fg_port=$(free_port); gw_port=$(free_port)
while [ "$fg_port" = "$app_port" ]; do fg_port=$(free_port); done
while [ "$gw_port" = "$fg_port" ] || [ "$gw_port" = "$app_port" ]; do gw_port=$(free_port); done

# start_flowgate [SERVE FLAGS...]: runs `flowgate serve` on fg_port, logging to $work/flowgate.log.
start_flowgate() {
  echo "== starting flowgate on 127.0.0.1:$fg_port"
  "$work/flowgate" --db "$db" serve --listen "127.0.0.1:$fg_port" "$@" 2>"$work/flowgate.log" &
  pids+=($!)
}

# wait_for_servers GATEWAY_LOG: waits (bounded, about a minute on a loaded
# machine) until flowgate, the upstream and the gateway answer.
wait_for_servers() {
  local i waiting
  for i in $(seq 1 300); do
    waiting=
    curl -fs --max-time 2 -o /dev/null "http://127.0.0.1:$fg_port/_flowgate/healthz" || waiting+=" flowgate"
    curl -fs --max-time 2 -o /dev/null "http://127.0.0.1:$app_port/" || waiting+=" upstream"
    curl -s --max-time 2 -o /dev/null "http://127.0.0.1:$gw_port/" || waiting+=" gateway"
    [ -z "$waiting" ] && return
    sleep 0.2
  done
  echo "FAIL: servers did not start:$waiting"
  cat "$work/flowgate.log" "$work/upstream.log" "$1"
  exit 1
}

failures=0
# check NAME WANT_STATUS WANT_BODY_SUBSTRING METHOD PATH [curl args...]
check() {
  local name=$1 want_status=$2 want_body=$3 method=$4 path=$5
  shift 5
  local status how=(-X "$method")
  [ "$method" = HEAD ] && how=(--head) # curl -X HEAD would wait for a body
  status=$(curl -s --max-time 5 --path-as-is -o "$work/body" -D "$work/headers" -w '%{http_code}' "${how[@]}" "$@" \
    "http://127.0.0.1:$gw_port$path")
  if [ "$status" != "$want_status" ] || ! grep -qF -- "$want_body" "$work/body"; then
    echo "FAIL: $name: got $status $(head -c 300 "$work/body"), want $want_status with '$want_body'"
    failures=$((failures + 1))
  else
    echo "ok   $name: $status"
  fi
}
# header_is NAME HEADER VALUE: the last response carried exactly this header.
header_is() {
  local got
  got=$( (grep -i "^$2:" "$work/headers" || true) | tr -d '\r' | cut -d' ' -f2- | paste -sd'|' -)
  if [ "$got" != "$3" ]; then
    echo "FAIL: $1: $2 is '$got', want '$3'"
    failures=$((failures + 1))
  fi
}
# secret_pattern matches a token (fga_, fgu_) or a share link (fgl_).
secret_pattern='fg[aul]_[0-9A-Za-z]{8}'
# no_token_in NAME: the last response holds no token or share link.
no_token_in() {
  if grep -qE "$secret_pattern" "$work/body" "$work/headers"; then
    echo "FAIL: $1: a token appears in the response"
    failures=$((failures + 1))
  fi
}

bearer() { echo "Authorization: Bearer $1"; }

# common_cases runs what every gateway must get right with header tokens.
common_cases() {
  check "anonymous call to an open workflow" 200 "auth=[anonymous] user=[] token=[]" POST /api/1.1/wf/public-open
  check "user token on a users workflow" 200 "auth=[user] user=[u-e2e] token=[$USER_ID]" POST /api/1.1/wf/users-only -H "$(bearer "$USER")"
  check "admin token on an admin workflow" 200 "auth=[admin] user=[]" POST /api/1.1/wf/admins-only -H "$(bearer "$ADMIN")"
  check "version prefix and /initialize" 200 "uri=[/version-test/api/1.1/wf/users-only/initialize]" POST /version-test/api/1.1/wf/users-only/initialize -H "$(bearer "$USER")"
  check "query string reaches the upstream" 200 "uri=[/api/1.1/wf/users-only?a=1&b=%2F]" POST "/api/1.1/wf/users-only?a=1&b=%2F" -H "$(bearer "$USER")"
  check "spoofed identity headers are replaced" 200 "auth=[anonymous] user=[] token=[]" POST /api/1.1/wf/public-open \
    -H "X-Flowgate-Auth: admin" -H "X-Flowgate-User: evil" -H "X-Flowgate-Token: tok_forged"
  check "spoofed user on a token call" 200 "user=[u-e2e] token=[$USER_ID]" POST /api/1.1/wf/users-only -H "$(bearer "$USER")" -H "X-Flowgate-User: evil"
  check "missing token" 401 '"code":"missing_token"' POST /api/1.1/wf/users-only
  header_is "missing token" WWW-Authenticate 'Bearer realm="flowgate"'
  check "user token on an admin workflow" 403 '"status":"FORBIDDEN","code":"insufficient_scope"' POST /api/1.1/wf/admins-only -H "$(bearer "$USER")"
  header_is "insufficient scope" WWW-Authenticate 'Bearer realm="flowgate", error="insufficient_scope"'
  check "revoked token" 401 '"code":"invalid_token"' POST /api/1.1/wf/public-open -H "$(bearer "$REVOKED")"
  header_is "revoked token" WWW-Authenticate 'Bearer realm="flowgate", error="invalid_token"'
  no_token_in "revoked token"
  check "garbage token" 401 '"code":"invalid_token"' POST /api/1.1/wf/public-open -H "Authorization: Bearer fga_nope"
  check "basic auth is malformed" 400 '"status":"INVALID_REQUEST"' POST /api/1.1/wf/public-open -H "Authorization: Basic dXNlcjpwYXNz"
  header_is "malformed" WWW-Authenticate 'Bearer realm="flowgate", error="invalid_request"'
  check "scheduled workflow" 404 '"status":"NOT_FOUND"' POST /api/1.1/wf/scheduled -H "$(bearer "$ADMIN")"
  header_is "not found" WWW-Authenticate ''
  check "unknown workflow" 404 '"code":"not_found"' POST /api/1.1/wf/nope -H "$(bearer "$ADMIN")"
  check "wrong method" 405 '"status":"WRONG_METHOD"' GET /api/1.1/wf/public-open
  check "double slash" 404 '"code":"not_found"' POST //api/1.1/wf/public-open
  check "inner double slash" 404 '"code":"not_found"' POST /api/1.1/wf//users-only -H "$(bearer "$USER")"
  check "dot segment" 404 '"code":"not_found"' POST /api/1.1/wf/x/../users-only -H "$(bearer "$USER")"
  check "percent-encoded name" 404 '"code":"not_found"' POST /api/1.1/wf/%75sers-only -H "$(bearer "$USER")"
  check "percent-encoded prefix" 404 '"code":"not_found"' POST /%61pi/1.1/wf/public-open
  check "upper-case prefix" 404 '"code":"not_found"' POST /API/1.1/WF/public-open
  check "other paths go to the app unchecked" 200 "uri=[/about]" GET /about
}

# finish NAME GATEWAY_LOG: checks the call log and flowgate's log, then
# reports and exits non-zero on any failure.
finish() {
  echo "== call log"
  local i
  for i in $(seq 1 50); do
    fg calls --json >"$work/calls.json"
    if grep -q '"status": 405' "$work/calls.json" && grep -q '"remote_addr": "127.0.0.1"' "$work/calls.json"; then break; fi
    sleep 0.1
  done
  if grep -q '"status": 405' "$work/calls.json" && grep -q '"remote_addr": "127.0.0.1"' "$work/calls.json"; then
    echo "ok   calls were logged with the client address"
  else
    echo "FAIL: call log: $(head -c 400 "$work/calls.json")"
    failures=$((failures + 1))
  fi
  if grep -qE "$secret_pattern" "$work/flowgate.log"; then
    echo "FAIL: a token or share link appears in flowgate's log"
    failures=$((failures + 1))
  fi
  if [ "$failures" -gt 0 ]; then
    echo "== $failures failure(s); flowgate log:"
    tail -n 20 "$work/flowgate.log"
    tail -n 20 "$2"
    exit 1
  fi
  echo "== $1 end-to-end: all cases passed"
}

. scripts/gateway-tricks.sh
. scripts/gateway-files.sh
