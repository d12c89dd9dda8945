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
	Scope     model.Scope
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

// listTokenKeys reads the keys of every unrevoked token, plus the previous
// secret of each token whose rotation overlap has not ended at now.
func listTokenKeys(ctx context.Context, q queryer, at time.Time) ([]TokenKey, error) {
	rows, err := q.QueryContext(ctx, `SELECT hash, id, kind, user_id, expires_at, workflows, files,
		CASE WHEN previous_until > ? THEN previous_hash END, previous_until
		FROM tokens WHERE revoked_at IS NULL`, formatTime(at))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TokenKey
	for rows.Next() {
		var k TokenKey
		var hash, previous []byte
		var expires, previousUntil sql.NullString
		var workflows, files string
		if err := rows.Scan(&hash, &k.ID, &k.Kind, &k.UserID, &expires, &workflows, &files, &previous, &previousUntil); err != nil {
			return nil, err
		}
		if err := copyHash(&k.Hash, hash, "token", k.ID); err != nil {
			return nil, err
		}
		if k.ExpiresAt, err = parseNullTime(expires); err != nil {
			return nil, fmt.Errorf("token %s: %w", k.ID, err)
		}
		if k.Scope, err = decodeScope(workflows, files); err != nil {
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
		// The two keys share nothing mutable: a checker that edits one
		// key's scope must not edit the other's.
		old.Scope = model.Scope{Workflows: append([]string{}, k.Scope.Workflows...), Files: append([]string{}, k.Scope.Files...)}
		out = append(out, old)
	}
	return out, rows.Err()
}

// listLinkKeys reads the keys of every link neither revoked nor expired at now.
func listLinkKeys(ctx context.Context, q queryer, at time.Time) ([]LinkKey, error) {
	rows, err := q.QueryContext(ctx, `SELECT hash, id, path, expires_at FROM links
		WHERE revoked_at IS NULL AND expires_at > ? ORDER BY id`, formatTime(at))
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
