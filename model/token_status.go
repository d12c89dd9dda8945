package model

import "time"

// TokenState is whether a token (or a share link) can still be used. It is
// computed in one place so that the editor, the CLI and the checker never
// disagree about the instant a token stops working.
type TokenState uint8

// The states, from usable to revoked.
const (
	// TokenActive: neither revoked nor past its expiry.
	TokenActive TokenState = iota
	// TokenExpired: its expiry has come (at the expiry instant itself too).
	TokenExpired
	// TokenRevoked: revoked by a person; it wins over expired, because it is
	// the more deliberate fact.
	TokenRevoked
)

// String names the state as listings show it.
func (s TokenState) String() string {
	switch s {
	case TokenActive:
		return "active"
	case TokenExpired:
		return "expired"
	case TokenRevoked:
		return "revoked"
	}
	return "unknown"
}

// TokenStatus says whether a token with these times is usable at now. nil
// times are "never expires" and "not revoked". A token stops working at its
// expiry instant (now >= expiresAt), exactly as the checker refuses it.
func TokenStatus(expiresAt, revokedAt *time.Time, now time.Time) TokenState {
	switch {
	case revokedAt != nil:
		return TokenRevoked
	case expiresAt != nil && !now.Before(*expiresAt):
		return TokenExpired
	}
	return TokenActive
}
