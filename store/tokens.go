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
	Prefix string
	// Scope is what the token may reach: workflow name patterns and file
	// path patterns. Tokens made before scopes have model.DefaultScope().
	Scope     model.Scope
	CreatedAt time.Time
	ExpiresAt *time.Time // nil: never expires
	// LastUsedAt is the latest call the call log recorded with the token,
	// at most a minute behind (see RecordCalls); nil: never used. It lives
	// on the token's row, so pruning old calls never makes a token look
	// unused.
	LastUsedAt *time.Time
	RevokedAt  *time.Time // nil: not revoked
	// PreviousUntil is when the secret replaced by the last rotation stops
	// working (it may be past); nil when there is no previous secret.
	PreviousUntil *time.Time
}

// NewToken is what a caller asks for when creating a token.
type NewToken struct {
	Kind      model.TokenKind
	Name      string
	UserID    string     // required for user tokens, refused for admin tokens
	ExpiresAt *time.Time // nil: never expires
	// Scope is what the token may reach; nil means model.DefaultScope()
	// (every workflow, no file), so that callers written before scopes
	// keep creating the tokens they always did.
	Scope *model.Scope
}

// Limits on the text a token carries. The user id is sent upstream in the
// X-Flowgate-User header, so it is restricted to visible ASCII.
const (
	maxTokenNameLength = 100
	maxUserIDLength    = 200
)

// tokenRandom is where token and link secrets and ids come from; a variable
// only so a test can prove a failing source writes nothing.
var tokenRandom io.Reader = rand.Reader

// CreateToken stores a new token and returns its secret, which exists only
// in this return value: the database keeps its hash. The creation is
// recorded in the change trail (subject token), without the secret.
func (s *Store) CreateToken(ctx context.Context, nt NewToken) (secret string, tok Token, err error) {
	if err := validateNewToken(nt); err != nil {
		return "", Token{}, err
	}
	scope := model.DefaultScope()
	if nt.Scope != nil {
		scope = normalScope(*nt.Scope)
	}
	if err := scope.Validate(); err != nil {
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
	tok = Token{ID: id, Name: nt.Name, Kind: nt.Kind, UserID: nt.UserID, Scope: scope,
		Prefix: model.TokenDisplayPrefix(secret), CreatedAt: at}
	var expires sql.NullString
	if nt.ExpiresAt != nil {
		if !nt.ExpiresAt.After(at) {
			return "", Token{}, fmt.Errorf("invalid expiry %s: it is not in the future", nt.ExpiresAt.UTC().Format(time.RFC3339))
		}
		expires = sql.NullString{String: formatTime(*nt.ExpiresAt), Valid: true}
		e := nt.ExpiresAt.UTC()
		tok.ExpiresAt = &e
	}
	err = s.write(ctx, func(tx *Tx) error {
		// Two active tokens of one name could not be told apart in a list
		// or a review; checked in the transaction, so no race lets one in.
		var taken string
		err := tx.tx.QueryRowContext(ctx, `SELECT id FROM tokens WHERE name = ? AND revoked_at IS NULL
			AND (expires_at IS NULL OR expires_at > ?) LIMIT 1`, nt.Name, formatTime(at)).Scan(&taken)
		if err == nil {
			return fmt.Errorf("an active token named %q already exists (%s): choose another name, or revoke it first", nt.Name, taken)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%s: create token: %w", s.path, err)
		}
		_, err = tx.tx.ExecContext(ctx, `INSERT INTO tokens (id, name, kind, user_id, prefix, hash, created_at, expires_at, workflows, files)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, nt.Name, nt.Kind, nt.UserID, tok.Prefix, hash[:], formatTime(at), expires,
			encodePatterns(scope.Workflows), encodePatterns(scope.Files))
		if err != nil {
			return fmt.Errorf("%s: create token: %w", s.path, err)
		}
		return tx.recordSubject(ctx, at, subject{kind: SubjectToken, id: id},
			model.FieldChange{Field: "token", New: "created: " + tokenSummary(tok)})
	})
	if err != nil {
		return "", Token{}, err
	}
	return secret, tok, nil
}

// tokenSummary is a one-line picture of a token for the trail; it never
// holds the secret.
func tokenSummary(t Token) string {
	expires := "never"
	if t.ExpiresAt != nil {
		expires = t.ExpiresAt.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("name=%q kind=%s user=%q prefix=%s workflows=%s files=%s expires=%s",
		t.Name, t.Kind, t.UserID, t.Prefix, patternsText(t.Scope.Workflows), patternsText(t.Scope.Files), expires)
}

// validateNewToken checks a request before anything is generated or written.
func validateNewToken(nt NewToken) error {
	if !nt.Kind.Valid() {
		return fmt.Errorf("invalid token kind %q: use admin or user", nt.Kind)
	}
	if nt.Name == "" {
		return errors.New("a token needs a name saying who or what uses it")
	}
	if err := validateLabel("token name", nt.Name, maxTokenNameLength); err != nil {
		return err
	}
	switch {
	case nt.Kind == model.TokenAdmin && nt.UserID != "":
		return errors.New("an admin token does not belong to a user: drop the user id")
	case nt.Kind == model.TokenUser && nt.UserID == "":
		return errors.New("a user token needs the id of the user it acts as")
	case len(nt.UserID) > maxUserIDLength:
		return fmt.Errorf("invalid user id: %d characters is longer than %d", len(nt.UserID), maxUserIDLength)
	}
	pos := 0
	for _, c := range nt.UserID {
		pos++
		if c <= ' ' || c >= 0x7f {
			return fmt.Errorf("invalid user id %q: character %q at position %d is not allowed (use visible ASCII)", nt.UserID, c, pos)
		}
	}
	return nil
}

// tokenSelect reads tokens as listed; a WHERE or ORDER BY clause follows.
const tokenSelect = `SELECT t.id, t.name, t.kind, t.user_id, t.prefix, t.workflows, t.files, t.created_at,
	t.expires_at, t.revoked_at, CASE WHEN t.previous_hash IS NULL THEN NULL ELSE t.previous_until END,
	t.last_used_at
	FROM tokens t `

// ListTokens returns every token, revoked and expired ones included, oldest
// first, each with the time it was last used.
func (s *Store) ListTokens(ctx context.Context) ([]Token, error) {
	rows, err := s.conn().QueryContext(ctx, tokenSelect+`ORDER BY t.created_at, t.id`)
	if err != nil {
		return nil, fmt.Errorf("%s: list tokens: %w", s.path, err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fmt.Errorf("%s: list tokens: %w", s.path, err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// getToken reads one token inside a transaction, or an error wrapping
// ErrNotFound.
func (t *Tx) getToken(ctx context.Context, id string) (Token, error) {
	if noRowHolds(t.tx, id) {
		return Token{}, tokenNotFound(id)
	}
	tok, err := scanToken(t.tx.QueryRowContext(ctx, tokenSelect+`WHERE t.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, tokenNotFound(id)
	}
	if err != nil {
		return Token{}, fmt.Errorf("read token %q: %w", id, err)
	}
	return tok, nil
}

// tokenNotFound is the error for an unknown token id.
func tokenNotFound(id string) error {
	return fmt.Errorf("no token with id %q (see `flowgate token list`): %w", id, ErrNotFound)
}

// scanToken reads a row of tokenSelect.
func scanToken(r scanner) (Token, error) {
	var t Token
	var workflows, files, created string
	var expires, revoked, previous, used sql.NullString
	if err := r.Scan(&t.ID, &t.Name, &t.Kind, &t.UserID, &t.Prefix, &workflows, &files, &created,
		&expires, &revoked, &previous, &used); err != nil {
		return Token{}, err
	}
	var err error
	if t.Scope, err = decodeScope(workflows, files); err != nil {
		return Token{}, fmt.Errorf("token %s: %w", t.ID, err)
	}
	if t.CreatedAt, err = parseTime(created); err != nil {
		return Token{}, err
	}
	for _, f := range []struct {
		src sql.NullString
		dst **time.Time
	}{{expires, &t.ExpiresAt}, {revoked, &t.RevokedAt}, {previous, &t.PreviousUntil}, {used, &t.LastUsedAt}} {
		if *f.dst, err = parseNullTime(f.src); err != nil {
			return Token{}, err
		}
	}
	return t, nil
}

// RevokeToken marks a token revoked from now on; its secret, and the
// previous one during a rotation's overlap, stop working at once. Revoking
// a revoked token writes nothing and returns an error wrapping
// ErrAlreadyRevoked (the first revocation time is kept), so a caller can say
// "already revoked" instead of claiming to have done it. An unknown id is an
// error wrapping ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, id string) error {
	return s.write(ctx, func(tx *Tx) error {
		tok, err := tx.getToken(ctx, id)
		if err != nil {
			return err
		}
		if tok.RevokedAt != nil {
			return alreadyRevoked("token", id, *tok.RevokedAt)
		}
		at := now()
		if _, err := tx.tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = ? WHERE id = ?`, formatTime(at), id); err != nil {
			return fmt.Errorf("%s: revoke token %s: %w", s.path, id, err)
		}
		return tx.recordSubject(ctx, at, subject{kind: SubjectToken, id: id},
			model.FieldChange{Field: "revoked", New: "revoked"})
	})
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
