package checker

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestParseWorkflowPath(t *testing.T) {
	long := strings.Repeat("a", 100)
	for path, want := range map[string]string{
		"/api/1.1/wf/send-invoice":                         "send-invoice",
		"/api/1.1/wf/Send_Invoice2":                        "Send_Invoice2",
		"/api/1.1/wf/send-invoice/initialize":              "send-invoice",
		"/version-test/api/1.1/wf/send-invoice":            "send-invoice",
		"/version-live/api/1.1/wf/send-invoice/initialize": "send-invoice",
		"/api/1.1/wf/initialize":                           "initialize",
		"/api/1.1/wf/" + long:                              long,
	} {
		name, ok := ParseWorkflowPath(path)
		assert.True(t, ok, path)
		assert.Equal(t, want, name, path)
	}
	for _, path := range []string{
		"", "/", "/api/", "/api/1.1/wf/", "/api/1.1/wf", "/api/1.1/obj/user",
		"/api/1.1/wf/" + long + "a",                // over-long
		"/api/1.1/wf/send-invoice/",                // trailing slash
		"/api/1.1/wf//send-invoice",                // double slash
		"//api/1.1/wf/send-invoice",                // double slash
		"/api/1.1//wf/send-invoice",                // double slash
		"/api/1.1/wf/../wf/send-invoice",           // dot segment
		"/api/1.1/wf/./send-invoice",               // dot segment
		"/api/1.1/wf/send-invoice/..",              // dot segment
		"/x/../api/1.1/wf/send-invoice",            // dot segment before
		"/version-test/../api/1.1/wf/send-invoice", // dot segment after prefix
		"/api/1.1/wf/send%2Dinvoice",               // percent-encoded name byte
		"/api/1.1/wf%2Fsend-invoice",               // encoded slash
		"/%61pi/1.1/wf/send-invoice",               // encoded prefix
		"/API/1.1/wf/send-invoice",                 // prefix is case-sensitive
		"/version-dev/api/1.1/wf/send-invoice",     // unknown version
		"/version-test/version-live/api/1.1/wf/x",  // two versions
		"/version-test",                            // prefix alone
		"/api/1.1/wf/send invoice",                 // space
		"/api/1.1/wf/send-invoice/initialize/initialize",
		"/api/1.1/wf/send-invoice/other",
		"/api/1.1/wf/send-invoice;x=1",
		"/api/1.1/wf/send-invoice?x=1",
		"/api/1.1/wf/send-invoice#frag",
		"/api/1.1/wf/séndinvoice",
		"api/1.1/wf/send-invoice",
		"http://host/api/1.1/wf/send-invoice",
	} {
		name, ok := ParseWorkflowPath(path)
		assert.False(t, ok, "%q must not parse (got %q)", path, name)
	}
}

func TestParseWorkflowPathDoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { ParseWorkflowPath("/version-test/api/1.1/wf/Send-Invoice/initialize") })
	assert.Zero(t, allocs)
}

// canonicalPath is the exact grammar ParseWorkflowPath must implement.
var canonicalPath = regexp.MustCompile(`^(?:/version-(?:test|live))?/api/1\.1/wf/([A-Za-z0-9_-]+)(?:/initialize)?$`)

// FuzzParseWorkflowPath checks the parser against the grammar: it accepts
// exactly the canonical paths and returns the name they contain.
func FuzzParseWorkflowPath(f *testing.F) {
	for _, s := range []string{"/api/1.1/wf/a", "/version-test/api/1.1/wf/a/initialize", "/api/1.1/wf/a%2F",
		"//api/1.1/wf/a", "/api/1.1/wf/../a", "/version-live/api/1.1/wf/initialize/initialize"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		name, ok := ParseWorkflowPath(path)
		m := canonicalPath.FindStringSubmatch(path)
		if m != nil && len(m[1]) > 100 {
			m = nil
		}
		if ok != (m != nil) {
			t.Fatalf("ParseWorkflowPath(%q) ok=%v, grammar says %v", path, ok, m != nil)
		}
		if !ok {
			return
		}
		if name != m[1] {
			t.Fatalf("ParseWorkflowPath(%q) = %q, grammar says %q", path, name, m[1])
		}
		if strings.Contains(path, "%") || strings.Contains(path, "//") || strings.Contains(path, "..") {
			t.Fatalf("accepted a non-canonical path %q", path)
		}
	})
}

func TestParseFilePathDecodesOnceAndRefusesAmbiguousSpellings(t *testing.T) {
	for escaped, want := range map[string]string{
		"/fileupload/report.pdf":                   "/fileupload/report.pdf",
		"/fileupload/a%20b.pdf":                    "/fileupload/a b.pdf",
		"/fileupload/%E2%82%AC.txt":                "/fileupload/€.txt",
		"/fileupload/%2e%2e%2ex":                   "/fileupload/...x",
		"/fileupload/dir/":                         "/fileupload/dir/",
		"/fileupload":                              "/fileupload",
		"/fileupload/report%5B1%5D.pdf":            "/fileupload/report[1].pdf",
		"/fileupload/a;b":                          "/fileupload/a;b",
		"/fileupload/..a/b.":                       "/fileupload/..a/b.",
		"/fileupload/" + strings.Repeat("a", 1012): "/fileupload/" + strings.Repeat("a", 1012),
	} {
		got, ok := ParseFilePath(escaped)
		assert.True(t, ok, escaped)
		assert.Equal(t, want, got, escaped)
	}
	for _, escaped := range []string{
		"", "fileupload/a", "/fileupload//a", "//fileupload/a", "/fileupload/./a", "/fileupload/../a",
		"/fileupload/..", "/fileupload/.", "/fileupload/%2e%2e/a", "/fileupload/%2E/a", "/fileupload/..;/a",
		"/fileupload/.;x/a", "/fileupload/a%2Fb", "/fileupload/a%2fb", "/fileupload/a%252Fb", "/fileupload/a%25",
		"/fileupload/a%", "/fileupload/a%4", "/fileupload/a%zz", "/fileupload/a%00", "/fileupload/a%0A",
		"/fileupload/a%7F", "/fileupload/a\\..\\b", "/fileupload/a%5C..%5Cb", "/fileupload/%FF",
		"/fileupload/%C0%AF", "/fileupload/" + strings.Repeat("a", 1013), "/fileupload/" + strings.Repeat("%61", 1013),
	} {
		_, ok := ParseFilePath(escaped)
		assert.False(t, ok, escaped)
	}
}

func TestParseFilePathDoesNotAllocateWithoutEscapes(t *testing.T) {
	assert.Zero(t, testing.AllocsPerRun(100, func() { ParseFilePath("/fileupload/f1/report.pdf") }))
}

// FuzzParseFilePath checks that every path ParseFilePath accepts is what
// net/url decodes it to, and clean: no empty or dot segment (also before a
// ';'), no '%', backslash or control character, and valid UTF-8.
func FuzzParseFilePath(f *testing.F) {
	for _, s := range []string{"/fileupload/a.pdf", "/f/a%20b", "/f/%2e%2e/x", "/f//x", "/f/%2F", "/f/%25", "/f/..;/x", "/f/dir/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, escaped string) {
		path, ok := ParseFilePath(escaped)
		if !ok {
			return
		}
		decoded, err := url.PathUnescape(escaped)
		if err != nil || decoded != path {
			t.Fatalf("ParseFilePath(%q) = %q, net/url decodes %q (%v)", escaped, path, decoded, err)
		}
		if !utf8.ValidString(path) || strings.ContainsAny(path, "%\\") || strings.Contains(path, "//") {
			t.Fatalf("ParseFilePath(%q) = %q is not clean", escaped, path)
		}
		for i, seg := range strings.Split(path, "/") {
			before, _, _ := strings.Cut(seg, ";")
			if i == 0 && seg != "" || before == "." || before == ".." || strings.IndexFunc(seg, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
				t.Fatalf("ParseFilePath(%q) = %q has segment %q", escaped, path, seg)
			}
		}
	})
}
