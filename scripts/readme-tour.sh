#!/usr/bin/env bash
# Runs the README's "A short tour" block line by line, as a new user would
# type it, so the tour and the product cannot drift apart. The block is read
# from README.md itself; nothing here repeats its lines.
#
# Each line runs with bash in one empty folder, with a freshly built
# flowgate first on PATH and:
#   - the fixtures the tour names (app-export.json, meta.json, elements/)
#     copied from importer/testdata;
#   - tok_XXXX replaced by the id of the last token created, lnk_XXXX by the
#     last share link's id, and the secret fed on stdin to a line that reads
#     one (--token -, --link -);
#   - `flowgate serve` lines started in the background on a free port (later
#     lines naming 127.0.0.1:8420 get that port) and stopped at the end;
#   - an expected exit code read from a "(exit N)" in the line's comment
#     (default 0): any other exit code fails the run, and so does a line
#     printing a "flowgate: warning:".
# Lines it cannot run here are skipped with a note: `go ...` (the binary is
# built above), curl to a host other than this machine, and the editor.
#
# Then the "## Moving to a shared PostgreSQL" block runs in the same folder,
# on the tour's flowgate.db, with `go run ./cmd/flowgate` as the built
# flowgate and its postgres:// URL replaced by a fresh database on the test
# cluster ($FLOWGATE_TEST_POSTGRES, as for the Go tests; without it that
# block is skipped with a note, except under CI=true, where it fails); the
# database must then export exactly what the file does.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="/usr/local/go/bin:$PATH"

work=$(mktemp -d)
background=()
pg_database=""
cleanup() {
  if [ -n "$pg_database" ]; then
    psql "$FLOWGATE_TEST_POSTGRES" -qc "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null || true
  fi
  for pid in "${background[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/bin" "$work/tour"
(cd "$root" && go build -o "$work/bin/flowgate" ./cmd/flowgate)
export PATH="$work/bin:$PATH" FLOWGATE_DB="" NO_COLOR=1

cp "$root/importer/testdata/app-export.json" "$root/importer/testdata/meta.json" "$work/tour/"
cp -r "$root/importer/testdata/elements" "$work/tour/elements"

# The first ```sh block after the "## A short tour" heading.
awk '/^## A short tour/ { tour = 1 } tour && /^```sh/ { inside = 1; next } inside && /^```/ { exit } inside { print }' \
  "$root/README.md" >"$work/tour.sh"
[ -s "$work/tour.sh" ] || { echo "readme-tour: no \`\`\`sh block under \"## A short tour\" in README.md" >&2; exit 1; }

. "$root/scripts/port.sh"

last_token_id="" last_secret="" last_link_id="" last_link_secret="" port=8420
ran=0 skipped=0 n=0
while IFS= read -r line || [ -n "$line" ]; do
  n=$((n + 1))
  trimmed="${line#"${line%%[![:space:]]*}"}"
  [ -z "$trimmed" ] && continue
  [[ "$trimmed" == \#* ]] && continue

  skip=""
  case "$trimmed" in
    "go "*) skip="the binary is built by this script" ;;
    "flowgate edit"*) skip="the editor needs a terminal" ;;
    curl*)
      if ! grep -Eq "https?://(127\.0\.0\.1|localhost)[:/]" <<<"$trimmed"; then
        skip="it calls a host other than this machine"
      fi ;;
  esac
  if [ -n "$skip" ]; then
    echo "-- skipped (line $n: $skip): $trimmed"
    skipped=$((skipped + 1))
    continue
  fi

  want=0
  if [[ "$trimmed" =~ \#.*\(exit\ ([0-9]+)\) ]]; then
    want=${BASH_REMATCH[1]}
  fi
  cmd=${trimmed//tok_XXXX/$last_token_id}
  cmd=${cmd//lnk_XXXX/$last_link_id}
  cmd=${cmd//127.0.0.1:8420/127.0.0.1:$port}
  stdin=""
  case "$cmd" in
    *"--token -"*) stdin=$last_secret ;;
    *"--link -"*) stdin=$last_link_secret ;;
  esac
  echo "\$ $cmd"

  if [[ "$cmd" == "flowgate serve"* ]]; then
    if [[ "$cmd" != *--listen* ]]; then
      port=$(free_port)
      cmd="$cmd --listen 127.0.0.1:$port"
    fi
    log="$work/serve-$n.log"
    (cd "$work/tour" && exec bash -c "$cmd" </dev/null >"$log" 2>&1) &
    background+=("$!")
    for _ in $(seq 100); do
      grep -q '"msg":"listening"' "$log" 2>/dev/null && break
      if ! kill -0 "${background[-1]}" 2>/dev/null; then
        cat "$log"; echo "readme-tour: line $n exited instead of serving: $trimmed" >&2; exit 1
      fi
      sleep 0.1
    done
    grep -q '"msg":"listening"' "$log" || { cat "$log"; echo "readme-tour: line $n did not start listening" >&2; exit 1; }
    echo "   (serving in the background)"
    ran=$((ran + 1))
    continue
  fi

  set +e
  out=$(cd "$work/tour" && timeout 120 bash -c "$cmd" <<<"$stdin" 2>&1)
  code=$?
  set -e
  printf '%s\n' "$out" | sed 's/^/   /'
  if [ "$code" -ne "$want" ]; then
    echo "readme-tour: line $n exited $code, expected $want: $trimmed" >&2
    exit 1
  fi
  # A warning means the tour is out of order (a --files scope before the
  # prefix it names is protected, say): the line does less than it shows.
  if grep -q '^flowgate: warning:' <<<"$out"; then
    echo "readme-tour: line $n warned, so the tour does not do what it shows: $trimmed" >&2
    exit 1
  fi
  ran=$((ran + 1))

  # Remember what later lines refer to.
  if id=$(grep -Eo '^id: +tok_[0-9A-Za-z]+' <<<"$out"); then last_token_id=${id##* }; fi
  if s=$(grep -Eo '^token: +fg[au]_[0-9A-Za-z]+' <<<"$out"); then last_secret=${s##* }; fi
  if id=$(grep -Eo '^id: +lnk_[0-9A-Za-z]+' <<<"$out"); then last_link_id=${id##* }; fi
  if s=$(grep -Eo 'fg_link=fgl_[0-9A-Za-z]+' <<<"$out"); then last_link_secret=${s#fg_link=}; fi
done <"$work/tour.sh"

# The "## Moving to a shared PostgreSQL" block, on the tour's database.
awk '/^## Moving to a shared PostgreSQL/ { on = 1 } on && /^```sh/ { inside = 1; next } inside && /^```/ { exit } inside { print }' \
  "$root/README.md" >"$work/move.sh"
[ -s "$work/move.sh" ] || { echo "readme-tour: no \`\`\`sh block under \"## Moving to a shared PostgreSQL\" in README.md" >&2; exit 1; }
if [ -z "${FLOWGATE_TEST_POSTGRES:-}" ]; then
  if [ "${CI:-}" = true ]; then
    echo "readme-tour: \$FLOWGATE_TEST_POSTGRES is unset under CI=true: the PostgreSQL block must run (.ci/run starts the cluster)" >&2
    exit 1
  fi
  echo "-- skipped the \"Moving to a shared PostgreSQL\" block: \$FLOWGATE_TEST_POSTGRES is unset"
elif [[ "$(flowgate copy-store 2>&1 || true)" == *'unknown command "copy-store"'* ]]; then
  echo "-- skipped the \"Moving to a shared PostgreSQL\" block: this build has no copy-store command yet"
else
  pg_database="readme_tour_$$_$RANDOM"
  psql "$FLOWGATE_TEST_POSTGRES" -qc "CREATE DATABASE $pg_database" >/dev/null
  pg_url=$(sed -E "s#^(postgres(ql)?://[^/]+)/[^?]*#\1/$pg_database#" <<<"$FLOWGATE_TEST_POSTGRES")
  while IFS= read -r line || [ -n "$line" ]; do
    trimmed="${line#"${line%%[![:space:]]*}"}"
    [ -z "$trimmed" ] || [[ "$trimmed" == \#* ]] && continue
    cmd=${trimmed//go run .\/cmd\/flowgate/flowgate}
    cmd=$(sed -E "s#postgres(ql)?://[^ ]+#'$pg_url'#g" <<<"$cmd")
    echo "\$ $cmd"
    set +e
    out=$(cd "$work/tour" && timeout 120 bash -c "$cmd" </dev/null 2>&1)
    code=$?
    set -e
    printf '%s\n' "$out" | sed 's/^/   /'
    [ "$code" -eq 0 ] || { echo "readme-tour: \"$trimmed\" exited $code" >&2; exit 1; }
    ran=$((ran + 1))
  done <"$work/move.sh"
  (cd "$work/tour" && flowgate export) >"$work/file-export.json"
  flowgate --db "$pg_url" export >"$work/pg-export.json"
  cmp -s "$work/file-export.json" "$work/pg-export.json" ||
    { diff "$work/file-export.json" "$work/pg-export.json" | head -20; echo "readme-tour: the PostgreSQL copy exports differently from flowgate.db" >&2; exit 1; }
  echo "   (the database exports exactly what flowgate.db does)"
fi

echo "readme-tour: $ran lines ran as expected, $skipped skipped"
