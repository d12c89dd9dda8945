# Protected files and share links through a gateway (issue 10). Sourced by
# gateway-cases.sh after the database is filled; uses its helpers (fg,
# check, header_is, bearer, token_id) and upstream_saw from
# gateway-tricks.sh.
#
# Before flowgate starts, this protects /fileupload/, creates a share link
# for /fileupload/a/report.pdf and a token that may read every file below
# /fileupload/ (the admin token of gateway-cases.sh has the default scope:
# no files). The gateway script sets LINK_QUERY before calling file_cases:
# "stripped" when the gateway forwards the query without fg_link (nginx,
# from flowgate's X-Flowgate-Query), or "dropped" when it forwards no query
# at all on a call a link opened (Caddy 2.6, which cannot remove one
# parameter).

fg files add /fileupload/ --description "e2e uploads" >/dev/null
SHARED=/fileupload/a/report.pdf
LINK_OUT=$(fg link create "$SHARED" --name e2e-link --expires 2h)
LINK=$(awk '/^url:/ {print $2}' <<<"$LINK_OUT" | sed 's/.*fg_link=//')
LINK_ID=$(awk '/^id:/ {print $2}' <<<"$LINK_OUT")
[[ "$LINK" == fgl_* && "$LINK_ID" == lnk_* ]] || { echo "FAIL: link create printed no link: $LINK_OUT"; exit 1; }
FILES=$(fg token create --admin --name e2e-files --files /fileupload/ --quiet)
FILES_ID=$(token_id e2e-files)

# link_headers NAME: the last answer carried each link security header
# exactly once, with flowgate's value, in place of the upstream's weaker
# ones (scripts/echoupstream sends those on every answer).
link_headers() {
  header_is "$1" Referrer-Policy no-referrer
  header_is "$1" Cache-Control no-store
  header_is "$1" X-Content-Type-Options nosniff
  header_is "$1" Content-Security-Policy sandbox
}

# no_link_upstream NAME: the upstream received no share link, anywhere.
no_link_upstream() {
  if grep -q 'fgl_' "$work/body"; then
    echo "FAIL: $1: the upstream received the share link: $(grep 'fgl_' "$work/body" | head -c 300)"
    failures=$((failures + 1))
  fi
}

# file_cases runs what every gateway must get right under a protected prefix.
file_cases() {
  local want_uri
  case $LINK_QUERY in
    stripped) want_uri="uri=[$SHARED?page=2&x=%2F]" ;;
    dropped) want_uri="uri=[$SHARED]" ;;
    *) echo "FAIL: LINK_QUERY is '$LINK_QUERY'"; exit 1 ;;
  esac
  check "a share link opens its file" 200 "$want_uri" GET "$SHARED?page=2&fg_link=$LINK&x=%2F"
  link_headers "share link"
  upstream_saw "share link" link "" "$LINK_ID"
  no_link_upstream "share link"
  check "a share link alone" 200 "uri=[$SHARED]" GET "$SHARED?fg_link=$LINK"
  no_link_upstream "share link alone"
  check "a share link with HEAD" 200 "" HEAD "$SHARED?fg_link=$LINK"
  link_headers "share link, HEAD"
  check "a share link with a spoofed identity" 200 "auth=[link] user=[] token=[$LINK_ID]" GET "$SHARED?fg_link=$LINK" \
    -H "X-Flowgate-Auth: admin" -H "X-Flowgate-User: evil" -H "X_Flowgate_Token: tok_forged"
  upstream_saw "share link, spoofed" link "" "$LINK_ID"

  check "a share link on another file" 401 '"code":"invalid_token"' GET "/fileupload/a/other.pdf?fg_link=$LINK"
  header_is "share link elsewhere" WWW-Authenticate 'Bearer realm="flowgate", error="invalid_token"'
  no_token_in "share link elsewhere"
  check "a share link on another letter case" 401 '"code":"invalid_token"' GET "/fileupload/A/report.pdf?fg_link=$LINK"
  check "a share link on a workflow" 401 '"code":"invalid_token"' POST "/api/1.1/wf/public-open?fg_link=$LINK"
  check "a share link with a bearer token" 400 '"code":"invalid_request"' GET "$SHARED?fg_link=$LINK" -H "$(bearer "$FILES")"
  check "a share link twice" 400 '"code":"invalid_request"' GET "$SHARED?fg_link=$LINK&fg_link=$LINK"
  check "a share link under a lookalike key" 400 '"code":"invalid_request"' GET "$SHARED?FG_LINK=$LINK"
  check "a made-up share link" 401 '"code":"invalid_token"' GET "$SHARED?fg_link=fgl_nope"

  check "an admin token without a files scope" 403 '"code":"insufficient_scope"' GET "$SHARED" -H "$(bearer "$ADMIN")"
  header_is "no files scope" WWW-Authenticate 'Bearer realm="flowgate", error="insufficient_scope"'
  check "a user token without a files scope" 403 '"code":"insufficient_scope"' GET "$SHARED" -H "$(bearer "$USER")"
  check "a token with --files /fileupload/" 200 "auth=[admin] user=[] token=[$FILES_ID] method=[GET] uri=[$SHARED?page=2]" \
    GET "$SHARED?page=2" -H "$(bearer "$FILES")"
  upstream_saw "files token" admin "" "$FILES_ID"
  # Not a link: the app's own headers pass unchanged.
  header_is "files token" Cache-Control "public, max-age=86400"
  header_is "files token" Referrer-Policy unsafe-url
  check "a files token deeper in the folder" 200 "uri=[/fileupload/b/c/d.txt]" GET /fileupload/b/c/d.txt -H "$(bearer "$FILES")"
  check "a files token with HEAD" 200 "" HEAD "$SHARED" -H "$(bearer "$FILES")"
  check "a files token on another letter case" 403 '"code":"insufficient_scope"' GET /FileUpload/a/report.pdf -H "$(bearer "$FILES")"

  check "anonymous" 401 '"code":"missing_token"' GET "$SHARED"
  header_is "anonymous file" WWW-Authenticate 'Bearer realm="flowgate"'
  check "the prefix in another letter case, anonymous" 401 '"code":"missing_token"' GET /FILEUPLOAD/a/report.pdf
  check "POST to a file" 405 '"code":"method_not_allowed"' POST "$SHARED" -H "$(bearer "$FILES")"
  header_is "POST to a file" Allow "GET, HEAD"
  check "POST to a file with its link" 405 '"code":"method_not_allowed"' POST "$SHARED?fg_link=$LINK"
  check "DELETE to a file, anonymous" 405 '"code":"method_not_allowed"' DELETE "$SHARED"

  # Spellings whose meaning an upstream might read differently: refused by
  # flowgate (404), never forwarded, whatever the credential.
  check "encoded dot segment" 404 '"code":"not_found"' GET /fileupload/%2e%2e/x -H "$(bearer "$FILES")"
  check "encoded dot segment, anonymous" 404 '"code":"not_found"' GET /fileupload/%2e%2e/x
  check "dot segment" 404 '"code":"not_found"' GET /fileupload/../fileupload/a/report.pdf -H "$(bearer "$FILES")"
  check "dot segment into the prefix" 404 '"code":"not_found"' GET /x/../fileupload/a/report.pdf -H "$(bearer "$FILES")"
  check "doubled slash" 404 '"code":"not_found"' GET /fileupload//x -H "$(bearer "$FILES")"
  check "doubled slash, anonymous" 404 '"code":"not_found"' GET /fileupload//x
  check "doubled leading slash" 404 '"code":"not_found"' GET //fileupload/a/report.pdf -H "$(bearer "$FILES")"
  check "encoded slash" 404 '"code":"not_found"' GET /fileupload%2Fa/report.pdf -H "$(bearer "$FILES")"
  check "backslash" 404 '"code":"not_found"' GET '/fileupload\a\report.pdf' -H "$(bearer "$FILES")"
  check "its file spelled with a dot segment, by link" 401 '"code":"invalid_token"' GET "/fileupload/a/./report.pdf?fg_link=$LINK"

  local ws=(-H "Connection: Upgrade" -H "Upgrade: websocket" -H "Sec-WebSocket-Version: 13" -H "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==")
  check "websocket upgrade on a file" 400 '"code":"invalid_request"' GET "$SHARED?fg_link=$LINK" "${ws[@]}"
  check "paths beside the prefix go to the app unchecked" 200 "uri=[/fileuploads/x]" GET /fileuploads/x

  # Revoked: refused once the checker has reloaded (it polls the
  # database), however long that takes on a loaded machine.
  fg link revoke "$LINK_ID" >/dev/null
  local i status
  for i in $(seq 1 600); do
    status=$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$gw_port$SHARED?fg_link=$LINK")
    [ "$status" = 401 ] && break
    sleep 0.1
  done
  check "a revoked share link" 401 '"code":"invalid_token"' GET "$SHARED?fg_link=$LINK"
  no_token_in "revoked share link"
  check "the files token after the revoke" 200 "auth=[admin]" GET "$SHARED" -H "$(bearer "$FILES")"
}
