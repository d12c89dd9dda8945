package model

import (
	"path"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestGlobMatch(t *testing.T) {
	for _, c := range []struct {
		pattern, s      string
		fold, inSegment bool
		want            bool
	}{
		{"send-invoice", "send-invoice", true, false, true},
		{"send-invoice", "Send-Invoice", true, false, true},
		{"SEND-*", "send-invoice", true, false, true},
		{"send-invoice", "Send-Invoice", false, false, false},
		{"send-invoice", "send-invoice2", true, false, false},
		{"send-invoice", "send-invoic", true, false, false},
		{"*", "", true, false, true},
		{"*", "anything", true, false, true},
		{"", "", true, false, true},
		{"", "a", true, false, false},
		{"a*", "a", true, false, true},
		{"*a", "ba", true, false, true},
		{"*a", "ab", true, false, false},
		{"a*b*c", "aXbYc", true, false, true},
		{"a*b*c", "abcbc", true, false, true},
		{"a*b*c", "acb", true, false, false},
		{"*-admin", "reset-admin", true, false, true},
		{"*-admin", "reset-admins", true, false, false},
		// '_' and '-' are not letters: folding must leave them alone.
		{"a_b", "a-b", true, false, false},
		{"a_b", "A_B", true, false, true},
		// Folding is ASCII only: the Kelvin sign is not a K.
		{"k", "\u212a", true, false, false},
		// In a path, '*' stays inside one segment.
		{"/files/*", "/files/a.pdf", false, true, true},
		{"/files/*", "/files/a/b.pdf", false, true, false},
		{"/files/*", "/files/", false, true, true},
		{"/files/*/x", "/files/a/x", false, true, true},
		{"/files/*/x", "/files/a/b/x", false, true, false},
		{"/files/*.pdf", "/files/a.pdf.exe", false, true, false},
		{"/files/*.pdf", "/files/a.PDF", false, true, false},
		{"/*", "/a/b", false, true, false},
		{"/*/*", "/a/b", false, true, true},
		{"*", "/a", false, false, true},
	} {
		assert.Equal(t, c.want, globMatch(c.pattern, c.s, c.fold, c.inSegment), "%q ~ %q fold=%v segment=%v", c.pattern, c.s, c.fold, c.inSegment)
	}
}

// FuzzGlobAgreesWithPathMatch holds the matcher to the promise that file
// patterns follow Go's path.Match (for patterns whose only wildcard is '*',
// which is all that validation lets through), and that folding is exactly
// matching the lower-cased strings.
func FuzzGlobAgreesWithPathMatch(f *testing.F) {
	for _, seed := range [][2]string{
		{"/files/*", "/files/a"}, {"/f/*/x*", "/f/a/xyz"}, {"a*b*c", "abcabc"}, {"*", "/"},
		{"/a*/b", "/a/b"}, {"*a*", "bab"}, {"Send-*", "send-X"}, {"**", "a/b"}, {"/*/", "//"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, pattern, s string) {
		if len(pattern) > 64 || len(s) > 64 || strings.ContainsAny(pattern, `?[]\`) {
			t.Skip()
		}
		want, err := path.Match(pattern, s)
		if err != nil {
			t.Skip()
		}
		if got := globMatch(pattern, s, false, true); got != want {
			t.Fatalf("globMatch(%q, %q) = %v, path.Match says %v", pattern, s, got, want)
		}
		if strings.Contains(s, "/") {
			return
		}
		lowerWant, _ := path.Match(asciiLower(pattern), asciiLower(s))
		if got := globMatch(pattern, s, true, false); got != lowerWant {
			t.Fatalf("folded globMatch(%q, %q) = %v, want %v", pattern, s, got, lowerWant)
		}
	})
}

// asciiLower lower-cases ASCII letters only, as names are compared.
func asciiLower(s string) string {
	b := []byte(s)
	for i := range b {
		b[i] = lowerASCII(b[i])
	}
	return string(b)
}
