package model

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTokenLifetime(t *testing.T) {
	for in, want := range map[string]time.Duration{"30d": 30 * 24 * time.Hour, "12h": 12 * time.Hour, "90m": 90 * time.Minute} {
		got, err := ParseTokenLifetime(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "d", "soon", "-5d", "0h", "40000d", "1000000h", "1.5d"} {
		_, err := ParseTokenLifetime(in)
		assert.ErrorContains(t, err, "invalid lifetime", in)
	}
}
