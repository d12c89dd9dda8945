package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseTimeRoundTripsAndRefusesGarbage(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2026, 11, 29, 3, 4, 5, 123456789, time.UTC),
		time.Date(1999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2024, 2, 29, 0, 0, 0, 1, time.FixedZone("X", 3600)),
	} {
		got, err := parseTime(formatTime(tm))
		require.NoError(t, err)
		assert.True(t, tm.Equal(got), "%v != %v", tm, got)
		want, err := time.Parse(timeFormat, formatTime(tm))
		require.NoError(t, err)
		assert.Equal(t, want, got, "same as the standard parser")
	}
	for _, bad := range []string{"", "2026-11-29", "2026-13-29T03:04:05.000000000Z", "2026-11-29T03:04:05.00000000xZ", "2026-11-29 03:04:05.000000000Z"} {
		_, err := parseTime(bad)
		assert.Error(t, err, bad)
	}
}
