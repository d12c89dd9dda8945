package store

import (
	"fmt"

	"flowgate/model"
)

// validateLabel checks free text that people attach to things (a token or
// link name, a prefix description, the actor of a change): at most max
// bytes, then model.ValidateText's rule (valid UTF-8 without control
// characters), because listings print such text in terminals, where a
// control character could rewrite the screen or forge a line. what names
// the value in the error ("token name").
func validateLabel(what, s string, max int) error {
	if len(s) > max {
		return fmt.Errorf("invalid %s: %d characters is longer than %d", what, len(s), max)
	}
	return model.ValidateText(what, s)
}
