package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"

	"github.com/jackc/pgx/v5"
	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver
)

// Store is an open flowgate database. It is safe for concurrent use.
type Store struct {
	// path is the SQLite file, or the PostgreSQL URL with its password
	// redacted: what messages and logs name.
	path string
	// dialect is how the backend spells its SQL (see dialect).
	dialect *dialect
	// changes is PostgreSQL's notification of committed changes (see
	// Changes); nil for SQLite, whose readers poll.
	changes *changeListener
	// pgConfig is how to reach a PostgreSQL store, for the listener's
	// connection of its own; nil for SQLite.
	pgConfig *pgx.ConnConfig
	// pgSchema is the schema version a PostgreSQL store was at when
	// opened, which may be newer than this binary's (see postgresSchema);
	// 0 for SQLite, which never opens a newer file.
	pgSchema int

	// mu guards the fields below, which ReopenIfReplaced swaps when the
	// file at path is replaced by another (a restored backup).
	mu sync.RWMutex
	db *sql.DB
	// access is how the file was opened; roErr says why it cannot be
	// written (nil when it can) and is what every write returns.
	access access
	roErr  *ReadOnlyError
	// id is the file that was opened, to notice a replacement.
	id fileID
	// closed and oldWAL track a replacement in progress: the old file's
	// connections are closed, and its WAL (if any) must go before the new
	// file is opened.
	closed bool
	oldWAL *fileID
	// shut is set by Close: the store is never reopened after it.
	shut bool
}

// applicationID marks a SQLite file as flowgate's ("FGAT"), so that Open can
// refuse another program's database instead of adding tables to it.
const applicationID = 0x46474154

// sqliteMagic starts every SQLite database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// Open opens the database at path for writing, creating it with mode 0600
// when missing and bringing its schema up to date: for the commands that
// create settings (add, import, token create, the editor). A file that is
// not a flowgate database, or one written by a newer flowgate, is refused
// with an error naming the path and is left untouched; so is one that
// cannot be written (a *ReadOnlyError saying why).
//
// A PostgreSQL URL (postgres:// or postgresql://) opens that database
// instead, which must already hold flowgate's schema: against a shared
// database no command but `flowgate migrate` changes the schema (see
// Migrate).
func Open(path string) (*Store, error) {
	if IsURL(path) {
		return openPostgres(path)
	}
	if err := createIfMissing(path); err != nil {
		return nil, err
	}
	return open(path, true)
}

// OpenExisting opens the database at path, which must exist (else the
// error wraps ErrNoDatabase and nothing is created): for every command that
// only reads, or changes settings that must already be there. A database
// this process cannot write is opened read-only: reads work, writes return
// a *ReadOnlyError, and ReadOnly reports it.
func OpenExisting(path string) (*Store, error) {
	if IsURL(path) {
		return openPostgres(path)
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("database %s: %w", path, ErrNoDatabase)
	} else if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return open(path, false)
}

func open(path string, forWrite bool) (*Store, error) {
	s := &Store{path: path, dialect: sqliteDialect}
	if err := s.openFile(forWrite); err != nil {
		return nil, err
	}
	return s, nil
}

// openFile opens the file at s.path and makes it the store's database;
// the caller holds mu or owns s alone.
func (s *Store) openFile(forWrite bool) error {
	a, roErr := chooseAccess(s.path)
	if forWrite && roErr != nil {
		return roErr
	}
	id, err := statFile(s.path)
	if err != nil {
		return fmt.Errorf("open database %s: %w", s.path, err)
	}
	version, err := inspect(s.path, a)
	if err != nil {
		return err
	}
	if a != readWrite && version < len(migrations) {
		return fmt.Errorf("database %s has schema version %d and this flowgate needs %d, but it cannot be upgraded: %s",
			s.path, version, len(migrations), roErr.Reason)
	}
	db, err := sql.Open("sqlite3", dsn(s.path, a))
	if err != nil {
		return fmt.Errorf("open %s: %w", s.path, err)
	}
	if a == readWrite {
		if err := migrate(context.Background(), db, s.path); err != nil {
			db.Close()
			return err
		}
	}
	s.db, s.access, s.roErr, s.id, s.closed = db, a, roErr, id, false
	return nil
}

// Path is the file the store was opened from, or its PostgreSQL URL with
// the password redacted: for messages and logs.
func (s *Store) Path() string { return s.path }

// Backend is the kind of database the store keeps its settings in.
func (s *Store) Backend() Backend { return s.dialect.backend }

// ReadOnly reports that the database was opened read-only because this
// process cannot write it: reads work, writes fail with a *ReadOnlyError.
// The runtime checker uses it to switch its call log off.
func (s *Store) ReadOnly() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.roErr != nil
}

// Close releases the database.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed, s.shut = true, true
	if s.changes != nil {
		s.changes.stop()
	}
	return s.db.Close()
}

// conn is the database handle, speaking the backend's dialect; read under
// mu since a replaced file swaps it.
func (s *Store) conn() dbHandle {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return dbHandle{rewriting[*sql.DB]{s.db, s.dialect}}
}

// writable returns the *ReadOnlyError every write gives on a read-only
// database, so the caller learns why instead of SQLite's "attempt to write
// a readonly database".
func (s *Store) writable() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.roErr != nil {
		return s.roErr
	}
	return nil
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
// database this binary understands, and returns its schema version.
func inspect(path string, a access) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("open database %s: %w", path, err)
	}
	header := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, header)
	f.Close()
	if n == 0 && (err == io.EOF || err == io.ErrUnexpectedEOF) {
		return 0, nil // a new, empty file
	}
	if err != nil || !bytes.Equal(header, sqliteMagic) {
		return 0, fmt.Errorf("%s is not a flowgate database (not an SQLite file); it was left untouched", path)
	}
	if a == readWrite {
		a = readOnly // look before writing anything
	}
	db, err := sql.Open("sqlite3", dsn(path, a))
	if err != nil {
		return 0, fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	var appID, version, tables int
	err = db.QueryRow(`SELECT (SELECT application_id FROM pragma_application_id),
		(SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_schema)`).Scan(&appID, &version, &tables)
	if err != nil && a == readOnly && whyNotWritable(path) != "" {
		return 0, fmt.Errorf("database %[1]s is read-only and %[1]s-wal holds changes not yet merged into it, which SQLite cannot read here (%[2]v); "+
			"refusing settings that would miss them: open it once where it can be written (any flowgate command merges them)", path, err)
	}
	if err != nil {
		return 0, fmt.Errorf("%s is not a flowgate database (%v); it was left untouched", path, err)
	}
	if appID != applicationID && (tables > 0 || version != 0) {
		return 0, fmt.Errorf("%s is not a flowgate database (it is another program's SQLite file); it was left untouched", path)
	}
	if latest := len(migrations); version > latest {
		return 0, fmt.Errorf("%s has schema version %d but this flowgate only knows up to %d: upgrade flowgate; the file was left untouched", path, version, latest)
	}
	return version, nil
}
