# Shared by the benchmark scripts that run on PostgreSQL with
# BACKEND=postgres (bench-gateway.sh, bench-reload.sh). Source it after
# lib.sh, then call bench_postgres_database once "$work/flowgate" is built.

# bench_postgres_database creates a database of the run's own on the
# PostgreSQL server of $FLOWGATE_TEST_POSTGRES (a URL whose database may
# create others: the throwaway cluster of scripts/pg-test-cluster.sh; its
# password from $PGPASSFILE) with psql, gives it its schema with
# `flowgate migrate`, and sets db to its URL (and pg_base, pg_name). The
# database is dropped on exit, after lib.sh's cleanup has stopped the
# servers using it.
bench_postgres_database() {
  pg_name="fgbench_$$_$RANDOM"
  pg_base=$FLOWGATE_TEST_POSTGRES
  pg_admin "CREATE DATABASE $pg_name"
  trap 'cleanup; pg_admin "DROP DATABASE IF EXISTS $pg_name WITH (FORCE)" || true' EXIT
  db=$(sed -E "s#^(postgres(ql)?://[^/]*)/[^?]*#\1/$pg_name#" <<<"$pg_base")
  "$work/flowgate" --db "$db" migrate >/dev/null
}

# pg_admin SQL runs SQL on the server's own database (CREATE and DROP
# DATABASE cannot run on the database they name).
pg_admin() { psql "$pg_base" -X -q -v ON_ERROR_STOP=1 -c "$1" >/dev/null; }
