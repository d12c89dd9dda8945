package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecideJudgesATokensWorkflowScope is the scope part of the decision
// table: a token outside its scope is refused once the Authentication choice
// admits the call (and only then), on every Authentication choice.
func TestDecideJudgesATokensWorkflowScope(t *testing.T) {
	inScope := &Scope{Workflows: []string{"SEND-*"}}
	outOfScope := &Scope{Workflows: []string{"report-*"}}
	noWorkflows := &Scope{Workflows: []string{}, Files: []string{"/fileupload/"}}
	const ok, scope, admin, missing, notFound, method, invalid, malformed = "allow", "scope", "admin", "missing", "404", "405", "401", "400"
	want := map[string]Decision{ok: allow, scope: denyOutOfScope, admin: denyNeedsAdmin, missing: denyMissingToken,
		notFound: denyNotFound, method: denyOnlyPOST, invalid: denyInvalidToken, malformed: denyMalformed}
	for _, c := range []struct {
		auth   Auth
		cred   Credential
		public bool
		method string
		want   string
	}{
		// None required: anonymous is fine, a presented token is judged.
		{AuthNone, Credential{Kind: CredentialNone}, true, "POST", ok},
		{AuthNone, Credential{Kind: CredentialUser, Scope: inScope}, true, "POST", ok},
		{AuthNone, Credential{Kind: CredentialUser, Scope: outOfScope}, true, "POST", scope},
		{AuthNone, Credential{Kind: CredentialAdmin, Scope: outOfScope}, true, "POST", scope},
		{AuthNone, Credential{Kind: CredentialAdmin, Scope: noWorkflows}, true, "POST", scope},
		// User and admin.
		{AuthUser, Credential{Kind: CredentialUser, Scope: inScope}, true, "POST", ok},
		{AuthUser, Credential{Kind: CredentialUser, Scope: outOfScope}, true, "POST", scope},
		{AuthUser, Credential{Kind: CredentialAdmin, Scope: inScope}, true, "POST", ok},
		{AuthUser, Credential{Kind: CredentialAdmin, Scope: outOfScope}, true, "POST", scope},
		{AuthUser, Credential{Kind: CredentialNone}, true, "POST", missing},
		// Admin only: the Authentication answer comes before the scope one.
		{AuthAdmin, Credential{Kind: CredentialAdmin, Scope: inScope}, true, "POST", ok},
		{AuthAdmin, Credential{Kind: CredentialAdmin, Scope: outOfScope}, true, "POST", scope},
		{AuthAdmin, Credential{Kind: CredentialUser, Scope: inScope}, true, "POST", admin},
		{AuthAdmin, Credential{Kind: CredentialUser, Scope: outOfScope}, true, "POST", admin},
		// The earlier bindings are unchanged by a scope.
		{AuthUser, Credential{Kind: CredentialUser, Scope: outOfScope}, false, "POST", notFound},
		{AuthUser, Credential{Kind: CredentialUser, Scope: outOfScope}, true, "GET", method},
		{AuthNone, Credential{Kind: CredentialInvalid, Scope: inScope}, true, "POST", invalid},
		{AuthNone, Credential{Kind: CredentialMalformed, Scope: inScope}, true, "POST", malformed},
		// A share link never calls a workflow, whatever its path.
		{AuthNone, Credential{Kind: CredentialLink, LinkPath: "/api/1.1/wf/send-invoice"}, true, "POST", invalid},
		// No scope known (decide --as, legacy callers): as before scopes.
		{AuthUser, Credential{Kind: CredentialUser}, true, "POST", ok},
		{AuthAdmin, Credential{Kind: CredentialAdmin}, true, "POST", ok},
	} {
		w := NewWorkflow("send-invoice")
		w.Public, w.Auth, w.Method = c.public, c.auth, MethodPOST
		got := Decide(&w, c.cred, c.method)
		assert.Equal(t, want[c.want], got, "%s workflow, %s token (scope %v), %s", c.auth, c.cred.Kind, c.cred.Scope, c.method)
	}
}

func TestAnOutOfScopeDenialNamesTheWorkflowWhenWritten(t *testing.T) {
	w := NewWorkflow("Send-Invoice")
	w.Public = true
	d := Decide(&w, Credential{Kind: CredentialUser, Scope: &Scope{Workflows: []string{"report-*"}}}, "POST")
	require.Equal(t, 403, d.Status)
	assert.Equal(t, CodeInsufficientScope, d.Code)
	assert.True(t, d.NamesWorkflow)
	assert.Equal(t, "this token may not call this workflow", d.Message)
	assert.Equal(t, "this token may not call Send-Invoice", d.MessageFor(w.Name))
	assert.Equal(t, d.Message, d.MessageFor(""))
	// Other decisions keep their message whatever the name.
	assert.Equal(t, denyNeedsAdmin.Message, denyNeedsAdmin.MessageFor("send-invoice"))
	assert.False(t, allow.NamesWorkflow)
}

func TestParseCredentialKind(t *testing.T) {
	for in, want := range map[string]CredentialKind{"none": CredentialNone, "user": CredentialUser, "admin": CredentialAdmin,
		"malformed": CredentialMalformed, "invalid": CredentialInvalid} {
		got, err := ParseCredentialKind(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
		assert.Equal(t, in, got.String())
	}
	for _, in := range []string{"", "root", "Admin", "link", "unknown", " user"} {
		_, err := ParseCredentialKind(in)
		assert.EqualError(t, err, `invalid credential "`+in+`": use none, user or admin (or malformed, invalid)`, in)
	}
	assert.Equal(t, "link", CredentialLink.String())
}

func TestDecideWithAScopeDoesNotAllocate(t *testing.T) {
	w := NewWorkflow("send-invoice")
	w.Public = true
	scoped := Credential{Kind: CredentialUser, Scope: benchScope()}
	outside := Credential{Kind: CredentialUser, Scope: &Scope{Workflows: []string{"report-*"}}}
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		Decide(&w, scoped, "POST")
		Decide(&w, outside, "POST")
	}))
}
