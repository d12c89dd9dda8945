#!/usr/bin/env bash
# End-to-end test of the editor: runs the real binary in a real terminal
# (tmux) on a temporary database, types what a person would — select a
# workflow, make it public, choose "Admin only", save with ctrl+s, quit —
# then checks with `flowgate show --json` that exactly that was saved, that
# nothing else changed, and that the terminal was restored. The editor runs
# with NO_COLOR=1, and the screen is checked to carry no colour. A second
# run sweeps in bulk: it marks three workflows, sets them to Admin only as
# one draft and saves them in one transaction, then checks with `show
# --json` and `history` that all three changed and nothing else did.
#
# Usage: scripts/e2e-tui.sh   (installs tmux with apt-get when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/usr/local/go/bin:$PATH"

if ! command -v tmux >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux
fi

work=$(mktemp -d)
session=""
# A private tmux server, so nothing else using tmux on the machine can
# disturb the test (or be disturbed by it).
tmux() { command tmux -S "$work/tmux.sock" "$@"; }
cleanup() {
  tmux kill-server 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "e2e-tui: FAIL: $*" >&2
  echo "--- last screen:" >&2
  tmux capture-pane -p -t "$session" 2>/dev/null >&2 || true
  exit 1
}

go build -o "$work/flowgate" ./cmd/flowgate
db="$work/flowgate.db"
fg() { "$work/flowgate" --db "$db" "$@"; }

fg add alpha --description "stays as it is" >/dev/null
fg add beta --description "the one we edit" >/dev/null
fg add gamma --public --auth none >/dev/null
alpha_before=$(fg show alpha --json)
gamma_before=$(fg show gamma --json)
beta_before=$(fg show beta --json)

# screen prints the terminal as text.
screen() { tmux capture-pane -p -t "$session"; }

# wait_for waits up to 10 s for text to be on screen.
wait_for() {
  for _ in $(seq 100); do
    if screen | grep -qF -- "$1"; then return 0; fi
    sleep 0.1
  done
  fail "did not see: $1"
}

# press sends one key, then gives the editor a moment to draw.
press() {
  tmux send-keys -t "$session" "$1"
  sleep 0.2
}

# open_editor starts the editor in a new tmux session ($1), the way a
# person would: `flowgate` alone opens it in a terminal. The shell around it
# records the exit code and the terminal settings after it quits.
open_editor() {
  session=$1
  rm -f "$work/exit" "$work/stty"
  tmux new-session -d -s "$session" -x 100 -y 30 \
    "env NO_COLOR=1 '$work/flowgate' --db '$db'; echo \$? > '$work/exit'; stty -a > '$work/stty'; sleep 30"
}

# quit_editor presses q (nothing is unsaved, so no question) and checks the
# editor left cleanly and gave the terminal back.
quit_editor() {
  press q
  for _ in $(seq 100); do [ -s "$work/exit" ] && break; sleep 0.1; done
  [ -s "$work/exit" ] || fail "the editor did not quit"
  [ "$(cat "$work/exit")" = 0 ] || fail "exit code $(cat "$work/exit")"
  grep -Eq '(^|[ ;])icanon([ ;]|$)' "$work/stty" && grep -Eq '(^|[ ;])echo([ ;]|$)' "$work/stty" ||
    fail "terminal not restored: $(cat "$work/stty")"
}

open_editor flowgate-e2e
wait_for "Workflows 1/3"
press j                     # select beta
wait_for "Workflows 2/3"
press Tab                   # to "Expose as a public API workflow"
press Space                 # make it public
wait_for "Authentication [User and admin ▾]"
press j                     # to the Authentication field
press Enter                 # open the dropdown
wait_for "Only admin API tokens"
press j
press j                     # to "Admin only"
press Enter                 # choose it
wait_for "Authentication [Admin only ▾]"
wait_for "anonymous 401 · user 403 · admin 200"
wait_for "● 1 unsaved"
press C-s                   # save
wait_for "Saved beta (version 2)."

if tmux capture-pane -e -p -t "$session" | grep -qE $'\e\\[[0-9;]*(3[0-9]|4[0-9]|9[0-7])m'; then
  fail "colour on screen although NO_COLOR=1"
fi

quit_editor

# Exactly public and auth changed (with the exposure they give, the version
# and update time).
beta_after=$(fg show beta --json)
expected=$(printf '%s\n' "$beta_before" | sed -e 's/"public": false/"public": true/' \
  -e 's/"auth": "user"/"auth": "admin"/' -e 's/"exposure": "scheduled"/"exposure": "admins"/' \
  -e 's/"version": 1/"version": 2/' | grep -v '"updated_at"')
actual=$(printf '%s\n' "$beta_after" | grep -v '"updated_at"')
if [ "$expected" != "$actual" ]; then
  diff <(echo "$expected") <(echo "$actual") >&2 || true
  fail "beta is not what was typed"
fi
[ "$(fg show alpha --json)" = "$alpha_before" ] || fail "alpha changed"
[ "$(fg show gamma --json)" = "$gamma_before" ] || fail "gamma changed"

# The change trail names the editor, for exactly the two fields.
history=$(fg history beta)
[ "$(echo "$history" | grep -c ' editor')" = 2 ] || fail "expected 2 editor changes in: $history"
echo "$history" | grep -q 'public .*false → true' || fail "no public change in history: $history"
echo "$history" | grep -q 'auth .*user → admin' || fail "no auth change in history: $history"

# Bulk: mark three workflows, set them to Admin only as one draft, save
# them in one transaction.
for name in hook-a hook-b hook-c hook-keep; do
  fg add "$name" --public --auth user --description "$name stays described" >/dev/null
done
declare -A before
for name in alpha beta gamma hook-a hook-b hook-c hook-keep; do
  before[$name]=$(fg show "$name" --json)
done

open_editor flowgate-e2e-bulk
wait_for "Workflows 1/7"
press j; press j; press j      # to hook-a
wait_for "Workflows 4/7"
press m; press m; press m      # mark hook-a, hook-b, hook-c (m marks and moves down)
wait_for "3 marked workflows"  # the panel edits all three
screen | grep -Eq '^7 workflows · .* 3 marked *$' || fail "the header does not count 3 marked"
for name in hook-a hook-b hook-c; do wait_for "✓ $name "; done
if screen | grep -qF "✓ hook-keep"; then fail "hook-keep is marked"; fi
press Tab                      # into the panel: "Expose as a public API workflow"
press j                        # to the Authentication field
press Enter                    # open the dropdown (all three are User and admin)
wait_for "Only admin API tokens"
press j                        # to "Admin only"
press Enter                    # choose it for all three
wait_for "Authentication [Admin only ▾]"
wait_for "● 3 unsaved"
press C-s                      # one transaction
wait_for "Saved 3 workflows in one transaction."
quit_editor

for name in hook-a hook-b hook-c; do
  expected=$(printf '%s\n' "${before[$name]}" | sed -e 's/"auth": "user"/"auth": "admin"/' \
    -e 's/"exposure": "users"/"exposure": "admins"/' -e 's/"version": 1/"version": 2/' | grep -v '"updated_at"')
  actual=$(fg show "$name" --json | grep -v '"updated_at"')
  if [ "$expected" != "$actual" ]; then
    diff <(echo "$expected") <(echo "$actual") >&2 || true
    fail "$name is not what was typed"
  fi
  history=$(fg history "$name")
  [ "$(echo "$history" | grep -c ' editor')" = 1 ] || fail "expected 1 editor change to $name in: $history"
  echo "$history" | grep -q 'auth .*user → admin .*editor' || fail "no auth change in the history of $name: $history"
done
for name in alpha beta gamma hook-keep; do
  [ "$(fg show "$name" --json)" = "${before[$name]}" ] || fail "$name changed in the bulk edit"
done

echo "e2e-tui: ok (selected beta, made it public, chose Admin only, saved, quit; exactly that was saved;"
echo "  marked hook-a, hook-b, hook-c, set them to Admin only, saved them in one transaction; exactly that was saved)"
