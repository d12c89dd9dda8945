#!/usr/bin/env bash
# End-to-end test of flowgate behind a real nginx using auth_request.
#
# Starts, on free loopback ports: `flowgate serve` (forward-auth only), a small
# upstream (scripts/echoupstream, which answers with every header it
# received), and nginx with the exact configuration from docs/gateways.md.
# Then runs the decision cases through nginx and checks statuses, bodies,
# challenges, the stripped query token, and the header tricks of
# gateway-tricks.sh against what the upstream saw. Everything is stopped on
# exit. Installs nginx-light when missing.
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
. scripts/gateway-cases.sh

start_flowgate

# The configuration under test is the one in the docs, with its ports changed.
mkdir -p "$work/nginx/tmp" "$work/nginx/logs"
chmod 755 "$work" "$work/nginx"
chmod 1777 "$work/nginx/tmp"
sed -n '/<!-- nginx-config:begin -->/,/<!-- nginx-config:end -->/p' docs/gateways.md |
  sed '/^<!--/d; /^```/d' |
  sed "s/127\.0\.0\.1:8420/127.0.0.1:$fg_port/; s/127\.0\.0\.1:3000/127.0.0.1:$app_port/; s/listen 8080;/listen 127.0.0.1:$gw_port;/" \
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
}
EOF
nginx -t -q -p "$work/nginx" -c "$work/nginx/nginx.conf"
echo "== starting nginx on 127.0.0.1:$gw_port"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' &
pids+=($!)

wait_for_servers "$work/nginx/logs/error.log"

echo "== cases through nginx"
common_cases
EMPTY_IDENTITY=absent # nginx never sends a header with an empty value
trick_cases
LINK_QUERY=stripped # from flowgate's X-Flowgate-Query
file_cases
check "query token is stripped before the upstream" 200 "uri=[/api/1.1/wf/users-only?a=1&b=%2F]" POST "/api/1.1/wf/users-only?a=1&api_token=$USER&b=%2F"
check "query token alone leaves no query" 200 "uri=[/api/1.1/wf/users-only]" POST "/api/1.1/wf/users-only?api_token=$USER"
check "header and query token together" 400 '"code":"invalid_request"' POST "/api/1.1/wf/users-only?api_token=$USER" -H "$(bearer "$USER")"
finish "nginx" "$work/nginx/logs/error.log"
