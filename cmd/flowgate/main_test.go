package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
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
	cmd.Env = append(os.Environ(), "FLOWGATE_DB=", "NO_COLOR=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return cliResult{stdout.String(), stderr.String(), code}
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

// decodeJSON parses a command's JSON output into v.
func decodeJSON(t *testing.T, out string, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal([]byte(out), v), "output: %s", out)
}
