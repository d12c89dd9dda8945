package store

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPlaceholdersAreNumberedOutsideQuotesOnly(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT a FROM t WHERE b = ? AND c IN (?, ?)`, `SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)`},
		{`SELECT '?', "col?" FROM t WHERE x = ?`, `SELECT '?', "col?" FROM t WHERE x = $1`},
		{`SELECT 'it''s ?' WHERE a = ? AND b = 'x?y'`, `SELECT 'it''s ?' WHERE a = $1 AND b = 'x?y'`},
		{`UPDATE t SET a = ?1 WHERE id = ?2 AND (a IS NULL OR a < ?3) AND b < ?1`,
			`UPDATE t SET a = $1 WHERE id = $2 AND (a IS NULL OR a < $3) AND b < $1`},
		{`SELECT ?12`, `SELECT $12`},
		{`VALUES (?, ?), (?, ?)`, `VALUES ($1, $2), ($3, $4)`},
	} {
		assert.Equal(t, c.want, numberPlaceholders(c.in), c.in)
		assert.Equal(t, c.in, sqliteDialect.sql(c.in), "SQLite keeps its own placeholders")
	}
}

func TestNocaseIsSpelledPerBackendNestedOrRepeated(t *testing.T) {
	for _, c := range []struct{ in, sqlite, postgres string }{
		{`SELECT id FROM workflows WHERE nocase(name) = nocase(?)`,
			`SELECT id FROM workflows WHERE (name) COLLATE NOCASE = (?) COLLATE NOCASE`,
			`SELECT id FROM workflows WHERE lower((name) COLLATE "C") = lower(($1) COLLATE "C")`},
		{`ORDER BY v.rule, nocase(coalesce(w.name, v.subject_id)), v.x`,
			`ORDER BY v.rule, (coalesce(w.name, v.subject_id)) COLLATE NOCASE, v.x`,
			`ORDER BY v.rule, lower((coalesce(w.name, v.subject_id)) COLLATE "C"), v.x`},
		{`ORDER BY nocase(max(workflow))`,
			`ORDER BY (max(workflow)) COLLATE NOCASE`,
			`ORDER BY lower((max(workflow)) COLLATE "C")`},
		{`SELECT nocase(name`, `SELECT nocase(name`, `SELECT nocase(name`}, // unbalanced: left for the database to refuse
	} {
		assert.Equal(t, c.sqlite, sqliteDialect.sql(c.in), c.in)
		assert.Equal(t, c.postgres, postgresDialect.sql(c.in), c.in)
	}
}

func TestBoolArgumentsBecomeIntegersInACopy(t *testing.T) {
	args := []any{true, "x", false, int64(7)}
	got := postgresDialect.args(args)
	assert.Equal(t, []any{int64(1), "x", int64(0), int64(7)}, got)
	assert.Equal(t, []any{true, "x", false, int64(7)}, args, "the caller's slice is left as it was")

	plain := []any{"x", 1}
	assert.Same(t, &plain[0], &postgresDialect.args(plain)[0], "no bool, no copy")
	assert.Same(t, &args[0], &sqliteDialect.args(args)[0], "SQLite's driver takes bools itself")
}

func TestRedactHidesEveryPasswordOfAURL(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/var/lib/flowgate/flowgate.db", "/var/lib/flowgate/flowgate.db"},
		{"postgres://fg@db.internal:5432/flowgate", "postgres://fg@db.internal:5432/flowgate"},
		{"postgres://fg:s3cret@db.internal/flowgate?sslmode=require", "postgres://fg:xxxxx@db.internal/flowgate?sslmode=require"},
		{"postgresql://fg@db.internal/flowgate?password=s3cret&sslmode=disable", "postgresql://fg@db.internal/flowgate?password=xxxxx&sslmode=disable"},
		{"postgres://fg:s3cret@db.internal/flowgate?password=s3cret", "postgres://fg:xxxxx@db.internal/flowgate?password=xxxxx"},
		{"postgres://fg:p%40ss%2Fword@db.internal/flowgate", "postgres://fg:xxxxx@db.internal/flowgate"},
		{"POSTGRES://fg:s3cret@db.internal/flowgate", "postgres://fg:xxxxx@db.internal/flowgate"},
		// Pairs url.ParseQuery drops, which must still be hidden.
		{"postgres://fg@db.internal/flowgate?sslmode=bogus&password=s3cret%zz", "postgres://fg@db.internal/flowgate?sslmode=bogus&password=xxxxx"},
		{"postgres://fg@db.internal/flowgate?password=s3cret;x&connect_timeout=1", "postgres://fg@db.internal/flowgate?password=xxxxx&connect_timeout=1"},
		{"postgres://fg@db.internal/flowgate?pass%zzword=s3cret", "postgres://fg@db.internal/flowgate?pass%zzword=xxxxx"},
		// Other spellings and secrets.
		{"postgres://fg@db.internal/flowgate?pass%77ord=s3cret", "postgres://fg@db.internal/flowgate?pass%77ord=xxxxx"},
		{"postgres://fg@db.internal/flowgate?PASSWORD=s3cret", "postgres://fg@db.internal/flowgate?PASSWORD=xxxxx"},
		{"postgres://fg@db.internal/flowgate?sslkey=/k.pem&sslpassword=s3cret", "postgres://fg@db.internal/flowgate?sslkey=/k.pem&sslpassword=xxxxx"},
	} {
		assert.Equal(t, c.want, Redact(c.in), c.in)
	}
	// A URL that does not parse is not shown at all: its password could be
	// anywhere.
	for _, bad := range []string{"postgres://fg:s3cret@db.internal:port/flowgate", "postgres:/fg:s3cret@db.internal/flowgate"} {
		assert.NotContains(t, Redact(bad), "s3cret")
		assert.Contains(t, Redact(bad), "does not parse")
	}
}
