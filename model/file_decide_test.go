package model

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDecideFile is the decision table for requests under a protected
// prefix, in binding order: 400, 401 invalid, 405, 401 missing, 403 scope.
func TestDecideFile(t *testing.T) {
	const file = "/fileupload/reports/q1.pdf"
	reports := &Scope{Workflows: []string{"*"}, Files: []string{"/fileupload/reports/"}}
	avatars := &Scope{Workflows: []string{"*"}, Files: []string{"/fileupload/avatars/*"}}
	link := Credential{Kind: CredentialLink, TokenID: "lnk_000000000000", LinkPath: file}
	for _, c := range []struct {
		name   string
		cred   Credential
		method string
		path   string
		want   Decision
	}{
		{"a user token scoped to the folder", Credential{Kind: CredentialUser, Scope: reports}, "GET", file, allow},
		{"HEAD as GET", Credential{Kind: CredentialAdmin, Scope: reports}, "HEAD", file, allow},
		{"a token scoped elsewhere", Credential{Kind: CredentialUser, Scope: avatars}, "GET", file, denyFileOutOfScope},
		{"an admin token without files", Credential{Kind: CredentialAdmin, Scope: &Scope{Workflows: []string{"*"}}}, "GET", file, denyFileOutOfScope},
		{"the default scope", Credential{Kind: CredentialAdmin, Scope: ptr(DefaultScope())}, "GET", file, denyFileOutOfScope},
		{"a token whose scope is unknown", Credential{Kind: CredentialAdmin}, "GET", file, denyFileOutOfScope},
		{"anonymous", Credential{Kind: CredentialNone}, "GET", file, denyFileMissingToken},
		{"anonymous with a wrong method: 405 first", Credential{Kind: CredentialNone}, "POST", file, denyFileMethod},
		{"a scoped token may not write", Credential{Kind: CredentialAdmin, Scope: reports}, "PUT", file, denyFileMethod},
		{"DELETE", Credential{Kind: CredentialUser, Scope: reports}, "DELETE", file, denyFileMethod},
		{"lower-case get is not GET", Credential{Kind: CredentialUser, Scope: reports}, "get", file, denyFileMethod},
		{"an invalid token before the method", Credential{Kind: CredentialInvalid}, "POST", file, denyInvalidToken},
		{"malformed credentials first", Credential{Kind: CredentialMalformed}, "POST", file, denyMalformed},
		{"an unknown kind", Credential{Kind: CredentialKind(200), Scope: reports}, "GET", file, denyInvalidToken},
		{"a link for this path", link, "GET", file, allow},
		{"a link with HEAD", link, "HEAD", file, allow},
		{"a link with POST", link, "POST", file, denyFileMethod},
		{"a link on another path reveals nothing", link, "GET", "/fileupload/reports/q2.pdf", denyInvalidToken},
		{"a link on another path, even with POST", link, "POST", "/fileupload/reports/q2.pdf", denyInvalidToken},
		{"a link is not a folder", link, "GET", file + "/x", denyInvalidToken},
		{"a link's path matches exactly, case included", link, "GET", strings.ToUpper(file), denyInvalidToken},
		{"a link's path is not a pattern", Credential{Kind: CredentialLink, LinkPath: "/fileupload/*"}, "GET", "/fileupload/a", denyInvalidToken},
		{"a link to an unclean path opens nothing", Credential{Kind: CredentialLink, LinkPath: "/fileupload/../x"}, "GET", "/fileupload/../x", denyInvalidToken},
		{"a link without a path", Credential{Kind: CredentialLink}, "GET", "", denyInvalidToken},
		{"a scoped token on an unclean path", Credential{Kind: CredentialUser, Scope: reports}, "GET", "/fileupload/reports/../../etc/passwd", denyFileOutOfScope},
	} {
		assert.Equal(t, c.want, DecideFile(c.cred, c.method, c.path), c.name)
	}
	assert.Equal(t, "files only accept GET and HEAD", denyFileMethod.Message)
}

func ptr[T any](v T) *T { return &v }

func TestValidatePrefix(t *testing.T) {
	for _, ok := range []string{"/fileupload/", "/a/b/c/", "/files-2024/", "/my files/", "/données/", "/api/1.1/obj/", "/api/2/"} {
		assert.NoError(t, ValidatePrefix(ok), ok)
	}
	for in, wantErr := range map[string]string{
		"":                   "it must be an absolute path starting with /",
		"fileupload/":        `invalid prefix "fileupload/": it must be an absolute path starting with /`,
		"/fileupload":        `invalid prefix "/fileupload": it must end with / (for example /fileupload/)`,
		"/":                  "it overlaps /api/1.1/wf/",
		"/api/":              "it overlaps /api/1.1/wf/",
		"/API/1.1/":          "it overlaps /api/1.1/wf/",
		"/api/1.1/wf/x/":     "it overlaps /api/1.1/wf/",
		"/_flowgate/":        "it overlaps /_flowgate/",
		"/version-test/":     "it overlaps /version-test/api/1.1/wf/",
		"/Version-Live/api/": "it overlaps /version-live/api/1.1/wf/",
		"/_FlowGate/files/":  "it overlaps /_flowgate/",
		"/f//":               "it has an empty segment (//)",
		"//f/":               "it has an empty segment (//)",
		"/f/../":             "it has a . or .. segment",
		"/./":                "it has a . or .. segment",
		"/f%2F/":             "it has %",
		"/f/*/":              "a prefix has no wildcard",
		"/f?/":               `'?' is not a wildcard here`,
		"/f[/":               `'[' is not a wildcard here`,
		`/f\/`:               "it has a backslash",
		"/f\n/":              "it has a control character",
		"/f\xc3/":            "it is not valid UTF-8",
		"/" + strings.Repeat("a/", MaxPathLength/2): "bytes is longer than 1024",
	} {
		assert.ErrorContains(t, ValidatePrefix(in), wantErr, "%q", in)
	}
}

func TestPrefixForTakesTheLongestProtectedPrefix(t *testing.T) {
	prefixes := []string{"/fileupload/", "/fileupload/public/thumbs/", "/media/"}
	for p, want := range map[string]string{
		"/fileupload/a.pdf":               "/fileupload/",
		"/fileupload/":                    "/fileupload/",
		"/fileupload":                     "/fileupload/", // servers answer it with the folder
		"/fileupload/public/thumbs/x.png": "/fileupload/public/thumbs/",
		"/fileupload/public/thumbs":       "/fileupload/public/thumbs/",
		"/fileupload/public/x.png":        "/fileupload/",
		"/FileUpload/a.pdf":               "/fileupload/", // judged, then refused by case-sensitive scopes
		"/MEDIA/x":                        "/media/",
		"/media/x/y/z":                    "/media/",
	} {
		got, ok := PrefixFor(prefixes, p)
		assert.True(t, ok, p)
		assert.Equal(t, want, got, p)
	}
	for _, p := range []string{"/fileuploads/a.pdf", "/fileuploa", "/", "", "/api/1.1/wf/x", "/mediax/y", "/medi"} {
		_, ok := PrefixFor(prefixes, p)
		assert.False(t, ok, p)
	}
	_, ok := PrefixFor(nil, "/fileupload/a")
	assert.False(t, ok)
}

func TestFileDecisionsDoNotAllocate(t *testing.T) {
	prefixes := []string{"/fileupload/", "/fileupload/public/thumbs/", "/media/"}
	scoped := Credential{Kind: CredentialUser, Scope: benchScope()}
	link := Credential{Kind: CredentialLink, LinkPath: "/fileupload/reports/q1.pdf"}
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		PrefixFor(prefixes, "/FileUpload/public/thumbs/x.png")
		DecideFile(scoped, "GET", "/fileupload/users/bob/avatar.png")
		DecideFile(scoped, "GET", "/fileupload/private/key.pem")
		DecideFile(link, "GET", "/fileupload/reports/q1.pdf")
	}))
}

// BenchmarkFileRequest is the model's share of a file request: finding the
// prefix, then deciding with a scoped token or a link.
func BenchmarkFileRequest(b *testing.B) {
	prefixes := []string{"/fileupload/", "/fileupload/public/thumbs/", "/media/"}
	const path = "/fileupload/users/bob/avatar.png"
	creds := []Credential{{Kind: CredentialUser, Scope: benchScope()}, {Kind: CredentialLink, LinkPath: path},
		{Kind: CredentialAdmin, Scope: &Scope{Files: []string{"/media/"}}}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := PrefixFor(prefixes, path); !ok {
			b.Fatal("not protected")
		}
		if d := DecideFile(creds[i%3], "GET", path); d.Status == 0 {
			b.Fatal("no status")
		}
		i++
	}
}
