#!/usr/bin/env bash
# End-to-end test of flowgate behind a real Caddy using forward_auth.
#
# Starts, on free loopback ports: `flowgate serve --no-query-token`, a small
# upstream (scripts/echoupstream, which answers with every header it
# received), and Caddy with the exact site block from docs/gateways.md. Then
# runs the decision cases through Caddy, including path spellings that must
# not slip past the check and the header tricks of gateway-tricks.sh against
# what the upstream saw. Installs caddy when missing.
#
# Usage: scripts/caddy-e2e.sh   (from anywhere; needs root to install caddy)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

if ! command -v caddy >/dev/null || ! command -v curl >/dev/null; then
  echo "== installing caddy and curl"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy curl >/dev/null
fi

. scripts/lib.sh
. scripts/gateway-cases.sh

start_flowgate --no-query-token

# The site block under test is the one in the docs, with its ports changed.
site=$(sed -n '/<!-- caddy-config:begin -->/,/<!-- caddy-config:end -->/p' docs/gateways.md |
  sed '/^<!--/d; /^```/d' |
  sed "s/127\.0\.0\.1:8420/127.0.0.1:$fg_port/; s/127\.0\.0\.1:3000/127.0.0.1:$app_port/g; s/^:8080 {/http:\/\/127.0.0.1:$gw_port {/")
grep -q "127.0.0.1:$fg_port" <<<"$site" || { echo "FAIL: could not extract the Caddy config from docs/gateways.md"; exit 1; }
cat >"$work/Caddyfile" <<EOF
{
	admin off
	auto_https off
}

$site

EOF
export XDG_DATA_HOME="$work/caddy-data" XDG_CONFIG_HOME="$work/caddy-config"
caddy validate --adapter caddyfile --config "$work/Caddyfile" >"$work/caddy.log" 2>&1 ||
  { echo "FAIL: caddy rejects the config"; cat "$work/caddy.log"; exit 1; }
echo "== starting caddy on 127.0.0.1:$gw_port"
caddy run --adapter caddyfile --config "$work/Caddyfile" >>"$work/caddy.log" 2>&1 &
pids+=($!)
wait_for_servers "$work/caddy.log"

echo "== cases through caddy"
common_cases
EMPTY_IDENTITY=sent # Caddy copies an empty answer header as empty
trick_cases
LINK_QUERY=dropped # Caddy 2.6 cannot remove one parameter: the config drops the query of link calls
file_cases
# Caddy can delete by prefix: an X-Flowgate- name flowgate does not use is dropped too.
check "an invented X-Flowgate- header" 200 "auth=[anonymous]" POST /api/1.1/wf/public-open -H "X-Flowgate-Role: admin" -H "x-flowgate-admin: 1"
upstream_saw "invented X-Flowgate- header" anonymous "" ""
check "query tokens are refused (run with --no-query-token)" 400 '"code":"invalid_request"' POST "/api/1.1/wf/users-only?api_token=$USER"
finish "caddy" "$work/caddy.log"
