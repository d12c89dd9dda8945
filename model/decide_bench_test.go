package model

import "testing"

// BenchmarkDecide measures the rule alone; the checker's benchmark adds
// token verification and request parsing on top of it.
func BenchmarkDecide(b *testing.B) {
	w := NewWorkflow("send-invoice")
	w.Public, w.Auth = true, AuthAdmin
	creds := []Credential{{Kind: CredentialNone}, {Kind: CredentialUser}, {Kind: CredentialAdmin}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if d := Decide(&w, creds[i%3], "POST"); d.Status == 0 {
			b.Fatal("no status")
		}
		i++
	}
}
