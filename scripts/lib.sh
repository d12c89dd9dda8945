# Shared by the scripts that start servers: a temporary folder in $work,
# background processes tracked in $pids and stopped on exit, and free_port
# (from port.sh, which scripts that need no trap source alone).
# Source it after `set -euo pipefail`.

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap "exit 130" INT TERM

. "$(dirname "${BASH_SOURCE[0]}")/port.sh"
