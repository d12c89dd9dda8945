package model

import (
	"sort"
	"strings"
	"time"
)

// TokenGrant is what who-can needs to know of a token: its kind, scope and
// the times that decide whether it still works. The store's Token converts
// to it, so that the CLI and the editor answer "who can call this?" from
// the same facts the checker decides on.
type TokenGrant struct {
	ID, Name, UserID     string
	Kind                 TokenKind
	ExpiresAt, RevokedAt *time.Time
	Scope                Scope
}

// Callers answers "who can call this workflow right now": whether anyone
// can (no token needed), and which tokens can, with a count per kind.
type Callers struct {
	// Anyone is true when a call without any token is allowed.
	Anyone bool
	// Tokens are the usable tokens whose call is allowed, admin tokens first,
	// then by name and id, so that listings are stable.
	Tokens []TokenGrant
	// Admin and User count Tokens by kind.
	Admin, User int
}

// WhoCan lists who can call workflow w (nil: no such workflow) at now. It
// asks Decide itself, with each token's own kind and scope and the
// workflow's own method, so it can never disagree with the checker: a token
// is listed iff it is active at now and Decide allows its call, and Anyone
// iff Decide allows a call without a token. A presented token is judged
// even on an open workflow, so there an out-of-scope token is not listed.
func WhoCan(w *Workflow, tokens []TokenGrant, now time.Time) Callers {
	out := Callers{Tokens: []TokenGrant{}}
	if w == nil {
		return out
	}
	method := string(w.Method)
	out.Anyone = Decide(w, Credential{Kind: CredentialNone}, method).Allowed
	for _, t := range tokens {
		if TokenStatus(t.ExpiresAt, t.RevokedAt, now) != TokenActive {
			continue
		}
		scope := t.Scope
		if !Decide(w, Credential{Kind: t.Kind.Credential(), UserID: t.UserID, TokenID: t.ID, Scope: &scope}, method).Allowed {
			continue
		}
		out.Tokens = append(out.Tokens, t)
		switch t.Kind {
		case TokenAdmin:
			out.Admin++
		case TokenUser:
			out.User++
		}
	}
	sort.SliceStable(out.Tokens, func(i, j int) bool {
		a, b := out.Tokens[i], out.Tokens[j]
		if a.Kind != b.Kind {
			return a.Kind == TokenAdmin
		}
		if an, bn := strings.ToLower(a.Name), strings.ToLower(b.Name); an != bn {
			return an < bn
		}
		return a.ID < b.ID
	})
	return out
}
