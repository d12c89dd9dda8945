package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"flowgate/model"
)

// Link is a share link as listed: it opens one private file for GET and
// HEAD until it expires or is revoked. The secret (fgl_…) is never stored,
// only its SHA-256, so it can never be shown again.
type Link struct {
	ID         string
	Name       string
	Path       string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastUsedAt *time.Time // nil: never used
	RevokedAt  *time.Time // nil: not revoked
}

// NewLink is what a caller asks for when creating a share link.
type NewLink struct {
	// Path is the one file the link opens: a clean absolute path
	// (model.ValidateLinkPath) under a stored protected prefix.
	Path string
	// Name says who or what the link is for; optional.
	Name string
	// ExpiresAt is when the link stops working: in the future and at most
	// model.MaxLinkLifetime from now. Zero means model.DefaultLinkLifetime
	// from now.
	ExpiresAt time.Time
}

// maxLinkNameLength bounds a link's name, like a token's.
const maxLinkNameLength = maxTokenNameLength

// CreateLink stores a new share link and returns its secret, which exists
// only in this return value: the database keeps its hash. The creation is
// recorded in the change trail (subject link), without the secret.
func (s *Store) CreateLink(ctx context.Context, nl NewLink) (secret string, l Link, err error) {
	if err := model.ValidateLinkPath(nl.Path); err != nil {
		return "", Link{}, err
	}
	if err := validateLabel("link name", nl.Name, maxLinkNameLength); err != nil {
		return "", Link{}, err
	}
	at := now()
	expires := nl.ExpiresAt
	if expires.IsZero() {
		expires = at.Add(model.DefaultLinkLifetime)
	}
	switch {
	case !expires.After(at):
		return "", Link{}, fmt.Errorf("invalid expiry %s: it is not in the future", expires.UTC().Format(time.RFC3339))
	case expires.After(at.Add(model.MaxLinkLifetime)):
		return "", Link{}, fmt.Errorf("invalid expiry %s: a share link lasts at most 7d", expires.UTC().Format(time.RFC3339))
	}
	if err := s.writable(); err != nil {
		return "", Link{}, err
	}
	if secret, err = model.GenerateLink(tokenRandom); err != nil {
		return "", Link{}, err
	}
	id, err := model.NewLinkID(tokenRandom)
	if err != nil {
		return "", Link{}, err
	}
	hash := model.HashToken(secret)
	l = Link{ID: id, Name: nl.Name, Path: nl.Path, CreatedAt: at, ExpiresAt: expires.UTC()}
	err = s.write(ctx, func(tx *Tx) error {
		prefixes, err := listPrefixStrings(ctx, tx.tx)
		if err != nil {
			return fmt.Errorf("%s: read protected prefixes: %w", s.path, err)
		}
		if !covered(prefixes, nl.Path) {
			return fmt.Errorf("path %s is not under a protected prefix (add one with 'flowgate files add PREFIX')", nl.Path)
		}
		if _, err := tx.tx.ExecContext(ctx, `INSERT INTO links (id, name, path, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
			id, nl.Name, nl.Path, hash[:], formatTime(at), formatTime(expires)); err != nil {
			return fmt.Errorf("%s: create link: %w", s.path, err)
		}
		return tx.recordSubject(ctx, at, subject{kind: SubjectLink, id: id}, model.FieldChange{Field: "link",
			New: fmt.Sprintf("created: path=%q name=%q expires=%s", nl.Path, nl.Name, l.ExpiresAt.Format(time.RFC3339))})
	})
	if err != nil {
		return "", Link{}, err
	}
	return secret, l, nil
}

// covered reports whether path lies strictly inside one of the protected
// prefixes: model.PrefixFor also counts the prefix's own folder path
// (/fileupload for /fileupload/), which names a folder, not a file.
func covered(prefixes []string, path string) bool {
	p, ok := model.PrefixFor(prefixes, path)
	return ok && len(path) > len(p)
}

const linkSelect = `SELECT id, name, path, created_at, expires_at, last_used_at, revoked_at FROM links `

// ListLinks returns every share link, expired and revoked ones included,
// oldest first.
func (s *Store) ListLinks(ctx context.Context) ([]Link, error) {
	rows, err := s.conn().QueryContext(ctx, linkSelect+`ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("%s: list links: %w", s.path, err)
	}
	defer rows.Close()
	var out []Link
	for rows.Next() {
		l, err := scanLink(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: list links: %w", s.path, err)
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

func scanLink(r scanner) (Link, error) {
	var l Link
	var created, expires string
	var used, revoked sql.NullString
	if err := r.Scan(&l.ID, &l.Name, &l.Path, &created, &expires, &used, &revoked); err != nil {
		return Link{}, err
	}
	var err error
	if l.CreatedAt, err = parseTime(created); err != nil {
		return Link{}, err
	}
	if l.ExpiresAt, err = parseTime(expires); err != nil {
		return Link{}, err
	}
	if l.LastUsedAt, err = parseNullTime(used); err != nil {
		return Link{}, err
	}
	if l.RevokedAt, err = parseNullTime(revoked); err != nil {
		return Link{}, err
	}
	return l, nil
}

// RevokeLink marks a share link revoked from now on; it stops working at
// once. Revoking a revoked link writes nothing and returns an error
// wrapping ErrAlreadyRevoked, as RevokeToken does. An unknown id is an
// error wrapping ErrNotFound.
func (s *Store) RevokeLink(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *Tx) error {
		var l Link
		err := sql.ErrNoRows
		if !noRowHolds(tx.tx, id) {
			l, err = scanLink(tx.tx.QueryRowContext(ctx, linkSelect+`WHERE id = ?`, id))
		}
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("no link with id %q (see `flowgate link list`): %w", id, ErrNotFound)
		}
		if err != nil {
			return fmt.Errorf("%s: read link %q: %w", s.path, id, err)
		}
		if l.RevokedAt != nil {
			return alreadyRevoked("link", id, *l.RevokedAt)
		}
		return tx.revokeLink(ctx, id, now(), "revoked")
	})
}

// revokeLink marks one link revoked and records why.
func (t *Tx) revokeLink(ctx context.Context, id string, at time.Time, why string) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE links SET revoked_at = ? WHERE id = ?`, formatTime(at), id); err != nil {
		return fmt.Errorf("revoke link %s: %w", id, err)
	}
	return t.recordSubject(ctx, at, subject{kind: SubjectLink, id: id}, model.FieldChange{Field: "revoked", New: why})
}

// revokeUncoveredLinks revokes the live links that no protected prefix
// covers any more (after a prefix was removed).
func (t *Tx) revokeUncoveredLinks(ctx context.Context, at time.Time) error {
	prefixes, err := listPrefixStrings(ctx, t.tx)
	if err != nil {
		return fmt.Errorf("read protected prefixes: %w", err)
	}
	// In id order, the order the call log marks links used in, so that the
	// two never lock the same rows in opposite orders (a deadlock).
	rows, err := t.tx.QueryContext(ctx, `SELECT id, path FROM links WHERE revoked_at IS NULL AND expires_at > ? ORDER BY id`, formatTime(at))
	if err != nil {
		return fmt.Errorf("read links: %w", err)
	}
	var uncovered [][2]string
	for rows.Next() {
		var id, path string
		if err := rows.Scan(&id, &path); err != nil {
			rows.Close()
			return fmt.Errorf("read links: %w", err)
		}
		if !covered(prefixes, path) {
			uncovered = append(uncovered, [2]string{id, path})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read links: %w", err)
	}
	for _, l := range uncovered {
		if err := t.revokeLink(ctx, l[0], at, "revoked: no protected prefix covers "+l[1]+" any more"); err != nil {
			return err
		}
	}
	return nil
}
