package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidateTextRefusesControlCharacters(t *testing.T) {
	for _, ok := range []string{"", "sends the invoice", "Überweisung senden ✓", "tabs\u00a0and nbsp"} {
		assert.NoError(t, ValidateText("description", ok), ok)
	}
	for s, want := range map[string]string{
		"d\x1b[2Jx":  "invalid description: control character U+001B at position 2 is not allowed (use printable text on one line)",
		"\x00":       "invalid description: control character U+0000 at position 1 is not allowed (use printable text on one line)",
		"two\nlines": "invalid description: control character U+000A at position 4 is not allowed (use printable text on one line)",
		"tab\t":      "invalid description: control character U+0009 at position 4 is not allowed (use printable text on one line)",
		"del\x7f":    "invalid description: control character U+007F at position 4 is not allowed (use printable text on one line)",
		"ü\u009b2J":  "invalid description: control character U+009B at position 2 is not allowed (use printable text on one line)",
		"ü\xff":      "invalid description: byte 0xff at position 2 is not valid UTF-8",
	} {
		assert.EqualError(t, ValidateText("description", s), want, "%q", s)
	}
	w := NewWorkflow("send-invoice")
	w.Description = "d\x1b[2Jx"
	assert.EqualError(t, w.Validate(), "workflow send-invoice: invalid description: control character U+001B at position 2 is not allowed (use printable text on one line)")
}
