package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"flowgate/model"
)

// SetTokenScope replaces a token's scope (validated first; nil lists are
// empty lists) and records each changed list in the change trail. The
// generation is bumped, so running checkers apply the new scope at once.
// A scope equal to the current one writes nothing. An unknown id wraps
// ErrNotFound; a revoked token's scope cannot change (it grants nothing).
func (s *Store) SetTokenScope(ctx context.Context, id string, scope model.Scope) (tok Token, err error) {
	scope = normalScope(scope)
	if err := scope.Validate(); err != nil {
		return Token{}, err
	}
	err = s.write(ctx, func(tx *Tx) error {
		if tok, err = tx.getToken(ctx, id); err != nil {
			return err
		}
		if tok.RevokedAt != nil {
			return fmt.Errorf("token %s is revoked: its scope no longer matters", id)
		}
		var changes []model.FieldChange
		for _, c := range []model.FieldChange{
			{Field: "workflows", Old: patternsText(tok.Scope.Workflows), New: patternsText(scope.Workflows)},
			{Field: "files", Old: patternsText(tok.Scope.Files), New: patternsText(scope.Files)},
		} {
			if c.Old != c.New {
				changes = append(changes, c)
			}
		}
		if len(changes) == 0 {
			return nil
		}
		if _, err := tx.tx.ExecContext(ctx, `UPDATE tokens SET workflows = ?, files = ? WHERE id = ?`,
			encodePatterns(scope.Workflows), encodePatterns(scope.Files), id); err != nil {
			return fmt.Errorf("%s: set scope of token %s: %w", s.path, id, err)
		}
		tok.Scope = scope
		return tx.recordSubject(ctx, now(), subject{kind: SubjectToken, id: id}, changes...)
	})
	if err != nil {
		return Token{}, err
	}
	return tok, nil
}

// MaxRotationOverlap bounds how long a rotated-out secret keeps working: a
// rotation is meant to retire a secret, so an overlap longer than a month
// would keep the old one alive as long as a new token.
const MaxRotationOverlap = 30 * 24 * time.Hour

// RotateToken gives a token a new secret (same id, name, kind, user, scope
// and expiry) and returns it; like CreateToken's, it exists only in this
// return value. The old secret keeps working for overlap (never past the
// token's expiry), so callers can switch without downtime; overlap 0 stops
// it at once. Rotating again during an overlap ends the earlier overlap at
// once: only the secret just replaced keeps working. Revoked and expired
// tokens cannot be rotated; an unknown id wraps ErrNotFound.
func (s *Store) RotateToken(ctx context.Context, id string, overlap time.Duration) (secret string, tok Token, err error) {
	if overlap < 0 || overlap > MaxRotationOverlap {
		return "", Token{}, fmt.Errorf("invalid overlap %s: use 0 (the old secret stops at once) up to %s", overlap, MaxRotationOverlap)
	}
	err = s.write(ctx, func(tx *Tx) error {
		if tok, err = tx.getToken(ctx, id); err != nil {
			return err
		}
		at := now()
		switch model.TokenStatus(tok.ExpiresAt, tok.RevokedAt, at) {
		case model.TokenRevoked:
			return fmt.Errorf("token %s is revoked: create a new token instead", id)
		case model.TokenExpired:
			return fmt.Errorf("token %s expired at %s: create a new token instead", id, tok.ExpiresAt.UTC().Format(time.RFC3339))
		}
		if secret, err = model.GenerateToken(tok.Kind, tokenRandom); err != nil {
			return err
		}
		hash := model.HashToken(secret)
		oldPrefix := tok.Prefix
		tok.Prefix = model.TokenDisplayPrefix(secret)
		var previousUntil sql.NullString
		var previousHash []byte // nil: NULL
		note := "the old secret stopped at once"
		tok.PreviousUntil = nil
		if overlap > 0 {
			until := at.Add(overlap)
			if tok.ExpiresAt != nil && tok.ExpiresAt.Before(until) {
				until = *tok.ExpiresAt
			}
			if err := tx.tx.QueryRowContext(ctx, `SELECT hash FROM tokens WHERE id = ?`, id).Scan(&previousHash); err != nil {
				return fmt.Errorf("read token %s: %w", id, err)
			}
			previousUntil = sql.NullString{String: formatTime(until), Valid: true}
			tok.PreviousUntil = &until
			note = "the old secret works until " + until.UTC().Format(time.RFC3339)
		}
		if _, err := tx.tx.ExecContext(ctx, `UPDATE tokens SET hash = ?, prefix = ?, previous_hash = ?, previous_until = ? WHERE id = ?`,
			hash[:], tok.Prefix, previousHash, previousUntil, id); err != nil {
			return fmt.Errorf("%s: rotate token %s: %w", s.path, id, err)
		}
		return tx.recordSubject(ctx, at, subject{kind: SubjectToken, id: id},
			model.FieldChange{Field: "secret", Old: "prefix " + oldPrefix, New: "rotated to prefix " + tok.Prefix + "; " + note})
	})
	if err != nil {
		return "", Token{}, err
	}
	return secret, tok, nil
}

// normalScope replaces nil lists with empty ones, so that what is stored
// and compared is always a JSON array.
func normalScope(s model.Scope) model.Scope {
	if s.Workflows == nil {
		s.Workflows = []string{}
	}
	if s.Files == nil {
		s.Files = []string{}
	}
	return s
}

// encodePatterns stores a pattern list as a JSON array.
func encodePatterns(ps []string) string {
	if len(ps) == 0 {
		return "[]"
	}
	b, err := json.Marshal(ps)
	if err != nil { // a []string always marshals
		panic(err)
	}
	return string(b)
}

// decodeScope reads a token's two pattern lists. The default scope is read
// without JSON, which keeps snapshots of many tokens cheap.
func decodeScope(workflows, files string) (model.Scope, error) {
	var s model.Scope
	var err error
	if s.Workflows, err = decodePatterns(workflows); err != nil {
		return model.Scope{}, fmt.Errorf("damaged workflow patterns: %w", err)
	}
	if s.Files, err = decodePatterns(files); err != nil {
		return model.Scope{}, fmt.Errorf("damaged file patterns: %w", err)
	}
	return s, nil
}

func decodePatterns(text string) ([]string, error) {
	switch text {
	case "[]":
		return []string{}, nil
	case `["*"]`:
		return []string{"*"}, nil
	}
	var ps []string
	if err := json.Unmarshal([]byte(text), &ps); err != nil {
		return nil, err
	}
	if ps == nil { // JSON null
		return nil, fmt.Errorf("not a list: %s", text)
	}
	return ps, nil
}

// patternsText renders a pattern list for the change trail as the CLI
// takes it (comma-separated); "" is the empty list.
func patternsText(ps []string) string { return strings.Join(ps, ",") }
