package model

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDefaultScopeCallsEveryWorkflowAndReadsNoFile(t *testing.T) {
	s := DefaultScope()
	require.NoError(t, s.Validate())
	assert.True(t, s.AllowsWorkflow("send-invoice"))
	assert.True(t, s.AllowsWorkflow(strings.Repeat("x", MaxNameLength)))
	assert.False(t, s.AllowsFile("/fileupload/a.pdf"))
	assert.NotNil(t, s.Files, "an empty list, not null, in JSON")
}

func TestANilScopeCallsEveryWorkflowButReadsNoFile(t *testing.T) {
	var s *Scope
	assert.True(t, s.AllowsWorkflow("send-invoice"))
	assert.False(t, s.AllowsFile("/fileupload/a.pdf"))
}

func TestParseWorkflowPatterns(t *testing.T) {
	for in, want := range map[string][]string{
		"":                         {},
		"   ":                      {},
		"*":                        {"*"},
		"send-invoice":             {"send-invoice"},
		" send-* , reset_password": {"send-*", "reset_password"},
		"A*,b*":                    {"A*", "b*"},
		"*-admin,report-*-daily":   {"*-admin", "report-*-daily"},
	} {
		got, err := ParseWorkflowPatterns(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for in, wantErr := range map[string]string{
		"a,,b":                   `invalid workflow patterns "a,,b": an item is empty`,
		"a,":                     "an item is empty",
		",":                      "an item is empty",
		"send-*,SEND-*":          `"SEND-*" is listed twice`,
		"a b":                    `invalid workflow pattern "a b": character ' ' at position 2 is not allowed`,
		"send/*":                 `character '/' at position 5`,
		"a**":                    `invalid workflow pattern "a**": ** is not a wildcard here`,
		"[ab]":                   `character '['`,
		"a?":                     `character '?'`,
		`a\*`:                    `character '\\'`,
		"café":                   `character 'é' at position 4`,
		"a\x00":                  `character '\x00'`,
		strings.Repeat("a", 101): "101 characters is longer than 100",
	} {
		_, err := ParseWorkflowPatterns(in)
		assert.ErrorContains(t, err, wantErr, in)
	}
	many := make([]string, MaxScopePatterns+1)
	for i := range many {
		many[i] = fmt.Sprintf("w%d", i)
	}
	_, err := ParseWorkflowPatterns(strings.Join(many, ","))
	assert.ErrorContains(t, err, "101 patterns is more than 100")
}

func TestParseFilePatterns(t *testing.T) {
	for in, want := range map[string][]string{
		"":                                  {},
		"/fileupload/":                      {"/fileupload/"},
		" /fileupload/a.pdf , /f/*/report*": {"/fileupload/a.pdf", "/f/*/report*"},
		"/f/A.pdf,/f/a.pdf":                 {"/f/A.pdf", "/f/a.pdf"}, // case-sensitive: two patterns
		"/f/my report.pdf,/f/résumé.pdf":    {"/f/my report.pdf", "/f/résumé.pdf"},
	} {
		got, err := ParseFilePatterns(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for in, wantErr := range map[string]string{
		"/f/,,/g/":                               "an item is empty",
		"/f/,/f/":                                `"/f/" is listed twice`,
		"fileupload/":                            `invalid file pattern "fileupload/": it must be an absolute path starting with /`,
		"/f/**":                                  "** is not a wildcard here (end the pattern with / to cover a folder",
		"/f/**/a":                                "** is not a wildcard here",
		"/f//a":                                  "it has an empty segment (//)",
		"/f/../etc/passwd":                       "it has a . or .. segment",
		"/f/./a":                                 "it has a . or .. segment",
		"/f/..":                                  "it has a . or .. segment",
		"/f/a%20b":                               "it has %: write the decoded path",
		"/f/[ab]":                                `'[' is not a wildcard here (only * is)`,
		"/f/a?":                                  `'?' is not a wildcard here`,
		`/f/..\secret`:                           "it has a backslash",
		"/f/a\x00":                               "it has a control character",
		"/f/a\x7f":                               "it has a control character",
		"/f/\xff":                                "it is not valid UTF-8",
		"/" + strings.Repeat("a", MaxPathLength): "1025 bytes is longer than 1024",
	} {
		_, err := ParseFilePatterns(in)
		assert.ErrorContains(t, err, wantErr, in)
	}
}

func TestScopeValidateChecksStoredLists(t *testing.T) {
	assert.NoError(t, (&Scope{Workflows: []string{"a*"}, Files: []string{"/f/"}}).Validate())
	assert.NoError(t, (&Scope{}).Validate())
	assert.ErrorContains(t, (&Scope{Workflows: []string{"a b"}}).Validate(), `invalid workflow pattern "a b"`)
	assert.ErrorContains(t, (&Scope{Files: []string{"/f/../x"}}).Validate(), `invalid file pattern "/f/../x"`)
	assert.ErrorContains(t, (&Scope{Files: make([]string, MaxScopePatterns+1)}).Validate(), "more than 100")
}

func TestAllowsWorkflow(t *testing.T) {
	s := &Scope{Workflows: []string{"send-*", "Reset_Password", "*-report"}}
	for name, want := range map[string]bool{
		"send-invoice":   true,
		"SEND-INVOICE":   true,
		"send-":          true,
		"send":           false,
		"resend-invoice": false,
		"reset_password": true,
		"reset-password": false,
		"daily-report":   true,
		"daily-reports":  false,
		"":               false,
	} {
		assert.Equal(t, want, s.AllowsWorkflow(name), name)
	}
	assert.False(t, (&Scope{}).AllowsWorkflow("send-invoice"), "an empty list allows nothing")
}

func TestAllowsFile(t *testing.T) {
	s := &Scope{Files: []string{"/fileupload/reports/", "/fileupload/*.pdf", "/fileupload/users/*/avatar.png", "/exact/a b.txt"}}
	for p, want := range map[string]bool{
		// A folder pattern covers the folder and everything below it.
		"/fileupload/reports/":               true,
		"/fileupload/reports/q1.xlsx":        true,
		"/fileupload/reports/2024/q1/x.xlsx": true,
		"/fileupload/reports":                false,
		"/fileupload/reportsX/q1.xlsx":       false,
		"/fileupload/Reports/q1.xlsx":        false, // case-sensitive
		// '*' stays within one segment.
		"/fileupload/a.pdf":                  true,
		"/fileupload/.pdf":                   true,
		"/fileupload/sub/a.pdf":              false,
		"/fileupload/a.PDF":                  false,
		"/fileupload/a.pdf.html":             false,
		"/fileupload/users/bob/avatar.png":   true,
		"/fileupload/users/bob/x/avatar.png": false,
		"/exact/a b.txt":                     true,
		"/exact/a%20b.txt":                   false, // the checker decodes first
		// Paths the checker should never pass on are refused anyway.
		"/fileupload/reports/../secret": false,
		"/fileupload/reports/./q1.xlsx": false,
		"/fileupload/reports//q1.xlsx":  false,
		`/fileupload/reports/..\secret`: false,
		"/fileupload/reports/a\x00":     false,
		"fileupload/reports/q1.xlsx":    false,
		"":                              false,
		"/fileupload/reports/\xff":      false,
	} {
		assert.Equal(t, want, s.AllowsFile(p), "%q", p)
	}
}

func TestAFolderPatternWithAWildcardCoversEachMatchingFolder(t *testing.T) {
	s := &Scope{Files: []string{"/u/*/shared/"}}
	assert.True(t, s.AllowsFile("/u/bob/shared/a.pdf"))
	assert.True(t, s.AllowsFile("/u/ann/shared/x/y.pdf"))
	assert.False(t, s.AllowsFile("/u/bob/private/a.pdf"))
	assert.False(t, s.AllowsFile("/u/bob/x/shared/a.pdf"))
	assert.False(t, s.AllowsFile("/u/bob"))
}

func TestMatchingAndUnmatchedWorkflows(t *testing.T) {
	names := []string{"send-invoice", "send-receipt", "reset-password", "nightly-report"}
	s := &Scope{Workflows: []string{"send-*", "Reset-Password", "delete-*"}}
	assert.Equal(t, 3, s.MatchingWorkflows(names))
	assert.Equal(t, []string{"delete-*"}, s.UnmatchedWorkflowPatterns(names))
	def := DefaultScope()
	assert.Equal(t, 4, def.MatchingWorkflows(names))
	assert.Empty(t, def.UnmatchedWorkflowPatterns(names))
	assert.Equal(t, 0, (&Scope{}).MatchingWorkflows(names))
}

func TestFilePatternsOutsideEveryPrefix(t *testing.T) {
	s := &Scope{Files: []string{"/fileupload/", "/fileupload/a/*.pdf", "/other/x", "/*/x"}}
	assert.Equal(t, []string{"/other/x", "/*/x"}, s.FilePatternsOutside([]string{"/fileupload/"}))
	assert.Equal(t, s.Files, s.FilePatternsOutside(nil))
}

func TestScopeChecksDoNotAllocate(t *testing.T) {
	s := benchScope()
	allocs := testing.AllocsPerRun(100, func() {
		s.AllowsWorkflow("Send-Invoice")
		s.AllowsWorkflow("nothing-matches-this-name")
		s.AllowsFile("/fileupload/users/bob/avatar.png")
		s.AllowsFile("/fileupload/none/of/these")
	})
	assert.Zero(t, allocs)
}

// benchScope is a realistic scope: a handful of patterns of each kind.
func benchScope() *Scope {
	return &Scope{
		Workflows: []string{"reset-password", "report-*", "*-admin", "Send-*"},
		Files:     []string{"/fileupload/reports/", "/fileupload/*.pdf", "/fileupload/users/*/avatar.png"},
	}
}

func BenchmarkAllowsWorkflow(b *testing.B) {
	s := benchScope()
	b.ReportAllocs()
	for b.Loop() {
		if !s.AllowsWorkflow("send-invoice") || s.AllowsWorkflow("delete-everything") {
			b.Fatal("wrong answer")
		}
	}
}

func BenchmarkAllowsFile(b *testing.B) {
	s := benchScope()
	b.ReportAllocs()
	for b.Loop() {
		if !s.AllowsFile("/fileupload/users/bob/avatar.png") || s.AllowsFile("/fileupload/private/key.pem") {
			b.Fatal("wrong answer")
		}
	}
}

// BenchmarkAllowsWorkflowWorstCase bounds what an adversarial stored pattern
// costs against the longest name an attacker can send.
func BenchmarkAllowsWorkflowWorstCase(b *testing.B) {
	s := &Scope{Workflows: []string{"*" + strings.Repeat("a*", 49) + "b"}}
	name := strings.Repeat("a", MaxNameLength)
	b.ReportAllocs()
	for b.Loop() {
		if s.AllowsWorkflow(name) {
			b.Fatal("wrong answer")
		}
	}
}

// BenchmarkAllowsFileWorstCase bounds what a hostile path (the longest one
// matched, one huge segment) costs against a pattern that makes the matcher
// retry at every byte.
func BenchmarkAllowsFileWorstCase(b *testing.B) {
	s := &Scope{Files: []string{"/fileupload/*a*a*a*a*a*a*a*a*a*a*b", "/fileupload/reports/"}}
	path := "/fileupload/" + strings.Repeat("a", MaxPathLength-len("/fileupload/"))
	b.ReportAllocs()
	for b.Loop() {
		if s.AllowsFile(path) {
			b.Fatal("wrong answer")
		}
	}
}
