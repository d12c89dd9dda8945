// Package pgtest gives tests a PostgreSQL database of their own. The server
// is the throwaway cluster of scripts/pg-test-cluster.sh, which .ci/run
// starts; its URL arrives in $FLOWGATE_TEST_POSTGRES (and its password in
// the $PGPASSFILE beside it). Without that variable the PostgreSQL tests are
// skipped, saying how to run them, except in CI, where a skipped backend
// would read as a passing one: there they fail. For tests only.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvURL names the variable holding the test cluster's URL, a database
// tests may connect to and create databases from.
const EnvURL = "FLOWGATE_TEST_POSTGRES"

// adminTimeout bounds creating or dropping a test database, so that a dead
// server fails the test instead of hanging it.
const adminTimeout = time.Minute

// URL is the test cluster's URL from $FLOWGATE_TEST_POSTGRES. When it is
// unset the test is skipped, or fails under CI=true: CI must run every
// PostgreSQL test.
func URL(t testing.TB) string {
	t.Helper()
	raw := os.Getenv(EnvURL)
	if raw == "" {
		const how = "to run them, start a throwaway cluster as root: eval \"$(bash scripts/pg-test-cluster.sh start)\""
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is unset under CI=true, where the PostgreSQL tests must run (.ci/run starts the cluster); %s", EnvURL, how)
		}
		t.Skipf("PostgreSQL tests skipped: %s is unset; %s", EnvURL, how)
	}
	if u, err := url.Parse(raw); err != nil || u.Scheme != "postgres" && u.Scheme != "postgresql" {
		t.Fatalf("%s must be a postgres:// URL such as postgres://postgres@127.0.0.1:5432/flowgate_test?sslmode=disable", EnvURL)
	}
	return raw
}

// FreshDatabase creates an empty database with a unique name on the test
// cluster and returns the cluster's URL with that database in its path;
// the database is dropped (whoever is still connected) when the test ends.
// Each test gets its own, so tests run in parallel and a failed one leaves
// nothing behind for the next.
func FreshDatabase(t testing.TB) string {
	t.Helper()
	return freshDatabase(t, "")
}

// FreshDatabaseFrom is FreshDatabase with a copy of the database named
// template (to which nobody may be connected) instead of an empty one:
// copying a database that already holds a schema is several times faster
// than creating one and building the schema in it. It needs PostgreSQL 15
// or later (STRATEGY FILE_COPY).
func FreshDatabaseFrom(t testing.TB, template string) string {
	t.Helper()
	return freshDatabase(t, " TEMPLATE "+pgx.Identifier{template}.Sanitize()+" STRATEGY FILE_COPY")
}

// freshDatabase creates a database of the test's own with the given
// options of CREATE DATABASE.
func freshDatabase(t testing.TB, options string) string {
	t.Helper()
	base := URL(t)
	name := uniqueName(t)
	admin(t, base, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()+options)
	t.Cleanup(func() { admin(t, base, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)") })
	u, _ := url.Parse(base) // URL checked it
	u.Path, u.RawPath = "/"+name, ""
	return u.String()
}

// admin runs one statement on its own connection to the cluster's
// database: CREATE and DROP DATABASE cannot run inside a transaction or on
// the database they name.
func admin(t testing.TB, base, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), adminTimeout)
	defer cancel()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("pgtest: connect to the test cluster (%s): %v", redacted(base), err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("pgtest: %s: %v", sql, err)
	}
}

// uniqueName is a database name that says which test made it (for whoever
// looks at a cluster left running) and is unique thanks to random bytes;
// PostgreSQL keeps 63 bytes of a name.
func uniqueName(t testing.TB) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	var test strings.Builder
	for _, r := range strings.ToLower(t.Name()) {
		if test.Len() == 40 {
			break
		}
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			test.WriteRune(r)
		} else {
			test.WriteByte('_')
		}
	}
	return "fgt_" + test.String() + "_" + hex.EncodeToString(b[:])
}

// redacted is a URL fit for a failure message: without its password.
func redacted(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return "the URL in $" + EnvURL
}
