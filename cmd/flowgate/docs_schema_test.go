package main

import (
	"os"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/store"
)

// TestOperationsDocShowsTheCurrentPostgresSchemaVersion keeps the outputs
// docs/operations.md quotes from `flowgate migrate` and `flowgate
// copy-store` in step with the schema this binary creates: an operator
// following the fleet section compares them with what they see.
func TestOperationsDocShowsTheCurrentPostgresSchemaVersion(t *testing.T) {
	doc, err := os.ReadFile("../../docs/operations.md")
	require.NoError(t, err)
	quoted := regexp.MustCompile(`schema version 0 → (\d+)|created flowgate's schema \(version (\d+)\)`).FindAllSubmatch(doc, -1)
	require.NotEmpty(t, quoted, "docs/operations.md no longer quotes a new schema's version")
	for _, m := range quoted {
		n := string(m[1]) + string(m[2])
		v, err := strconv.Atoi(n)
		require.NoError(t, err)
		assert.Equal(t, store.PostgresSchemaVersion(), v, "docs/operations.md quotes %q", m[0])
	}
}
