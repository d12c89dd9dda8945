package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"flowgate/model"
)

// TokenKey is what the checker needs to recognise a token: its hash and
// what it grants. Only tokens that are not revoked have one; expiry is left
// to the checker, which compares it with the clock at every decision.
//
// A token rotated with an overlap has two keys with the same ID: one for
// the new secret, and one for the previous secret whose ExpiresAt is the
// earlier of the token's expiry and the end of the overlap.
type TokenKey struct {
	Hash      model.TokenHash
	ID        string
	Kind      model.TokenKind
	UserID    string
	ExpiresAt *time.Time
	// Scope is shared by every key of one read with the same scope (most
	// tokens have one of a few), so it must be treated as read-only.
	Scope *model.Scope
}

// LinkKey is what the checker needs to recognise a share link: its hash,
// the one path it opens and until when. Only unrevoked, unexpired links
// have one; the checker still compares ExpiresAt with the clock.
type LinkKey struct {
	Hash      model.TokenHash
	ID        string
	Path      string
	ExpiresAt time.Time
}

// tokenKeyColumns are what a TokenKey is read from; the previous hash is
// NULL unless its overlap lasts past the first parameter (now).
const tokenKeyColumns = `SELECT hash, id, kind, user_id, expires_at, workflows, files,
	CASE WHEN previous_until > ? THEN previous_hash END, previous_until
	FROM tokens WHERE revoked_at IS NULL`

// listTokenKeys reads the keys of every unrevoked token, plus the previous
// secret of each token whose rotation overlap has not ended at now.
func listTokenKeys(ctx context.Context, q queryer, at time.Time) ([]TokenKey, error) {
	// Sizing the slice up front (like listWorkflows) spares copying a
	// million keys again and again while it grows.
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM tokens`).Scan(&n); err != nil {
		return nil, err
	}
	return readTokenKeys(ctx, q, make([]TokenKey, 0, n), tokenKeyColumns, formatTime(at))
}

// readTokenKeys appends to out the token keys a query of tokenKeyColumns
// (and perhaps more conditions) returns.
func readTokenKeys(ctx context.Context, q queryer, out []TokenKey, query string, args ...any) ([]TokenKey, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	scopes := scopeCache{}
	for rows.Next() {
		var k TokenKey
		var hash, previous []byte
		var expires, previousUntil sql.NullString
		var workflows, files sql.RawBytes
		if err := rows.Scan(&hash, &k.ID, &k.Kind, &k.UserID, &expires, &workflows, &files, &previous, &previousUntil); err != nil {
			return nil, err
		}
		if err := copyHash(&k.Hash, hash, "token", k.ID); err != nil {
			return nil, err
		}
		if k.ExpiresAt, err = parseNullTime(expires); err != nil {
			return nil, fmt.Errorf("token %s: %w", k.ID, err)
		}
		if k.Scope, err = scopes.decode(workflows, files); err != nil {
			return nil, fmt.Errorf("token %s: %w", k.ID, err)
		}
		out = append(out, k)
		if previous == nil {
			continue
		}
		old := k
		if err := copyHash(&old.Hash, previous, "token", k.ID); err != nil {
			return nil, err
		}
		until, err := parseTime(previousUntil.String)
		if err != nil {
			return nil, fmt.Errorf("token %s: %w", k.ID, err)
		}
		if k.ExpiresAt == nil || until.Before(*k.ExpiresAt) {
			old.ExpiresAt = &until
		}
		out = append(out, old)
	}
	return out, rows.Err()
}

// scopeCache decodes each distinct pair of stored pattern lists once per
// read: a million tokens with the default scope share one model.Scope
// instead of carrying a million copies.
type scopeCache map[[2]string]*model.Scope

func (c scopeCache) decode(workflows, files []byte) (*model.Scope, error) {
	if s, ok := c[[2]string{string(workflows), string(files)}]; ok {
		return s, nil
	}
	w, f := string(workflows), string(files)
	s, err := decodeScope(w, f)
	if err != nil {
		return nil, err
	}
	c[[2]string{w, f}] = &s
	return &s, nil
}

// linkKeyColumns are what a LinkKey is read from: links neither revoked
// nor expired at the first parameter (now).
const linkKeyColumns = `SELECT hash, id, path, expires_at FROM links WHERE revoked_at IS NULL AND expires_at > ?`

// listLinkKeys reads the keys of every link neither revoked nor expired at now.
func listLinkKeys(ctx context.Context, q queryer, at time.Time) ([]LinkKey, error) {
	return readLinkKeys(ctx, q, linkKeyColumns+` ORDER BY id`, formatTime(at))
}

// readLinkKeys reads the link keys a query of linkKeyColumns returns.
func readLinkKeys(ctx context.Context, q queryer, query string, args ...any) ([]LinkKey, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []LinkKey
	for rows.Next() {
		var k LinkKey
		var hash []byte
		var expires string
		if err := rows.Scan(&hash, &k.ID, &k.Path, &expires); err != nil {
			return nil, err
		}
		if err := copyHash(&k.Hash, hash, "link", k.ID); err != nil {
			return nil, err
		}
		if k.ExpiresAt, err = parseTime(expires); err != nil {
			return nil, fmt.Errorf("link %s: %w", k.ID, err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// copyHash fills dst from a stored hash, refusing one of the wrong size: a
// damaged row must never match a secret.
func copyHash(dst *model.TokenHash, stored []byte, what, id string) error {
	if len(stored) != len(dst) {
		return fmt.Errorf("%s %s has a damaged hash (%d bytes)", what, id, len(stored))
	}
	copy(dst[:], stored)
	return nil
}
