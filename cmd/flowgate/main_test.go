package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"flowgate/store"
)

// flowgateBin is the real binary, built once for every CLI test in this
// package, so the tests exercise exactly what users run.
var flowgateBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "flowgate-bin-")
	if err != nil {
		panic(err)
	}
	flowgateBin = filepath.Join(dir, "flowgate")
	build := exec.Command("go", "build", "-o", flowgateBin, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		panic("building flowgate: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cliResult is what one run of the binary printed and how it exited.
type cliResult struct {
	Stdout, Stderr string
	Code           int
}

// runCLI runs the binary against the database at db with args.
func runCLI(t *testing.T, db string, args ...string) cliResult {
	t.Helper()
	return runCLIIn(t, "", db, args...)
}

// runCLIIn is runCLI from the working directory dir ("" for the test's own),
// for commands whose arguments are relative paths.
func runCLIIn(t *testing.T, dir, db string, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(flowgateBin, append([]string{"--db", db}, args...)...)
	cmd.Dir = dir
	return runCmd(t, cmd, "")
}

// commandLimit ends a command that never exits (a `serve` that should have
// refused to start), so that a regression fails instead of hanging.
const commandLimit = 2 * time.Minute

// runCmd runs a prepared command with stdin and returns what it printed
// and its exit code (-1 if it had to be killed). Unless the caller set
// cmd.Env, $FLOWGATE_DB is cleared, so only --db names the database.
func runCmd(t *testing.T, cmd *exec.Cmd, stdin string) cliResult {
	t.Helper()
	if cmd.Env == nil {
		cmd.Env = append(os.Environ(), "FLOWGATE_DB=", "NO_COLOR=1")
	}
	cmd.Stdin = strings.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Start())
	limit := time.AfterFunc(commandLimit, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	limit.Stop()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return cliResult{stdout.String(), stderr.String(), exit.ExitCode()}
	}
	require.NoError(t, err)
	return cliResult{stdout.String(), stderr.String(), 0}
}

// mustRun runs the binary and fails the test unless it exits 0.
func mustRun(t *testing.T, db string, args ...string) string {
	t.Helper()
	r := runCLI(t, db, args...)
	require.Equal(t, 0, r.Code, "flowgate %v: stderr %q", args, r.Stderr)
	return r.Stdout
}

// tempDB names a database file in a fresh temporary folder.
func tempDB(t *testing.T) string {
	return filepath.Join(t.TempDir(), "flowgate.db")
}

// emptyDB is tempDB with an empty database created in it, for tests whose
// first command (such as files add) must find an existing database.
func emptyDB(t *testing.T) string {
	t.Helper()
	db := tempDB(t)
	s, err := store.Open(db)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	return db
}

// decodeJSON parses a command's JSON output into v.
func decodeJSON(t *testing.T, out string, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal([]byte(out), v), "output: %s", out)
}
