package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// postgresMigrations are PostgreSQL's schema steps, numbered on their own
// (see migrations).
var postgresMigrations = mustLoadMigrations("migrations/postgres")

// PostgresSchemaVersion is the PostgreSQL schema version this binary
// needs, which `flowgate migrate` brings a database to.
func PostgresSchemaVersion() int { return len(postgresMigrations) }

// connectTimeout bounds reaching the server when the URL sets no
// connect_timeout, so that a dead server is an error, not a hang.
const connectTimeout = 10 * time.Second

// lockTimeout is how long a write waits for another writer's lock (on the
// generation row) before giving up, as SQLite's busy timeout does; a URL
// may set its own lock_timeout.
const lockTimeout = busyTimeout

// lockWait is how long a write waits for another's lock before giving up,
// for messages: SQLite's busy timeout, or PostgreSQL's lock_timeout (which
// a URL may set; a bare number is milliseconds).
func (s *Store) lockWait() string {
	if s.pgConfig == nil {
		return busyTimeout.String()
	}
	wait := s.pgConfig.RuntimeParams["lock_timeout"]
	if _, err := strconv.Atoi(wait); err == nil {
		return wait + "ms"
	}
	return wait
}

// IsURL reports whether a --db value names a PostgreSQL database rather
// than a SQLite file: it starts with postgres: or postgresql:, in any case
// (URL schemes are case-insensitive). A location so named is never taken
// for a file, even when the // is missing: Open refuses it rather than
// create a SQLite file named after a URL, or print its password in the
// error of a file that cannot be created.
func IsURL(location string) bool {
	_, ok := postgresScheme(location)
	return ok
}

// postgresScheme returns what follows the scheme of a location meant for
// PostgreSQL, and whether it is one.
func postgresScheme(location string) (rest string, ok bool) {
	for _, scheme := range []string{"postgres:", "postgresql:"} {
		if len(location) >= len(scheme) && strings.EqualFold(location[:len(scheme)], scheme) {
			return location[len(scheme):], true
		}
	}
	return "", false
}

// notShown stands for a URL that cannot be redacted reliably.
const notShown = "the database URL given (not shown: it does not parse)"

// Redact returns location fit to print: a PostgreSQL URL with its password
// (in the user part or a password= parameter) replaced by xxxxx, as
// url.URL.Redacted does; a file path unchanged. A URL that does not parse
// is not echoed at all, since it may hold a password where the parser
// could not find it.
func Redact(location string) string {
	rest, ok := postgresScheme(location)
	if !ok {
		return location
	}
	u, err := url.Parse(location)
	if err != nil || !strings.HasPrefix(rest, "//") {
		return notShown
	}
	u.RawQuery = redactQuery(u.RawQuery)
	return u.Redacted()
}

// secretParams are the URL parameters that carry a secret: the password,
// and the passphrase of an encrypted client key.
var secretParams = []string{"password", "sslpassword"}

// redactQuery replaces the value of every secret parameter of a raw query
// with xxxxx, leaving the rest as written. It reads the pairs itself, not
// through url.ParseQuery, which drops a pair it cannot decode (a bad
// %-escape, a ';') and so would leave exactly those passwords shown. A key
// that cannot be decoded, or names a secret in any case, has its value
// hidden: failing closed costs only a less helpful message.
func redactQuery(raw string) string {
	if raw == "" {
		return raw
	}
	pairs := strings.Split(raw, "&")
	for i, pair := range pairs {
		rawKey, _, hasValue := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(rawKey)
		if !hasValue || (err == nil && !isSecretParam(key)) {
			continue
		}
		pairs[i] = rawKey + "=xxxxx"
	}
	return strings.Join(pairs, "&")
}

// isSecretParam reports whether a URL parameter's name is one of
// secretParams, in any case.
func isSecretParam(key string) bool {
	for _, secret := range secretParams {
		if strings.EqualFold(key, secret) {
			return true
		}
	}
	return false
}

// urlLabel names a database URL in an error: "database URL" and the URL
// redacted, or Redact's words for one it will not show.
func urlLabel(raw string) string {
	if shown := Redact(raw); shown != notShown {
		return "database URL " + shown
	}
	return notShown
}

// postgresConfig parses a URL into pgx's configuration, with flowgate's
// defaults for what the URL leaves unset. Its errors never hold the
// password.
func postgresConfig(raw string) (*pgx.ConnConfig, error) {
	rest, _ := postgresScheme(raw)
	if !strings.HasPrefix(rest, "//") {
		return nil, fmt.Errorf("%s: a PostgreSQL URL starts with postgres:// or postgresql://", urlLabel(raw))
	}
	cfg, err := pgx.ParseConfig("postgres:" + rest) // pgx knows the schemes in lower case only
	if err != nil {
		msg := err.Error()
		if u, perr := url.Parse(raw); perr == nil {
			if p, ok := u.User.Password(); ok && p != "" {
				msg = strings.ReplaceAll(msg, p, "xxxxx")
			}
		}
		return nil, fmt.Errorf("%s: %s", urlLabel(raw), msg)
	}
	if cfg.ConnectTimeout == 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	if _, ok := cfg.RuntimeParams["lock_timeout"]; !ok {
		cfg.RuntimeParams["lock_timeout"] = fmt.Sprint(lockTimeout.Milliseconds())
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "flowgate"
	}
	return cfg, nil
}

// connectPostgres opens a pool on raw and checks that the server answers.
func connectPostgres(raw string) (*sql.DB, *pgx.ConnConfig, error) {
	cfg, err := postgresConfig(raw)
	if err != nil {
		return nil, nil, err
	}
	db := stdlib.OpenDB(*cfg)
	ctx, cancel := context.WithTimeout(context.Background(), cfg.ConnectTimeout+time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("cannot reach PostgreSQL database %s: %v", Redact(raw), err)
	}
	return db, cfg, nil
}

// openPostgres opens a PostgreSQL database that already holds flowgate's
// schema at a version this binary can use. It never changes the schema:
// against a shared database, upgrades are the deliberate act of `flowgate
// migrate`.
func openPostgres(raw string) (*Store, error) {
	db, cfg, err := connectPostgres(raw)
	if err != nil {
		return nil, err
	}
	shown := Redact(raw)
	v, err := readPostgresSchema(context.Background(), db, shown)
	if err == nil {
		err = v.usable(shown)
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Store{path: shown, dialect: postgresDialect, db: db, pgConfig: cfg, pgSchema: v.version}, nil
}

// postgresSchema is what a database's flowgate_schema row says.
type postgresSchema struct {
	// version is the step the database is at; 0 for a database without
	// flowgate's schema.
	version int
	// oldestReader is the oldest binary's schema version that can still
	// use the database: steps are additive for one version, so that
	// checkers one release behind keep working while a fleet is rolled.
	oldestReader int
}

// usable says why this binary cannot use a database at s, if it cannot.
func (s postgresSchema) usable(shown string) error {
	latest := len(postgresMigrations)
	switch {
	case s.version == 0:
		return fmt.Errorf("database %s holds no flowgate schema yet: create it with `flowgate migrate --db URL` (or copy a store into it with `flowgate copy-store`)", shown)
	case s.version < latest:
		return fmt.Errorf("database %s has schema version %d and this flowgate needs %d: upgrade it with `flowgate migrate --db URL` (checkers one release behind keep working)", shown, s.version, latest)
	case s.oldestReader > latest:
		return fmt.Errorf("database %s has schema version %d, which needs flowgate schema %d or later, but this flowgate only knows up to %d: upgrade flowgate; the database was left untouched", shown, s.version, s.oldestReader, latest)
	case s.version > latest+1:
		// Steps are additive for one version only: a binary one step
		// behind keeps working while a fleet is rolled, not further.
		return fmt.Errorf("database %s has schema version %d but this flowgate only knows up to %d: upgrade flowgate; the database was left untouched", shown, s.version, latest)
	}
	return nil
}

// flowgateTables are the tables flowgate's schema creates: a database that
// has one of them without flowgate_schema belongs to another program.
var flowgateTables = []string{"meta", "workflows", "changes", "tokens", "file_prefixes", "links", "calls", "waivers"}

// readPostgresSchema reads the schema version, refusing a database whose
// tables are another program's.
func readPostgresSchema(ctx context.Context, q queryer, shown string) (postgresSchema, error) {
	var s postgresSchema
	var hasSchema bool
	if err := q.QueryRowContext(ctx, `SELECT to_regclass('flowgate_schema') IS NOT NULL`).Scan(&hasSchema); err != nil {
		return s, fmt.Errorf("database %s: read schema version: %w", shown, err)
	}
	if hasSchema {
		err := q.QueryRowContext(ctx, `SELECT version, oldest_reader FROM flowgate_schema`).Scan(&s.version, &s.oldestReader)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return s, fmt.Errorf("database %s: read schema version: %w", shown, err)
		}
		return s, nil
	}
	var taken []string
	for _, t := range flowgateTables {
		var exists bool
		if err := q.QueryRowContext(ctx, `SELECT to_regclass($1) IS NOT NULL`, t).Scan(&exists); err != nil {
			return s, fmt.Errorf("database %s: read schema version: %w", shown, err)
		}
		if exists {
			taken = append(taken, t)
		}
	}
	if len(taken) > 0 {
		return s, fmt.Errorf("database %s is not a flowgate database: it has tables named %s but no flowgate schema; it was left untouched (give flowgate a database, or a schema through search_path, of its own)",
			shown, strings.Join(taken, ", "))
	}
	return s, nil
}

// isLockTimeout reports PostgreSQL's "waited lock_timeout for a lock",
// the counterpart of SQLite's busy error.
func isLockTimeout(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "55P03"
}

// isAbortedToRetry reports a transaction PostgreSQL aborted to break a
// deadlock (40P01) or a serialization conflict (40001): it wrote nothing,
// and trying it again is safe.
func isAbortedToRetry(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && (e.Code == "40P01" || e.Code == "40001")
}
