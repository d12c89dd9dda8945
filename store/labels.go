package store

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// validateLabel checks free text that people attach to things (a token or
// link name, a prefix description, the actor of a change): at most max
// bytes of valid UTF-8 without control characters. Such text is printed by
// listings in terminals, where a control character could rewrite the screen
// or forge a line. what names the value in the error ("token name").
func validateLabel(what, s string, max int) error {
	if len(s) > max {
		return fmt.Errorf("invalid %s: %d characters is longer than %d", what, len(s), max)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("invalid %s %q: it is not valid UTF-8", what, s)
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return fmt.Errorf("invalid %s %q: it contains a control character", what, s)
		}
	}
	return nil
}
