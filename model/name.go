package model

import (
	"fmt"
	"strings"
)

// MaxNameLength bounds a workflow name; longer names are refused everywhere,
// including in request paths, so lookups never work on unbounded input.
const MaxNameLength = 100

// ValidateName checks a workflow name: 1–100 ASCII letters, digits, '-' or
// '_'. The error names the first offending character and its 1-based
// position so the user can fix it without guessing.
func ValidateName(name string) error {
	if name == "" {
		return fmt.Errorf("invalid workflow name: it is empty (use 1-%d letters, digits, - or _)", MaxNameLength)
	}
	for i := 0; i < len(name); i++ {
		if !IsNameByte(name[i]) {
			pos := len([]rune(name[:i])) + 1
			ch := []rune(name[i:])[0]
			return fmt.Errorf("invalid workflow name %q: character %q at position %d is not allowed (use letters, digits, - or _)", name, ch, pos)
		}
	}
	if len(name) > MaxNameLength {
		return fmt.Errorf("invalid workflow name %q: %d characters is longer than %d", name, len(name), MaxNameLength)
	}
	return nil
}

// IsNameByte reports whether b may appear in a workflow name.
func IsNameByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '_'
}

// NameKey is the case-insensitive identity of a name: "Send-Invoice" and
// "send-invoice" are the same workflow.
func NameKey(name string) string { return strings.ToLower(name) }
