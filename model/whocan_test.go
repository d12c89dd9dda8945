package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// whoCanTokens are tokens of every kind, scope and state, named after what
// they are so that expectations read plainly.
func whoCanTokens(now time.Time) []TokenGrant {
	past, future := now.Add(-time.Minute), now.Add(time.Hour)
	all := Scope{Workflows: []string{"*"}, Files: []string{}}
	send := Scope{Workflows: []string{"SEND-*"}, Files: []string{}}
	none := Scope{Workflows: []string{}, Files: []string{"/fileupload/"}}
	return []TokenGrant{
		{ID: "tok_u1", Name: "user-all", UserID: "u1", Kind: TokenUser, Scope: all},
		{ID: "tok_u2", Name: "user-send", UserID: "u2", Kind: TokenUser, Scope: send},
		{ID: "tok_u3", Name: "user-files-only", UserID: "u3", Kind: TokenUser, Scope: none},
		{ID: "tok_u4", Name: "user-expired", UserID: "u4", Kind: TokenUser, Scope: all, ExpiresAt: &past},
		{ID: "tok_u5", Name: "user-revoked", UserID: "u5", Kind: TokenUser, Scope: all, RevokedAt: &past},
		{ID: "tok_u6", Name: "user-expires-later", UserID: "u6", Kind: TokenUser, Scope: all, ExpiresAt: &future},
		{ID: "tok_u7", Name: "user-expires-now", UserID: "u7", Kind: TokenUser, Scope: all, ExpiresAt: &now},
		{ID: "tok_a1", Name: "admin-all", Kind: TokenAdmin, Scope: all},
		{ID: "tok_a2", Name: "Admin-send", Kind: TokenAdmin, Scope: send},
		{ID: "tok_a3", Name: "admin-files-only", Kind: TokenAdmin, Scope: none},
		{ID: "tok_x1", Name: "unknown-kind", Kind: TokenKind("root"), Scope: all},
	}
}

func grantNames(c Callers) []string {
	out := []string{}
	for _, t := range c.Tokens {
		out = append(out, t.Name)
	}
	return out
}

func TestWhoCanListsTheUsableTokensInScopeAdminsFirst(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tokens := whoCanTokens(now)
	for _, c := range []struct {
		public bool
		auth   Auth
		name   string
		anyone bool
		want   []string
	}{
		{true, AuthUser, "send-invoice", false, []string{"admin-all", "Admin-send", "user-all", "user-expires-later", "user-send"}},
		{true, AuthUser, "report", false, []string{"admin-all", "user-all", "user-expires-later"}},
		{true, AuthAdmin, "send-invoice", false, []string{"admin-all", "Admin-send"}},
		{true, AuthAdmin, "report", false, []string{"admin-all"}},
		// Open: anyone, and a presented token must still be in scope.
		{true, AuthNone, "report", true, []string{"admin-all", "user-all", "user-expires-later"}},
		{false, AuthNone, "send-invoice", false, []string{}},
	} {
		w := NewWorkflow(c.name)
		w.Public, w.Auth = c.public, c.auth
		got := WhoCan(&w, tokens, now)
		assert.Equal(t, c.anyone, got.Anyone, "%s %s public=%v", c.name, c.auth, c.public)
		assert.Equal(t, c.want, grantNames(got), "%s %s public=%v", c.name, c.auth, c.public)
		admins := 0
		for _, name := range c.want {
			if name[0] == 'a' || name[0] == 'A' {
				admins++
			}
		}
		assert.Equal(t, admins, got.Admin)
		assert.Equal(t, len(c.want)-admins, got.User)
	}
}

func TestWhoCanOfNoWorkflowIsNobody(t *testing.T) {
	now := time.Now()
	got := WhoCan(nil, whoCanTokens(now), now)
	assert.Equal(t, Callers{Tokens: []TokenGrant{}}, got)
}

// TestWhoCanAgreesWithDecideOnEveryPair is the contract: a token is listed
// iff it is active and Decide allows its call with the workflow's method.
func TestWhoCanAgreesWithDecideOnEveryPair(t *testing.T) {
	now := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	tokens := whoCanTokens(now)
	for _, public := range []bool{true, false} {
		for _, auth := range []Auth{AuthNone, AuthUser, AuthAdmin, Auth("bogus")} {
			for _, method := range []Method{MethodPOST, MethodGET} {
				for _, name := range []string{"send-invoice", "report"} {
					w := NewWorkflow(name)
					w.Public, w.Auth, w.Method = public, auth, method
					got := WhoCan(&w, tokens, now)
					listed := map[string]bool{}
					for _, g := range got.Tokens {
						listed[g.ID] = true
					}
					assert.Equal(t, Decide(&w, Credential{}, string(method)).Allowed, got.Anyone)
					for _, tok := range tokens {
						scope := tok.Scope
						want := TokenStatus(tok.ExpiresAt, tok.RevokedAt, now) == TokenActive &&
							Decide(&w, Credential{Kind: tok.Kind.Credential(), Scope: &scope}, string(method)).Allowed
						assert.Equal(t, want, listed[tok.ID], "%s (%v %s %s) × %s", name, public, auth, method, tok.Name)
					}
				}
			}
		}
	}
}
