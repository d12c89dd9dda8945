package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemoFillsANewDatabaseOnly(t *testing.T) {
	db := tempDB(t)
	r := runCLI(t, db, "--demo")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Contains(t, r.Stderr, "filled "+db+" with the demo app: 13 workflows, 2 tokens, 12 calls")
	assert.Contains(t, r.Stdout, "NAME", "without a terminal the root command prints the list")
	assert.Contains(t, r.Stdout, "reset-password")

	var list []workflowJSON
	decodeJSON(t, mustRun(t, db, "list", "--json"), &list)
	assert.Len(t, list, 13)
	kinds := map[bool]int{}
	for _, w := range list {
		kinds[w.Public]++
	}
	assert.Positive(t, kinds[true])
	assert.Positive(t, kinds[false])
	assert.Contains(t, mustRun(t, db, "token", "list"), "ci-deploy")
	assert.Contains(t, mustRun(t, db, "history", "sync-crm"), "editor")

	again := runCLI(t, db, "--demo")
	assert.Equal(t, 2, again.Code)
	assert.Contains(t, again.Stderr, "is not a new database (13 workflows, 2 tokens)")

	other := tempDB(t)
	mustRun(t, other, "add", "mine")
	refused := runCLI(t, other, "--demo")
	assert.Equal(t, 2, refused.Code)
	var after []workflowJSON
	decodeJSON(t, mustRun(t, other, "list", "--json"), &after)
	assert.Len(t, after, 1, "nothing added to a database in use")
}

func TestEditNeedsATerminal(t *testing.T) {
	db := tempDB(t)
	r := runCLI(t, db, "edit", "--demo")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "the editor needs a terminal")
	assert.NoFileExists(t, db, "--demo did not run either")
}

func TestRootWithoutTerminalPrintsList(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public", "--auth", "admin")
	out := mustRun(t, db)
	assert.Contains(t, out, "send-invoice")
	assert.Contains(t, out, "admins")
}
