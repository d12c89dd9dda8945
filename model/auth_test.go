package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLegacyAuth(t *testing.T) {
	assert.Equal(t, AuthNone, LegacyAuth(true))
	assert.Equal(t, AuthUser, LegacyAuth(false))
}

func TestParseInputs(t *testing.T) {
	m, err := ParseMethod("get")
	assert.NoError(t, err)
	assert.Equal(t, MethodGET, m)
	_, err = ParseMethod("PUT")
	assert.ErrorContains(t, err, `invalid method "PUT"`)
	_, err = ParseAuth("admins")
	assert.ErrorContains(t, err, `invalid auth "admins"`)
	_, err = ParseSeverity("critical")
	assert.ErrorContains(t, err, `invalid severity "critical"`)
}
