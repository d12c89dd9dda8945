package checker

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The access line's duration_ms is written with integers; it must read
// exactly as the float formatting it replaced.
func TestDurationMillisReadAsTheFloatFormattingDid(t *testing.T) {
	var got, want []byte
	check := func(us int64) {
		got = appendMillis(got[:0], us)
		want = strconv.AppendFloat(want[:0], float64(us)/1000, 'f', -1, 64)
		if string(got) != string(want) {
			t.Fatalf("%d µs: got %s, want %s", us, got, want)
		}
	}
	for us := int64(0); us < 200_000; us++ {
		check(us)
	}
	for us := int64(1); us < 1<<50; us = us*3 + 7 {
		check(us)
	}
	assert.Equal(t, "0", string(appendMillis(nil, -5)), "a clock stepping back logs 0, not a negative time")
}
