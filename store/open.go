package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// Store is an open flowgate database. It is safe for concurrent use.
type Store struct {
	db   *sql.DB
	path string
}

// applicationID marks a SQLite file as flowgate's ("FGAT"), so that Open can
// refuse another program's database instead of adding tables to it.
const applicationID = 0x46474154

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// Open opens the database at path, creating it with mode 0600 when missing
// and bringing its schema up to date. A file that is not a flowgate database,
// or one written by a newer flowgate, is refused with an error naming the
// path and is left untouched.
func Open(path string) (*Store, error) {
	if err := createIfMissing(path); err != nil {
		return nil, err
	}
	if err := inspect(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Path is the file the store was opened from, for error messages.
func (s *Store) Path() string { return s.path }

// Close releases the database.
func (s *Store) Close() error { return s.db.Close() }

// busyTimeout is how long a write waits for another process's write to
// finish before giving up with a "locked" error.
const busyTimeout = 5 * time.Second

// dsn builds the connection string: WAL so readers never block the writer, a
// busy timeout so concurrent writers wait instead of failing at once, foreign
// keys on, and write transactions that take the lock up front (no deadlock
// when two read-then-write transactions race).
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_busy_timeout", strconv.Itoa(int(busyTimeout/time.Millisecond)))
	q.Set("_foreign_keys", "on")
	if readOnly {
		q.Set("mode", "ro")
	} else {
		q.Set("_journal_mode", "WAL")
		q.Set("_synchronous", "NORMAL")
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// createIfMissing creates an empty file with owner-only permissions, so the
// database (and the WAL files SQLite derives from it) never exist with wider
// permissions, even for a moment.
func createIfMissing(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("create database %s: %w", path, err)
	}
	return f.Close()
}

// inspect checks, without writing anything, that path is empty or a flowgate
// database this binary understands.
func inspect(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	header := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, header)
	f.Close()
	if n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		return nil // a new, empty file
	}
	if err != nil || !bytes.Equal(header, sqliteMagic) {
		return fmt.Errorf("%s is not a flowgate database (not an SQLite file); it was left untouched", path)
	}
	db, err := sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	var appID, version, tables int
	err = db.QueryRow(`SELECT (SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_schema)`).Scan(&appID, &version, &tables)
	if err != nil {
		return fmt.Errorf("%s is not a flowgate database (%v); it was left untouched", path, err)
	}
	if appID != applicationID && (tables > 0 || version != 0) {
		return fmt.Errorf("%s is not a flowgate database (it is another program's SQLite file); it was left untouched", path)
	}
	if latest := len(migrations); version > latest {
		return fmt.Errorf("%s has schema version %d but this flowgate only knows up to %d: upgrade flowgate; the file was left untouched", path, version, latest)
	}
	return nil
}
