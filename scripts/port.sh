# free_port prints a loopback TCP port nothing listens on right now (a
# server started on it can still lose a race and should retry). Pure: it
# sets no trap and makes no folder, so any script may source it.
free_port() {
  local p
  for _ in $(seq 50); do
    p=$((20000 + RANDOM % 40000))
    (echo >"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  echo "free_port: no free loopback port found in 50 tries" >&2
  return 1
}
