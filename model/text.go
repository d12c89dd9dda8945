package model

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// ValidateText checks free text a person attaches to a setting (a workflow
// description): valid UTF-8 without control characters (C0, DEL, C1).
// Listings and `show` print such text in terminals, where an escape
// sequence could rewrite the screen or forge a line. what names the value
// in the error; the error gives the character's code point, never the raw
// character, and its 1-based position so it can be found and removed.
func ValidateText(what, s string) error {
	pos := 0
	for i, r := range s {
		pos++
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return fmt.Errorf("invalid %s: byte %#02x at position %d is not valid UTF-8", what, s[i], pos)
			}
		}
		if unicode.IsControl(r) {
			return fmt.Errorf("invalid %s: control character %U at position %d is not allowed (use printable text on one line)", what, r, pos)
		}
	}
	return nil
}
