package model

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidateName(t *testing.T) {
	assert.NoError(t, ValidateName("send-invoice_2"))
	assert.NoError(t, ValidateName(strings.Repeat("a", 100)))
	assert.ErrorContains(t, ValidateName(strings.Repeat("a", 101)), "longer than 100")
	assert.ErrorContains(t, ValidateName(""), "empty")
	assert.ErrorContains(t, ValidateName("send invoice"), `character ' ' at position 5`)
	assert.ErrorContains(t, ValidateName("café"), `character 'é' at position 4`)
	assert.ErrorContains(t, ValidateName("a/b"), `character '/' at position 2`)
}
