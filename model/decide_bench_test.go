package model

import "testing"

// BenchmarkDecide measures the rule alone; the checker's benchmark adds
// token verification and request parsing on top of it.
func BenchmarkDecide(b *testing.B) {
	benchDecide(b, AuthAdmin, []Credential{{Kind: CredentialNone}, {Kind: CredentialUser}, {Kind: CredentialAdmin}})
}

// BenchmarkDecideScoped is BenchmarkDecide with scoped tokens, in and out of
// scope: the case the checker meets for every token once scopes exist.
func BenchmarkDecideScoped(b *testing.B) {
	benchDecide(b, AuthUser, []Credential{{Kind: CredentialNone}, {Kind: CredentialUser, Scope: benchScope()},
		{Kind: CredentialAdmin, Scope: &Scope{Workflows: []string{"report-*"}}}})
}

// benchDecide decides a POST to a public workflow with each credential in turn.
func benchDecide(b *testing.B, auth Auth, creds []Credential) {
	w := NewWorkflow("send-invoice")
	w.Public, w.Auth = true, auth
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if d := Decide(&w, creds[i%len(creds)], "POST"); d.Status == 0 {
			b.Fatal("no status")
		}
		i++
	}
}
