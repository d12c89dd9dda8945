package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"flowgate/model"
)

// Prefix is a protected prefix: requests for paths under it are private
// files, read only with a token whose files scope matches or a share link.
type Prefix struct {
	Prefix      string
	Description string
	CreatedAt   time.Time
}

// maxDescriptionLength bounds a prefix's description.
const maxDescriptionLength = 200

// AddPrefix protects a new prefix (checked by model.ValidatePrefix) and
// records it in the change trail. A prefix that exists already, in any
// case (the checker matches prefixes ignoring case), is an error wrapping
// ErrExists.
func (s *Store) AddPrefix(ctx context.Context, prefix, description string) (p Prefix, err error) {
	if err := model.ValidatePrefix(prefix); err != nil {
		return Prefix{}, err
	}
	if err := validateLabel("description", description, maxDescriptionLength); err != nil {
		return Prefix{}, err
	}
	p = Prefix{Prefix: prefix, Description: description, CreatedAt: now()}
	err = s.write(ctx, func(tx *Tx) error {
		var existing string
		err := tx.tx.QueryRowContext(ctx, `SELECT prefix FROM file_prefixes WHERE nocase(prefix) = nocase(?)`, prefix).Scan(&existing)
		switch {
		case err == nil && existing == prefix:
			return fmt.Errorf("prefix %s already exists: %w", prefix, ErrExists)
		case err == nil:
			return fmt.Errorf("prefix %s already exists as %s (prefixes are matched ignoring case): %w", prefix, existing, ErrExists)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("%s: read protected prefixes: %w", s.path, err)
		}
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO file_prefixes (prefix, description, created_at) VALUES (?, ?, ?)`,
			prefix, description, formatTime(p.CreatedAt)); err != nil {
			return fmt.Errorf("%s: add prefix %s: %w", s.path, prefix, err)
		}
		return tx.recordSubject(ctx, p.CreatedAt, subject{kind: SubjectPrefix, id: prefix},
			model.FieldChange{Field: "files-prefix", New: fmt.Sprintf("added: description=%q", description)})
	})
	if err != nil {
		return Prefix{}, err
	}
	return p, nil
}

// ListPrefixes returns the protected prefixes sorted by prefix.
func (s *Store) ListPrefixes(ctx context.Context) ([]Prefix, error) {
	// ORDER BY compares bytes (the column has SQLite's BINARY collation), as
	// Go's sort.Strings does for the snapshot's prefixes.
	rows, err := s.conn().QueryContext(ctx, `SELECT prefix, description, created_at FROM file_prefixes ORDER BY prefix`)
	if err != nil {
		return nil, fmt.Errorf("%s: list protected prefixes: %w", s.path, err)
	}
	defer rows.Close()
	var out []Prefix
	for rows.Next() {
		var p Prefix
		var created string
		if err := rows.Scan(&p.Prefix, &p.Description, &created); err != nil {
			return nil, fmt.Errorf("%s: list protected prefixes: %w", s.path, err)
		}
		if p.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// RemovePrefix stops protecting a prefix and records it in the change
// trail. Share links that no remaining prefix covers are revoked in the
// same transaction (each recorded too): they open nothing any more, and
// must not come back to life if the prefix is added again. An unknown
// prefix (compared exactly) is an error wrapping ErrNotFound.
func (s *Store) RemovePrefix(ctx context.Context, prefix string) error {
	return s.write(ctx, func(tx *Tx) error {
		var description string
		err := sql.ErrNoRows
		if !noRowHolds(tx.tx, prefix) {
			err = tx.tx.QueryRowContext(ctx, `SELECT description FROM file_prefixes WHERE prefix = ?`, prefix).Scan(&description)
		}
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no protected prefix %q (see `flowgate files list`): %w", prefix, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("%s: read protected prefixes: %w", s.path, err)
		}
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM file_prefixes WHERE prefix = ?`, prefix); err != nil {
			return fmt.Errorf("%s: remove prefix %s: %w", s.path, prefix, err)
		}
		at := now()
		if err := tx.recordSubject(ctx, at, subject{kind: SubjectPrefix, id: prefix},
			model.FieldChange{Field: "files-prefix", Old: fmt.Sprintf("description=%q", description), New: "removed"}); err != nil {
			return err
		}
		return tx.revokeUncoveredLinks(ctx, at)
	})
}

// listPrefixStrings reads the protected prefixes, sorted, for a snapshot.
func listPrefixStrings(ctx context.Context, q queryer) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT prefix FROM file_prefixes`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	sort.Strings(out)
	return out, rows.Err()
}
