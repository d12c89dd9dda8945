package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runWithEnvDB runs the binary with the database named only by
// $FLOWGATE_DB, in dir, with stdin and stdout not terminals.
func runWithEnvDB(t *testing.T, dir, db string, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(flowgateBin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "FLOWGATE_DB="+db, "NO_COLOR=1")
	return runCmd(t, cmd, "")
}

// dirEntries lists the names in dir, to show that nothing was created.
func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestOnlyCreatingCommandsCreateADatabase(t *testing.T) {
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.json")
	require.NoError(t, os.WriteFile(backup, []byte(`{"precious":true}`), 0o600))
	want := "flowgate: database typo.db does not exist (create it with `flowgate add`, `flowgate import` or `flowgate --demo`)\n"
	for _, args := range [][]string{
		{"list"}, {"list", "--json"}, {"--json"}, {"history"}, {"review", "--fail-on", "high"}, {"review", "--json"},
		{"token", "list"}, {"token", "revoke", "tok_x"}, {"calls"}, {"export"}, {"export", "-o", "backup.json"},
		{"show", "x"}, {"set", "x", "--public"}, {"rm", "x"}, {"decide", "x"}, {"check", "x"},
		{"serve", "--listen", "127.0.0.1:0"}, {"files", "add", "/fileupload/"}, {"files", "rm", "/fileupload/"},
		{"files", "list"},
	} {
		for _, r := range []cliResult{
			runCLIIn(t, dir, "typo.db", args...),
			runWithEnvDB(t, dir, "typo.db", args...),
		} {
			assert.Equal(t, 2, r.Code, "%v", args)
			assert.Equal(t, want, r.Stderr, "%v", args)
			assert.Equal(t, []string{"backup.json"}, dirEntries(t, dir), "%v created a file", args)
		}
	}
	assert.Equal(t, `{"precious":true}`, string(fileBytes(t, backup)), "export on a missing database left the file alone")

	// `flowgate` alone, without a terminal: how to start, exit 0, nothing created.
	r := runWithEnvDB(t, dir, "typo.db")
	assert.Equal(t, 0, r.Code, r.Stderr)
	assert.True(t, strings.HasPrefix(r.Stdout, "No flowgate database at typo.db yet. To start:\n"), r.Stdout)
	assert.Contains(t, r.Stdout, "flowgate --demo")
	assert.Empty(t, r.Stderr)
	assert.Equal(t, []string{"backup.json"}, dirEntries(t, dir))

	// The commands that create settings create the database.
	for _, args := range [][]string{{"add", "x"}, {"token", "create", "--admin", "--name", "ci"}, {"--demo"}} {
		db := filepath.Join(t.TempDir(), "new.db")
		mustRun(t, db, args...)
		assert.FileExists(t, db, "%v", args)
	}
}

// fileBytes reads a whole file.
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}
