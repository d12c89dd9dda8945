#!/usr/bin/env bash
# End-to-end test of flowgate behind a real nginx using auth_request.
#
# Starts, on free loopback ports: `flowgate serve` (forward-auth only), a small
# upstream (an nginx server block that echoes the identity headers and URI it
# received), and nginx with the exact configuration from docs/gateways.md.
# Then runs the decision cases through nginx and checks statuses, bodies,
# challenges, the stripped query token, header spoofing and what the upstream
# saw. Everything is stopped on exit. Installs nginx-light when missing.
#
# Usage: scripts/nginx-e2e.sh   (from anywhere; needs root to install nginx)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

if ! command -v nginx >/dev/null || ! command -v curl >/dev/null; then
  echo "== installing nginx-light and curl"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light curl >/dev/null
fi

. scripts/lib.sh

echo "== building flowgate"
go build -o "$work/flowgate" ./cmd/flowgate
db="$work/flowgate.db"
fg() { "$work/flowgate" --db "$db" "$@"; }

fg add public-open --public --auth none >/dev/null
fg add users-only --public --auth user >/dev/null
fg add admins-only --public --auth admin >/dev/null
fg add scheduled --auth none >/dev/null
ADMIN=$(fg token create --admin --name e2e-admin --quiet)
USER=$(fg token create --user u-e2e --name e2e-user --quiet)
REVOKED_OUT=$(fg token create --admin --name e2e-revoked)
REVOKED=$(awk '/^token:/ {print $2}' <<<"$REVOKED_OUT")
fg token revoke "$(awk '/^id:/ {print $2}' <<<"$REVOKED_OUT")" >/dev/null
USER_ID=$(fg token list --json | tr -d ' \n' | grep -o '"id":"tok_[0-9A-Za-z]*","name":"e2e-user"' | cut -d'"' -f4)

fg_port=$(free_port); app_port=$(free_port); nginx_port=$(free_port)
while [ "$app_port" = "$fg_port" ]; do app_port=$(free_port); done
while [ "$nginx_port" = "$fg_port" ] || [ "$nginx_port" = "$app_port" ]; do nginx_port=$(free_port); done

echo "== starting flowgate on 127.0.0.1:$fg_port"
"$work/flowgate" --db "$db" serve --listen "127.0.0.1:$fg_port" 2>"$work/flowgate.log" &
pids+=($!)

# The configuration under test is the one in the docs, with its ports changed.
mkdir -p "$work/nginx/tmp" "$work/nginx/logs"
chmod 755 "$work" "$work/nginx"
chmod 1777 "$work/nginx/tmp"
sed -n '/<!-- nginx-config:begin -->/,/<!-- nginx-config:end -->/p' docs/gateways.md |
  sed '/^<!--/d; /^```/d' |
  sed "s/127\.0\.0\.1:8420/127.0.0.1:$fg_port/; s/127\.0\.0\.1:3000/127.0.0.1:$app_port/; s/listen 8080;/listen 127.0.0.1:$nginx_port;/" \
    >"$work/nginx/gateway.conf"
grep -q "127.0.0.1:$fg_port" "$work/nginx/gateway.conf" || { echo "FAIL: could not extract the nginx config from docs/gateways.md"; exit 1; }
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 256; }
http {
    access_log $work/nginx/logs/access.log;
    client_body_temp_path $work/nginx/tmp/body;
    proxy_temp_path $work/nginx/tmp/proxy;
    fastcgi_temp_path $work/nginx/tmp/fastcgi;
    uwsgi_temp_path $work/nginx/tmp/uwsgi;
    scgi_temp_path $work/nginx/tmp/scgi;

    include $work/nginx/gateway.conf;

    # The small upstream: it answers with what it received.
    server {
        listen 127.0.0.1:$app_port;
        default_type text/plain;
        location / {
            return 200 "auth=[\$http_x_flowgate_auth] user=[\$http_x_flowgate_user] token=[\$http_x_flowgate_token] method=[\$request_method] uri=[\$request_uri]\n";
        }
    }
}
EOF
nginx -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf"
echo "== starting nginx on 127.0.0.1:$nginx_port"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

# Wait (bounded) until both answer.
for i in $(seq 1 100); do
  if curl -fs --max-time 2 "http://127.0.0.1:$fg_port/_flowgate/healthz" >/dev/null &&
    curl -fs --max-time 2 "http://127.0.0.1:$nginx_port/" >/dev/null; then
    break
  fi
  [ "$i" = 100 ] && { echo "FAIL: servers did not start"; cat "$work/flowgate.log" "$work/nginx/logs/error.log"; exit 1; }
  sleep 0.1
done

failures=0
# check NAME WANT_STATUS WANT_BODY_SUBSTRING METHOD PATH [curl args...]
check() {
  local name=$1 want_status=$2 want_body=$3 method=$4 path=$5
  shift 5
  local status
  status=$(curl -s --max-time 10 --path-as-is -o "$work/body" -D "$work/headers" -w '%{http_code}' -X "$method" "$@" \
    "http://127.0.0.1:$nginx_port$path")
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
# no_token_in NAME: the last response body holds no token.
no_token_in() {
  if grep -qE 'fg[au]_[0-9A-Za-z]{8}' "$work/body" "$work/headers"; then
    echo "FAIL: $1: a token appears in the response"
    failures=$((failures + 1))
  fi
}

bearer() { echo "Authorization: Bearer $1"; }

echo "== cases through nginx"
check "anonymous call to an open workflow" 200 "auth=[anonymous] user=[] token=[]" POST /api/1.1/wf/public-open
check "user token on a users workflow" 200 "auth=[user] user=[u-e2e] token=[$USER_ID]" POST /api/1.1/wf/users-only -H "$(bearer "$USER")"
check "admin token on an admin workflow" 200 "auth=[admin] user=[]" POST /api/1.1/wf/admins-only -H "$(bearer "$ADMIN")"
check "version prefix and /initialize" 200 "uri=[/version-test/api/1.1/wf/users-only/initialize]" POST /version-test/api/1.1/wf/users-only/initialize -H "$(bearer "$USER")"
check "query token is stripped before the upstream" 200 "uri=[/api/1.1/wf/users-only?a=1&b=%2F]" POST "/api/1.1/wf/users-only?a=1&api_token=$USER&b=%2F"
check "query token alone leaves no query" 200 "uri=[/api/1.1/wf/users-only]" POST "/api/1.1/wf/users-only?api_token=$USER"
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
check "header and query token together" 400 '"code":"invalid_request"' POST "/api/1.1/wf/users-only?api_token=$USER" -H "$(bearer "$USER")"
check "scheduled workflow" 404 '"status":"NOT_FOUND"' POST /api/1.1/wf/scheduled -H "$(bearer "$ADMIN")"
header_is "not found" WWW-Authenticate ''
check "unknown workflow" 404 '"code":"not_found"' POST /api/1.1/wf/nope -H "$(bearer "$ADMIN")"
check "wrong method" 405 '"status":"WRONG_METHOD"' GET /api/1.1/wf/public-open
check "double slash" 404 '"code":"not_found"' POST //api/1.1/wf/public-open
check "inner double slash" 404 '"code":"not_found"' POST /api/1.1/wf//users-only -H "$(bearer "$USER")"
check "dot segment" 404 '"code":"not_found"' POST /api/1.1/wf/x/../users-only -H "$(bearer "$USER")"
check "percent-encoded name" 404 '"code":"not_found"' POST /api/1.1/wf/%75sers-only -H "$(bearer "$USER")"
check "upper-case prefix" 404 '"code":"not_found"' POST /API/1.1/WF/public-open
check "other paths go to the app unchecked" 200 "uri=[/about]" GET /about

echo "== call log"
"$work/flowgate" --db "$db" calls --json >"$work/calls.json" 2>&1 || true
for i in $(seq 1 50); do
  if grep -q '"status": 405' "$work/calls.json" && grep -q '"remote_addr": "127.0.0.1"' "$work/calls.json"; then break; fi
  sleep 0.1
  fg calls --json >"$work/calls.json"
done
if grep -q '"status": 405' "$work/calls.json" && grep -q '"remote_addr": "127.0.0.1"' "$work/calls.json"; then
  echo "ok   calls were logged with the client address"
else
  echo "FAIL: call log: $(head -c 400 "$work/calls.json")"
  failures=$((failures + 1))
fi
if grep -qE 'fg[au]_[0-9A-Za-z]{8}' "$work/flowgate.log"; then
  echo "FAIL: a token appears in flowgate's log"
  failures=$((failures + 1))
fi

if [ "$failures" -gt 0 ]; then
  echo "== $failures failure(s); flowgate log:"
  tail -n 20 "$work/flowgate.log"
  tail -n 20 "$work/nginx/logs/error.log"
  exit 1
fi
echo "== nginx end-to-end: all cases passed"
