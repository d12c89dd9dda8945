package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOneLineJoinsAnErrorsLinesAndDropsRepeats(t *testing.T) {
	pgx := "cannot reach PostgreSQL database postgres://u@h:1/x: failed to connect to `user=u database=x`:\n" +
		"\t127.0.0.1:1 (h): dial error: connection refused\n" +
		"\t127.0.0.1:1 (h): dial error: connection refused"
	assert.Equal(t, "cannot reach PostgreSQL database postgres://u@h:1/x: failed to connect to `user=u database=x`: "+
		"127.0.0.1:1 (h): dial error: connection refused", oneLine(pgx))
	assert.Equal(t, "a b", oneLine("a\n\tb\n"), "different lines are all kept")
	assert.Equal(t, "workflow x: not found", oneLine("workflow x: not found"))
}
