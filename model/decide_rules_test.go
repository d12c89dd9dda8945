package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDecideFailsClosedOnUnexpectedInput(t *testing.T) {
	w := NewWorkflow("wf")
	w.Public = true
	w.Auth = Auth("everyone")
	for _, kind := range []CredentialKind{CredentialNone, CredentialUser, CredentialAdmin} {
		d := Decide(&w, Credential{Kind: kind}, "POST")
		assert.False(t, d.Allowed, "an unknown auth value must never allow (%s)", kind)
	}
	w.Auth = AuthNone
	d := Decide(&w, Credential{Kind: CredentialKind(42)}, "POST")
	assert.Equal(t, "401 invalid_token", outcome(d), "an unknown credential kind is treated as an invalid token")
	d = Decide(&w, Credential{}, "post")
	assert.Equal(t, "405 method_not_allowed", outcome(d), "methods are case-sensitive, as in HTTP")
}

func TestNotPublicKeepsAuthButHasNoEffect(t *testing.T) {
	w := NewWorkflow("wf")
	w.Auth = AuthNone
	assert.Equal(t, "404 not_found", outcome(Decide(&w, Credential{}, "POST")))
	assert.Equal(t, AuthNone, w.Auth)
	w.Public = true
	assert.Equal(t, "200", outcome(Decide(&w, Credential{}, "POST")))
}
