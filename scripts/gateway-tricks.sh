# Header tricks every gateway in front of flowgate must defeat (issue 8):
# hop-by-hop names, underscore spellings, spoofed identity, method overrides,
# a client X-Real-IP and protocol upgrades. Sourced by gateway-cases.sh;
# uses its check helper and the echoing upstream (scripts/echoupstream),
# whose answer lists every header it received.
#
# The gateway script sets EMPTY_IDENTITY before calling trick_cases: "sent"
# when the gateway forwards an empty identity header as empty (Caddy), or
# "absent" when it cannot send an empty header and drops it (nginx).

# upstream_saw NAME AUTH USER TOKEN: the last answer came from the upstream,
# which received the identity flowgate decided under exactly the three
# names, and nothing a client can plant: no other X-Flowgate header in any
# spelling or case, no method override, no Authorization (the flowgate
# token), and X-Real-IP equal to the real peer (curl, on 127.0.0.1).
upstream_saw() {
  local name=$1 want got k v
  want=$(for k in Auth User Token; do
    case $k in Auth) v=$2 ;; User) v=$3 ;; Token) v=$4 ;; esac
    if [ -n "$v" ] || [ "$EMPTY_IDENTITY" = sent ]; then echo "header X-Flowgate-$k=[$v]"; fi
  done | sort)
  got=$(grep -iE '^header x[-_]flowgate' "$work/body" | sort || true)
  upstream_expect "$name: identity headers" "$want" "$got"
  upstream_expect "$name: method overrides" "" \
    "$(grep -iE '^header x[-_](http[-_]method([-_]override)?|method[-_]override)=' "$work/body" || true)"
  upstream_expect "$name: Authorization" "" "$(grep -iE '^header authorization=' "$work/body" || true)"
  upstream_expect "$name: X-Real-IP" "header X-Real-Ip=[127.0.0.1]" \
    "$(grep -iE '^header x[-_]real[-_]ip=' "$work/body" || true)"
  grep -q '^auth=\[' "$work/body" || upstream_expect "$name: answer from the upstream" "yes" "no"
}

# upstream_expect NAME WANT GOT: one assertion of upstream_saw.
upstream_expect() {
  if [ "$2" != "$3" ]; then
    echo "FAIL: $1: the upstream got '$(paste -sd'|' <<<"$3")', want '$(paste -sd'|' <<<"$2")'"
    failures=$((failures + 1))
  fi
}

# trick_cases sends each trick on an allowed call (what reached the upstream
# is checked) and on a denied one (it stays denied).
trick_cases() {
  local hop="Connection: close, X-Flowgate-Auth, X-Flowgate-User, X-Flowgate-Token"
  check "Connection naming the identity headers, anonymous" 200 "auth=[anonymous]" POST /api/1.1/wf/public-open -H "$hop"
  upstream_saw "Connection trick, anonymous" anonymous "" ""
  check "Connection naming the identity headers, user token" 200 "auth=[user]" POST /api/1.1/wf/users-only -H "$(bearer "$USER")" -H "$hop"
  upstream_saw "Connection trick, user" user u-e2e "$USER_ID"
  check "Connection trick with spoofed identity" 200 "auth=[anonymous]" POST /api/1.1/wf/public-open \
    -H "Connection: keep-alive, X-Flowgate-Auth, X-Real-IP" -H "X-Flowgate-Auth: admin" -H "X-Real-IP: 1.2.3.4"
  upstream_saw "Connection trick, spoofed" anonymous "" ""
  check "underscore spellings" 200 "auth=[anonymous]" POST /api/1.1/wf/public-open \
    -H "X_Flowgate_Auth: admin" -H "x_flowgate_user: evil" -H "X_FLOWGATE_TOKEN: tok_forged" -H "X-Flowgate_Auth: admin"
  upstream_saw "underscore spellings" anonymous "" ""
  check "spoofed identity in any case" 200 "auth=[anonymous]" POST /api/1.1/wf/public-open \
    -H "X-Flowgate-Auth: admin" -H "x-flowgate-user: evil" -H "X-FLOWGATE-TOKEN: tok_forged" \
    -H "X-Flowgate-Query: ?x=1" -H "X-Flowgate-Status: 200" -H "X-Flowgate-Code: ok" -H "X-Flowgate-Body: {}"
  upstream_saw "spoofed identity" anonymous "" ""
  check "spoofed identity on a user call" 200 "auth=[user]" POST /api/1.1/wf/users-only -H "$(bearer "$USER")" \
    -H "X-Flowgate-Auth: admin" -H "X_Flowgate_Auth: admin"
  upstream_saw "spoofed identity, user" user u-e2e "$USER_ID"
  check "method overrides are removed" 200 "method=[POST]" POST /api/1.1/wf/public-open \
    -H "X-HTTP-Method-Override: DELETE" -H "X-HTTP-Method: DELETE" -H "X-Method-Override: DELETE" -H "X_HTTP_Method_Override: DELETE"
  upstream_saw "method overrides" anonymous "" ""
  check "a client X-Real-IP is replaced" 200 "auth=[anonymous]" POST /api/1.1/wf/public-open -H "X-Real-IP: 1.2.3.4" -H "X_Real_IP: 1.2.3.4"
  upstream_saw "X-Real-IP" anonymous "" ""
  check "the admin token is not forwarded" 200 "auth=[admin]" POST /api/1.1/wf/admins-only -H "$(bearer "$ADMIN")"
  upstream_saw "admin call" admin "" "$ADMIN_ID"

  # The same tricks on calls flowgate refuses: they stay refused.
  check "spoofed admin without a token" 401 '"code":"missing_token"' POST /api/1.1/wf/admins-only \
    -H "$hop" -H "X-Flowgate-Auth: admin" -H "X_Flowgate_Auth: admin" -H "X-Real-IP: 127.0.0.1"
  check "spoofed admin with a user token" 403 '"code":"insufficient_scope"' POST /api/1.1/wf/admins-only \
    -H "$(bearer "$USER")" -H "$hop" -H "X-Flowgate-Auth: admin" -H "X_Flowgate_Auth: admin"
  check "a method override does not change the method checked" 405 '"status":"WRONG_METHOD"' GET /api/1.1/wf/public-open \
    -H "X-HTTP-Method-Override: POST" -H "X-HTTP-Method: POST" -H "X-Method-Override: POST"

  # Workflows are plain request/response: an upgrade never reaches the app
  # (which would answer 101 and open a tunnel past the checker).
  local ws=(-H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")
  check "websocket upgrade on an open GET workflow" 400 '"code":"invalid_request"' GET /api/1.1/wf/get-open "${ws[@]}"
  header_is "upgrade refused" Content-Type application/json
  check "websocket upgrade on an open POST workflow" 400 '"code":"invalid_request"' POST /api/1.1/wf/public-open "${ws[@]}"
  check "websocket upgrade with a user token" 400 '"code":"invalid_request"' POST /api/1.1/wf/users-only -H "$(bearer "$USER")" "${ws[@]}"
  check "Upgrade without Connection" 400 '"code":"invalid_request"' GET /api/1.1/wf/get-open -H "Upgrade: websocket"
  check "h2c upgrade" 400 '"code":"invalid_request"' GET /api/1.1/wf/get-open \
    -H "Connection: Upgrade, HTTP2-Settings" -H "Upgrade: h2c" -H "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"
  check "HTTP2-Settings alone" 400 '"code":"invalid_request"' GET /api/1.1/wf/get-open -H "HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA"
  check "websocket upgrade on a denied call" 400 '"code":"invalid_request"' POST /api/1.1/wf/admins-only "${ws[@]}"
  check "a GET workflow without upgrade still works" 200 "method=[GET]" GET /api/1.1/wf/get-open
  upstream_saw "GET workflow" anonymous "" ""
}
