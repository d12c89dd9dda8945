#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for flowgate's tests and CI.
#
#   eval "$(bash scripts/pg-test-cluster.sh start)"   # start; exports the variables below
#   bash scripts/pg-test-cluster.sh env                # print them again
#   bash scripts/pg-test-cluster.sh stop               # stop it and delete everything
#
# start initdb's a cluster in a new temporary folder, runs it as the
# `postgres` user on a free loopback port (127.0.0.1 only, its unix socket in
# that folder), creates the database flowgate_test, and prints shell exports:
#   FLOWGATE_TEST_POSTGRES  postgres://postgres@127.0.0.1:PORT/flowgate_test?sslmode=disable
#   PGPASSFILE              the password file pgx and psql read for that URL
#   FLOWGATE_PG_DIR         the cluster's folder, which stop removes
# Progress goes to stderr, so stdout can be eval'd.
#
# Authentication: TCP connections need the postgres role's password
# (scram-sha-256), a random one generated per cluster and kept in a
# PGPASSFILE readable by its owner only. Not trust: the role is a superuser,
# and a superuser can run programs as the postgres OS user (COPY ... TO
# PROGRAM), so trust on 127.0.0.1 would hand that to every local user of a
# shared machine for as long as the cluster runs. The URL itself holds no
# secret and can be logged. The unix socket (peer authentication, in a folder
# only postgres can enter) is for this script's own setup.
#
# Needs root (CI runs as root): to install Debian's postgresql package when
# initdb is missing, and to run the server as `postgres`. The package's own
# cluster on port 5432 is never used; when this script installed the package
# it stops that cluster again. stop uses $FLOWGATE_PG_DIR, or else the folder
# that the last start from this checkout recorded.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/port.sh

say() { echo "pg-test-cluster: $*" >&2; }
die() { say "$*"; exit 1; }

# pointer is where start records its folder for a later stop or env without
# $FLOWGATE_PG_DIR: inside the checkout's git folder (one per worktree), so
# that two checkouts on one machine keep separate clusters.
pointer() {
  local gitdir
  if gitdir=$(git rev-parse --absolute-git-dir 2>/dev/null); then
    echo "$gitdir/flowgate-pg-test-cluster"
  else
    echo "${TMPDIR:-/tmp}/flowgate-pg-test-cluster.$(id -u)"
  fi
}

# cluster_dir is the folder of the running cluster, or empty.
cluster_dir() {
  if [ -n "${FLOWGATE_PG_DIR:-}" ]; then
    echo "$FLOWGATE_PG_DIR"
  elif [ -f "$(pointer)" ]; then
    cat "$(pointer)"
  fi
}

# pg_bin finds Debian's server binaries (initdb, pg_ctl), which are not on
# PATH; the newest version wins.
pg_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

install_postgres() {
  [ "$(id -u)" = 0 ] || die "initdb is missing and installing postgresql needs root"
  say "installing Debian's postgresql package"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  # The package starts a cluster of its own on 5432; ours runs elsewhere.
  if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters --no-header 2>/dev/null | while read -r ver name _ status _; do
      [ "$status" = online ] && pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true
    done
  fi
}

# as_postgres runs a command as the postgres OS user, as the server must.
as_postgres() { runuser -u postgres -- "$@"; }

print_env() {
  local dir=$1
  [ -f "$dir/env" ] || die "no cluster at $dir (start one with: eval \"\$(bash scripts/pg-test-cluster.sh start)\")"
  cat "$dir/env"
}

start() {
  [ "$(id -u)" = 0 ] || die "start needs root: the server runs as the postgres user"
  local bin
  bin=$(pg_bin) || { install_postgres; bin=$(pg_bin) || die "postgresql installed but no initdb under /usr/lib/postgresql"; }
  local old
  old=$(cluster_dir)
  if [ -n "$old" ] && [ -d "$old" ]; then
    if as_postgres "$bin/pg_ctl" -D "$old/data" status >/dev/null 2>&1; then
      die "a cluster from this checkout is running at $old: stop it first (bash scripts/pg-test-cluster.sh stop)"
    fi
    say "removing $old, left by a cluster that is no longer running"
    stop
  fi
  id postgres >/dev/null 2>&1 || die "there is no postgres user (it comes with Debian's postgresql package)"

  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/flowgate-pg.XXXXXX")
  chmod 0711 "$dir" # postgres must reach its folders inside; nobody may list it
  mkdir "$dir/data" "$dir/socket" "$dir/log"
  chown postgres: "$dir/data" "$dir/socket" "$dir/log"
  chmod 0700 "$dir/data" "$dir/socket" "$dir/log"

  local password
  password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  (umask 077 && printf '%s\n' "$password" >"$dir/pwfile")
  chown postgres: "$dir/pwfile"
  # The C locale sorts by bytes, as SQLite's default collation does.
  if ! as_postgres "$bin/initdb" -D "$dir/data" -U postgres --pwfile="$dir/pwfile" \
      --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    rm -rf "$dir"
    die "initdb failed"
  fi
  rm -f "$dir/pwfile"

  # A throwaway cluster: durability off for speed; room for the many
  # connections of parallel tests.
  cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/socket'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
EOF

  local port tries=0
  while :; do
    port=$(free_port)
    if as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log/server.log" -o "-p $port" -w -t 60 start >/dev/null; then
      break
    fi
    tries=$((tries + 1))
    if ! grep -q "Address already in use" "$dir/log/server.log" 2>/dev/null || [ "$tries" -ge 5 ]; then
      tail -n 20 "$dir/log/server.log" >&2 || true
      rm -rf "$dir"
      die "the server did not start (log above)"
    fi
    say "port $port was taken; trying another"
  done
  echo "$dir" >"$(pointer)"

  as_postgres psql -X -q -v ON_ERROR_STOP=1 -h "$dir/socket" -p "$port" -U postgres -d postgres \
    -c "CREATE DATABASE flowgate_test" >&2

  (umask 077 && printf '127.0.0.1:%s:*:postgres:%s\n' "$port" "$password" >"$dir/pgpass")
  local url="postgres://postgres@127.0.0.1:$port/flowgate_test?sslmode=disable"
  cat >"$dir/env" <<EOF
export FLOWGATE_TEST_POSTGRES='$url'
export PGPASSFILE='$dir/pgpass'
export FLOWGATE_PG_DIR='$dir'
EOF
  say "PostgreSQL $(basename "$(dirname "$bin")") running at $url (password in $dir/pgpass)"
  print_env "$dir"
}

stop() {
  local dir
  dir=$(cluster_dir)
  if [ -z "$dir" ] || [ ! -d "$dir" ]; then
    say "no cluster to stop"
    rm -f "$(pointer)"
    return 0
  fi
  case "$dir" in
    */flowgate-pg.*) ;;
    *) die "refusing to remove $dir: not a folder this script made" ;;
  esac
  local bin
  if [ -f "$dir/data/postmaster.pid" ] && bin=$(pg_bin); then
    as_postgres "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null || say "pg_ctl stop failed; removing the folder anyway"
  fi
  rm -rf "$dir"
  if [ "$(cat "$(pointer)" 2>/dev/null)" = "$dir" ]; then rm -f "$(pointer)"; fi
  say "stopped and removed $dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env)
    dir=$(cluster_dir)
    [ -n "$dir" ] || die "no cluster is running for this checkout (start one with: eval \"\$(bash scripts/pg-test-cluster.sh start)\")"
    print_env "$dir"
    ;;
  *) say "usage: scripts/pg-test-cluster.sh start|stop|env"; exit 2 ;;
esac
