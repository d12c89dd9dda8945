package model

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidateLinkPathAcceptsOneCleanFileOnly(t *testing.T) {
	for _, p := range []string{"/fileupload/a.pdf", "/fileupload/2024/report final.pdf", "/f/é.txt"} {
		assert.NoError(t, ValidateLinkPath(p), p)
	}
	for _, c := range []struct{ path, want string }{
		{"", "absolute path"},
		{"fileupload/a.pdf", "absolute path"},
		{"/fileupload//a.pdf", "empty segment"},
		{"/fileupload/../etc/passwd", ". or .. segment"},
		{"/fileupload/./a.pdf", ". or .. segment"},
		{"/fileupload/a%2fb", "has %"},
		{"/fileupload/a\\b", "backslash"},
		{"/fileupload/a\x00b", "control character"},
		{"/fileupload/*.pdf", "* is not allowed"},
		{"/fileupload/a?.pdf", "not a wildcard"},
		{"/fileupload/", "not a folder"},
		{"/" + strings.Repeat("a", MaxPathLength), "longer than"},
	} {
		err := ValidateLinkPath(c.path)
		if assert.Error(t, err, c.path) {
			assert.Contains(t, err.Error(), c.want, c.path)
			assert.Contains(t, err.Error(), "link path", c.path)
		}
	}
}
