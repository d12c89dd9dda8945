package checker

import (
	"testing"
)

// BenchmarkDecisionWithToken is the request path of every mode: credential
// parsing, checksum, SHA-256, token and workflow lookups, expiry, Decide.
func BenchmarkDecisionWithToken(b *testing.B) {
	f := newFixture(b)
	c := f.checker(b, Options{AllowQueryToken: true})
	req := &Request{Method: "POST", Path: "/version-live/api/1.1/wf/public-admin-post",
		RawQuery: "customer=42", Authorization: []string{"Bearer " + f.admin}}
	b.ReportAllocs()
	for b.Loop() {
		if res := c.Check(req); !res.Allowed {
			b.Fatal(res.Decision)
		}
	}
}

// BenchmarkDecisionQueryToken takes the token from the api_token parameter.
func BenchmarkDecisionQueryToken(b *testing.B) {
	f := newFixture(b)
	c := f.checker(b, Options{AllowQueryToken: true})
	req := &Request{Method: "POST", Path: "/api/1.1/wf/Send-Invoice", RawQuery: "customer=42&api_token=" + f.user}
	b.ReportAllocs()
	for b.Loop() {
		if res := c.Check(req); !res.Allowed {
			b.Fatal(res.Decision)
		}
	}
}
