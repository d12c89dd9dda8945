package main

import (
	"os"
	"os/exec"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runCLIAs runs the binary with $FLOWGATE_USER set to user ("" for unset).
func runCLIAs(t *testing.T, user, db string, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(flowgateBin, append([]string{"--db", db}, args...)...)
	cmd.Env = append(os.Environ(), "FLOWGATE_DB=", "NO_COLOR=1", "FLOWGATE_USER="+user)
	return runCmd(t, cmd, "")
}

func TestEveryChangeRecordsWhoMadeItAndTheOSUser(t *testing.T) {
	db := tempDB(t)
	osUser := osActor()
	require.NotEmpty(t, osUser)
	require.Equal(t, 0, runCLIAs(t, "", db, "--by", "alice", "add", "refund", "--public").Code)
	require.Equal(t, 0, runCLIAs(t, "bob", db, "set", "refund", "--auth", "admin").Code)
	require.Equal(t, 0, runCLIAs(t, "bob", db, "--by", "carol", "set", "refund", "--method", "GET").Code)
	require.Equal(t, 0, runCLIAs(t, "", db, "add", "old-hook").Code)
	require.Equal(t, 0, runCLIAs(t, "", db, "rm", "old-hook").Code)

	var trail []changeJSON
	decodeJSON(t, runCLIAs(t, "", db, "history", "--json").Stdout, &trail)
	type row struct{ workflow, field, by, osUser string }
	var got []row
	for _, c := range trail {
		got = append(got, row{c.Workflow, c.Field, c.By, c.OSUser})
	}
	assert.Equal(t, []row{
		{"old-hook", "workflow", osUser, osUser}, // deleted, and still in the history of all workflows
		{"old-hook", "workflow", osUser, osUser},
		{"refund", "method", "carol", osUser}, // --by wins over $FLOWGATE_USER
		{"refund", "auth", "bob", osUser},
		{"refund", "workflow", "alice", osUser},
	}, got)
	assert.Equal(t, "deleted", trail[0].New)

	var raw []map[string]any
	decodeJSON(t, mustRun(t, db, "history", "refund", "--json"), &raw)
	assert.Equal(t, "carol", raw[0]["by"])
	assert.Equal(t, osUser, raw[0]["os_user"])

	text := mustRun(t, db, "history")
	assert.Regexp(t, `(?m)^TIME +SUBJECT +FIELD +CHANGE +SOURCE +BY$`, text)
	assert.Regexp(t, `(?m)refund +method +POST → GET +cli +carol \(os: `+osUser+`\)$`, text)
	assert.Regexp(t, `(?m)old-hook +workflow +.* → deleted +cli +`+osUser+`$`, text)
}
