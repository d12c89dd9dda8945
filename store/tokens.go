package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"time"

	"flowgate/model"
)

// Token is an API token as listed: everything but the secret, which is
// never stored (only its SHA-256 is) and so can never be shown again.
type Token struct {
	ID     string
	Name   string
	Kind   model.TokenKind
	UserID string // empty for admin tokens
	// Prefix is the token's first characters, so people can tell their
	// tokens apart in a listing.
	Prefix     string
	CreatedAt  time.Time
	ExpiresAt  *time.Time // nil: never expires
	LastUsedAt *time.Time // from the call log; nil: never used
	RevokedAt  *time.Time // nil: not revoked
}

// NewToken is what a caller asks for when creating a token.
type NewToken struct {
	Kind      model.TokenKind
	Name      string
	UserID    string     // required for user tokens, refused for admin tokens
	ExpiresAt *time.Time // nil: never expires
}

// Limits on the text a token carries. The user id is sent upstream in the
// X-Flowgate-User header, so it is restricted to visible ASCII.
const (
	maxTokenNameLength = 100
	maxUserIDLength    = 200
)

// tokenRandom is where token secrets and ids come from; a variable only so
// a test can prove a failing source writes nothing.
var tokenRandom io.Reader = rand.Reader

// CreateToken stores a new token and returns its secret, which exists only
// in this return value: the database keeps its hash.
func (s *Store) CreateToken(ctx context.Context, nt NewToken) (secret string, tok Token, err error) {
	if err := validateNewToken(nt); err != nil {
		return "", Token{}, err
	}
	if err := s.writable(); err != nil {
		return "", Token{}, err
	}
	if secret, err = model.GenerateToken(nt.Kind, tokenRandom); err != nil {
		return "", Token{}, err
	}
	id, err := model.NewTokenID(tokenRandom)
	if err != nil {
		return "", Token{}, err
	}
	hash := model.HashToken(secret)
	at := now()
	tok = Token{ID: id, Name: nt.Name, Kind: nt.Kind, UserID: nt.UserID,
		Prefix: model.TokenDisplayPrefix(secret), CreatedAt: at, ExpiresAt: nt.ExpiresAt}
	var expires sql.NullString
	if nt.ExpiresAt != nil {
		if !nt.ExpiresAt.After(at) {
			return "", Token{}, fmt.Errorf("invalid expiry %s: it is not in the future", nt.ExpiresAt.UTC().Format(time.RFC3339))
		}
		expires = sql.NullString{String: formatTime(*nt.ExpiresAt), Valid: true}
		e := nt.ExpiresAt.UTC()
		tok.ExpiresAt = &e
	}
	_, err = s.conn().ExecContext(ctx, `INSERT INTO tokens (id, name, kind, user_id, prefix, hash, created_at, expires_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, nt.Name, nt.Kind, nt.UserID, tok.Prefix, hash[:], formatTime(at), expires)
	if isBusy(err) {
		return "", Token{}, fmt.Errorf("database %s is locked by another process (waited %s); nothing was written", s.path, busyTimeout)
	}
	if err != nil {
		return "", Token{}, fmt.Errorf("%s: create token: %w", s.path, err)
	}
	return secret, tok, nil
}

// validateNewToken checks a request before anything is generated or written.
func validateNewToken(nt NewToken) error {
	if !nt.Kind.Valid() {
		return fmt.Errorf("invalid token kind %q: use admin or user", nt.Kind)
	}
	if nt.Name == "" {
		return errors.New("a token needs a name saying who or what uses it")
	}
	if len(nt.Name) > maxTokenNameLength {
		return fmt.Errorf("invalid token name: %d characters is longer than %d", len(nt.Name), maxTokenNameLength)
	}
	for _, r := range nt.Name {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("invalid token name %q: it contains a control character", nt.Name)
		}
	}
	switch {
	case nt.Kind == model.TokenAdmin && nt.UserID != "":
		return errors.New("an admin token does not belong to a user: drop the user id")
	case nt.Kind == model.TokenUser && nt.UserID == "":
		return errors.New("a user token needs the id of the user it acts as")
	case len(nt.UserID) > maxUserIDLength:
		return fmt.Errorf("invalid user id: %d characters is longer than %d", len(nt.UserID), maxUserIDLength)
	}
	for i := 0; i < len(nt.UserID); i++ {
		if c := nt.UserID[i]; c <= ' ' || c >= 0x7f {
			return fmt.Errorf("invalid user id %q: character %q at position %d is not allowed (use visible ASCII)", nt.UserID, c, i+1)
		}
	}
	return nil
}

// ListTokens returns every token, revoked and expired ones included, oldest
// first, each with the time of its most recent logged call.
func (s *Store) ListTokens(ctx context.Context) ([]Token, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT t.id, t.name, t.kind, t.user_id, t.prefix, t.created_at,
		t.expires_at, t.revoked_at,
		(SELECT c.at FROM calls c WHERE c.token_id = t.id ORDER BY c.id DESC LIMIT 1)
		FROM tokens t ORDER BY t.created_at, t.id`)
	if err != nil {
		return nil, fmt.Errorf("%s: list tokens: %w", s.path, err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		var t Token
		var created string
		var expires, revoked, used sql.NullString
		if err := rows.Scan(&t.ID, &t.Name, &t.Kind, &t.UserID, &t.Prefix, &created, &expires, &revoked, &used); err != nil {
			return nil, fmt.Errorf("%s: list tokens: %w", s.path, err)
		}
		if t.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		for _, f := range []struct {
			src sql.NullString
			dst **time.Time
		}{{expires, &t.ExpiresAt}, {revoked, &t.RevokedAt}, {used, &t.LastUsedAt}} {
			if *f.dst, err = parseNullTime(f.src); err != nil {
				return nil, err
			}
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken marks a token revoked from now on. Revoking a revoked token
// keeps its first revocation time. An unknown id is an error wrapping
// ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, id string) error {
	if err := s.writable(); err != nil {
		return err
	}
	res, err := s.conn().ExecContext(ctx, `UPDATE tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?`,
		formatTime(now()), id)
	if isBusy(err) {
		return fmt.Errorf("database %s is locked by another process (waited %s); nothing was written", s.path, busyTimeout)
	}
	if err != nil {
		return fmt.Errorf("%s: revoke token %s: %w", s.path, id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("no token with id %q (see `flowgate token list`): %w", id, ErrNotFound)
	}
	return nil
}

// TokenKey is what the checker needs to recognise a token: its hash and
// what it grants. Only tokens that are not revoked have one; expiry is left
// to the checker, which compares it with the clock at every decision.
type TokenKey struct {
	Hash      model.TokenHash
	ID        string
	Kind      model.TokenKind
	UserID    string
	ExpiresAt *time.Time
}

// listTokenKeys reads the keys of every unrevoked token.
func listTokenKeys(ctx context.Context, q queryer) ([]TokenKey, error) {
	rows, err := q.QueryContext(ctx, `SELECT hash, id, kind, user_id, expires_at FROM tokens WHERE revoked_at IS NULL`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TokenKey
	for rows.Next() {
		var k TokenKey
		var hash []byte
		var expires sql.NullString
		if err := rows.Scan(&hash, &k.ID, &k.Kind, &k.UserID, &expires); err != nil {
			return nil, err
		}
		if len(hash) != len(k.Hash) {
			return nil, fmt.Errorf("token %s has a damaged hash (%d bytes)", k.ID, len(hash))
		}
		copy(k.Hash[:], hash)
		if k.ExpiresAt, err = parseNullTime(expires); err != nil {
			return nil, fmt.Errorf("token %s: %w", k.ID, err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// parseNullTime reads an optional timestamp column.
func parseNullTime(s sql.NullString) (*time.Time, error) {
	if !s.Valid {
		return nil, nil
	}
	t, err := parseTime(s.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}
