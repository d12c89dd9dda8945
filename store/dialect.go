package store

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Backend names the kind of database a store keeps its settings in: what
// `flowgate version`, the gateway's health report and the logs show.
type Backend string

// The backends. SQLite is the embedded default (one file); PostgreSQL is
// the shared store of a fleet of checkers.
const (
	BackendSQLite   Backend = "sqlite"
	BackendPostgres Backend = "postgres"
)

// dialect is how one backend spells the few things its SQL spells
// differently. The store's queries are written once, in SQLite's spelling
// with two additions, and rewritten for PostgreSQL as they are sent:
//
//   - `?` placeholders become `$1`, `$2`, … (outside quoted strings);
//   - nocase(x) compares and sorts x ignoring ASCII case, as SQLite's NOCASE
//     collation does: `(x) COLLATE NOCASE` on SQLite and
//     `lower((x) COLLATE "C")` on PostgreSQL, whose "C" lower-casing folds
//     ASCII letters only, exactly like NOCASE.
//
// Everything else is standard SQL both accept (ON CONFLICT upserts,
// RETURNING, CASE, coalesce).
type dialect struct {
	backend Backend
}

var (
	sqliteDialect   = &dialect{backend: BackendSQLite}
	postgresDialect = &dialect{backend: BackendPostgres}
)

// sql rewrites a query into this backend's spelling.
func (d *dialect) sql(query string) string {
	query = d.expandNocase(query)
	if d.backend == BackendPostgres {
		query = numberPlaceholders(query)
	}
	return query
}

// closingParen is the index of the parenthesis that closes an expression
// whose opening one was just before s, or len(s) when none does.
func closingParen(s string) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return len(s)
}

// expandNocase replaces every nocase(x) with the backend's spelling.
func (d *dialect) expandNocase(query string) string {
	const open = "nocase("
	if !strings.Contains(query, open) {
		return query
	}
	var b strings.Builder
	for {
		i := strings.Index(query, open)
		if i < 0 {
			b.WriteString(query)
			return b.String()
		}
		end := closingParen(query[i+len(open):])
		if i+len(open)+end == len(query) {
			b.WriteString(query) // unbalanced: let the database report it
			return b.String()
		}
		expr := query[i+len(open) : i+len(open)+end]
		b.WriteString(query[:i])
		if d.backend == BackendPostgres {
			b.WriteString(`lower((` + expr + `) COLLATE "C")`)
		} else {
			b.WriteString(`(` + expr + `) COLLATE NOCASE`)
		}
		query = query[i+len(open)+end+1:]
	}
}

// numberPlaceholders turns each `?` outside a quoted string or identifier
// into PostgreSQL's numbered `$n`, and SQLite's `?NNN` into `$NNN`. A query
// uses one style or the other, never both.
func numberPlaceholders(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?' && i+1 < len(query) && query[i+1] >= '0' && query[i+1] <= '9':
			b.WriteByte('$') // SQLite's numbered ?NNN is PostgreSQL's $NNN
			continue
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// args converts arguments to what this backend stores: SQLite keeps Go
// booleans as the integers 0 and 1, and so does flowgate's PostgreSQL
// schema (integer columns, so that both hold the same values and a dump of
// one compares equal to a dump of the other), but PostgreSQL's driver will
// not write a bool into an integer column.
func (d *dialect) args(args []any) []any {
	if d.backend != BackendPostgres {
		return args
	}
	var out []any // a copy, made at the first bool: the caller's slice is left as it was
	for i, a := range args {
		b, ok := a.(bool)
		if !ok {
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = int64(0)
		if b {
			out[i] = int64(1)
		}
	}
	if out == nil {
		return args
	}
	return out
}

// canHold reports whether this backend can hold every one of values as
// text. PostgreSQL's text refuses NUL bytes and invalid UTF-8 with an
// error, in a lookup too, where SQLite simply finds nothing; flowgate
// validates the text it stores, so on PostgreSQL such a value is one that
// no stored row holds.
func (d *dialect) canHold(values ...string) bool {
	if d.backend != BackendPostgres {
		return true
	}
	for _, v := range values {
		if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
			return false
		}
	}
	return true
}

// noRowHolds reports that the backend behind q cannot hold one of values,
// so that a lookup answers "not found" on both backends instead of an
// error on PostgreSQL (see canHold).
func noRowHolds(q any, values ...string) bool {
	h, ok := q.(interface{ spelling() *dialect })
	return ok && !h.spelling().canHold(values...)
}

// storable is text fit for a column of either backend: unchanged when
// PostgreSQL can hold it, else with its NUL bytes, control characters and
// invalid UTF-8 written as Go escapes (\x00, \xff), for text that is only
// informative, such as the file an import read. SQLite could keep the raw
// bytes, but both backends store the same text, so that a SQLite store
// can always be copied into PostgreSQL and the trail reads alike on both.
func storable(s string) string {
	if postgresDialect.canHold(s) {
		return s
	}
	q := strconv.QuoteToGraphic(s)
	return q[1 : len(q)-1]
}

// lockWrites makes a write transaction wait for every other writer, as
// SQLite's BEGIN IMMEDIATE does (the store opens SQLite write transactions
// that way): PostgreSQL's transactions lock the one generation row first.
// Writers then run one at a time, so a read-then-write (is this name free?
// is the row still at the version the editor read?) sees every earlier
// commit, and generations are taken in commit order.
func (d *dialect) lockWrites(ctx context.Context, tx txHandle) error {
	if d.backend != BackendPostgres {
		return nil
	}
	_, err := tx.ExecContext(ctx, `SELECT generation FROM meta FOR UPDATE`)
	return err
}

// beginRead is the statement that starts a read-only transaction seeing one
// instant of the database, on a reserved connection: SQLite's deferred
// BEGIN (its write transactions are IMMEDIATE), PostgreSQL's repeatable
// read.
func (d *dialect) beginRead() string {
	if d.backend == BackendPostgres {
		return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
	}
	return "BEGIN DEFERRED"
}
