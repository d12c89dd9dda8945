package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/store"
)

// nobodyUID is the unprivileged user the read-only tests run the binary as:
// root, which the tests run as, ignores file modes.
const nobodyUID = 65534

// asNobody returns the credential to run the binary as nobody, making the
// binary and dir (with its parents) reachable by that user; it skips the
// test when not root, since only root can switch users.
func asNobody(t *testing.T, dir string) *syscall.Credential {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root to run the binary as nobody (file modes are what is tested)")
	}
	require.NoError(t, os.Chmod(filepath.Dir(flowgateBin), 0o755))
	for d := dir; d != "/" && d != os.TempDir(); d = filepath.Dir(d) {
		info, err := os.Stat(d)
		require.NoError(t, err)
		require.NoError(t, os.Chmod(d, info.Mode().Perm()|0o005))
	}
	return &syscall.Credential{Uid: nobodyUID, Gid: nobodyUID}
}

// runAs runs the binary on db as the given user.
func runAs(t *testing.T, cred *syscall.Credential, db string, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(flowgateBin, append([]string{"--db", db}, args...)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	return runCmd(t, cmd, "")
}

// readOnlyFixture is a database with a public and an admin-only workflow
// and an admin token, made by root in a fresh folder.
type readOnlyFixture struct {
	dir, db, secret, tokenID string
}

func newReadOnlyFixture(t *testing.T) readOnlyFixture {
	t.Helper()
	f := readOnlyFixture{dir: t.TempDir()}
	f.db = filepath.Join(f.dir, "flowgate.db")
	mustRun(t, f.db, "add", "pub", "--public", "--auth", "none")
	mustRun(t, f.db, "add", "adm", "--public", "--auth", "admin")
	f.secret = newToken(t, f.db, "--admin", "--name", "ci")
	var toks []struct{ ID string }
	decodeJSON(t, mustRun(t, f.db, "token", "list", "--json"), &toks)
	f.tokenID = toks[0].ID
	return f
}

// lockDown gives the database file mode and makes its folder read-only
// (0555) for the rest of the test.
func (f readOnlyFixture) lockDown(t *testing.T, mode os.FileMode) {
	t.Helper()
	require.NoError(t, os.Chmod(f.db, mode))
	require.NoError(t, os.Chmod(f.dir, 0o555))
	t.Cleanup(func() { os.Chmod(f.dir, 0o755) })
}

// readingCommands are the commands that must work on a read-only database.
var readingCommands = [][]string{
	{"list"}, {"show", "pub"}, {"history"}, {"review"}, {"export"}, {"export", "--format", "meta"},
	{"token", "list"}, {"calls"}, {"decide", "pub"}, {"check", "pub"},
}

// writingCommands change settings; on a read-only database they must fail
// with the reason and write nothing.
func (f readOnlyFixture) writingCommands() [][]string {
	return [][]string{
		{"set", "pub", "--auth", "admin"}, {"rm", "pub"}, {"token", "revoke", f.tokenID}, {"add", "new"},
		{"token", "create", "--admin", "--name", "x"},
	}
}

// assertReadOnlyBehaviour runs every reading command (they work) and
// every writing command (one line with the reason, nothing written) with run.
func (f readOnlyFixture) assertReadOnlyBehaviour(t *testing.T, run func(args ...string) cliResult, reason string) {
	t.Helper()
	for _, args := range readingCommands {
		r := run(args...)
		assert.Equal(t, 0, r.Code, "%v: %s", args, r.Stderr)
	}
	assert.Contains(t, run("list").Stdout, "adm")
	want := "flowgate: database " + f.db + " is read-only: " + reason + "; nothing was written\n"
	for _, args := range f.writingCommands() {
		r := run(args...)
		assert.Equal(t, 2, r.Code, "%v", args)
		assert.Equal(t, want, r.Stderr, "%v", args)
	}
	assert.Contains(t, run("show", "pub").Stdout, "none", "nothing was written")
}

func TestReadOnlyFileOfAnotherUserIsReadAndNeverWritten(t *testing.T) {
	f := newReadOnlyFixture(t)
	nobody := asNobody(t, f.dir)
	f.lockDown(t, 0o444)
	before := fileBytes(t, f.db)

	f.assertReadOnlyBehaviour(t, func(args ...string) cliResult { return runAs(t, nobody, f.db, args...) },
		"the file is not writable by this user")
	assert.Equal(t, []string{"flowgate.db"}, dirEntries(t, f.dir), "no -wal or -shm beside it")
	assert.Equal(t, before, fileBytes(t, f.db))
}

func TestDatabaseInAReadOnlyDirectoryIsReadAndNeverWritten(t *testing.T) {
	f := newReadOnlyFixture(t)
	nobody := asNobody(t, f.dir)
	require.NoError(t, os.Chown(f.db, nobodyUID, nobodyUID))
	f.lockDown(t, 0o600)

	f.assertReadOnlyBehaviour(t, func(args ...string) cliResult { return runAs(t, nobody, f.db, args...) },
		"SQLite must create "+f.db+"-wal and "+f.db+"-shm beside it and the directory is not writable")
	assert.Equal(t, []string{"flowgate.db"}, dirEntries(t, f.dir))
}

// onReadOnlyMount runs the binary in a private mount namespace where mnt is
// a tmpfs holding copies of files, remounted read-only before flowgate runs.
func onReadOnlyMount(t *testing.T, mnt string, files []string, args ...string) cliResult {
	t.Helper()
	script := `mnt=$1; shift; mount -t tmpfs tmpfs "$mnt" || exit 97
while [ "$1" != -- ]; do cp -p "$1" "$mnt"/ || exit 97; shift; done; shift
mount -o remount,ro "$mnt" || exit 97
exec "$@"`
	shArgs := append([]string{"-m", "sh", "-c", script, "sh", mnt}, files...)
	shArgs = append(append(shArgs, "--", flowgateBin, "--db", filepath.Join(mnt, "flowgate.db")), args...)
	r := runCmd(t, exec.Command("unshare", shArgs...), "")
	if r.Code == 97 {
		t.Skipf("cannot mount a read-only tmpfs here (needs root and unshare -m): %s", r.Stderr)
	}
	return r
}

func requireUnshare(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for unshare -m and mount")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skip("unshare is not installed")
	}
}

func TestDatabaseOnAReadOnlyFileSystemIsReadAndNeverWritten(t *testing.T) {
	requireUnshare(t)
	f := newReadOnlyFixture(t)
	mnt := t.TempDir()
	f.db = filepath.Join(mnt, "flowgate.db") // as the commands see it
	src := filepath.Join(f.dir, "flowgate.db")
	f.assertReadOnlyBehaviour(t, func(args ...string) cliResult { return onReadOnlyMount(t, mnt, []string{src}, args...) },
		"it is on a read-only file system")
}

func TestLeftoverWALOnAReadOnlyFileSystemIsReadOrRefused(t *testing.T) {
	requireUnshare(t)
	f := newReadOnlyFixture(t)
	// A copy taken while a writer had the newest change (a revocation) only
	// in its WAL: flowgate.db, flowgate.db-wal and flowgate.db-shm.
	s, err := store.Open(f.db)
	require.NoError(t, err)
	require.NoError(t, s.RevokeToken(context.Background(), f.tokenID))
	snap := t.TempDir()
	for _, name := range []string{"flowgate.db", "flowgate.db-wal", "flowgate.db-shm"} {
		data := fileBytes(t, filepath.Join(f.dir, name))
		require.NoError(t, os.WriteFile(filepath.Join(snap, name), data, 0o600))
	}
	require.NoError(t, s.Close())
	info, err := os.Stat(filepath.Join(snap, "flowgate.db-wal"))
	require.NoError(t, err)
	require.Positive(t, info.Size(), "the revocation is in the WAL")
	mnt := t.TempDir()
	db := filepath.Join(mnt, "flowgate.db")

	// With its WAL index beside it, SQLite reads the WAL: the revocation holds.
	files := []string{snap + "/flowgate.db", snap + "/flowgate.db-wal", snap + "/flowgate.db-shm"}
	var toks []struct {
		RevokedAt *string `json:"revoked_at"`
	}
	r := onReadOnlyMount(t, mnt, files, "token", "list", "--json")
	require.Equal(t, 0, r.Code, r.Stderr)
	decodeJSON(t, r.Stdout, &toks)
	require.Len(t, toks, 1)
	assert.NotNil(t, toks[0].RevokedAt, "the revocation in the WAL is seen")

	// Without it, the WAL cannot be read on a read-only file system: refused,
	// rather than settings that miss the revocation.
	r = onReadOnlyMount(t, mnt, files[:2], "token", "list")
	assert.Equal(t, 2, r.Code)
	assert.True(t, strings.HasPrefix(r.Stderr, "flowgate: database "+db+" is read-only and "+db+"-wal holds changes not yet merged into it"), r.Stderr)
	assert.Contains(t, r.Stderr, "refusing settings that would miss them")
	assert.Equal(t, 1, strings.Count(r.Stderr, "\n"))
}

func TestServeWorksOnAReadOnlyDatabaseWithoutACallLog(t *testing.T) {
	f := newReadOnlyFixture(t)
	nobody := asNobody(t, f.dir)
	f.lockDown(t, 0o444)

	cmd := exec.Command(flowgateBin, "--db", f.db, "serve", "--listen", "127.0.0.1:0")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: nobody}
	srv := startServeCmd(t, cmd)
	status, body := srv.post(t, "/api/1.1/wf/pub", "")
	assert.Equal(t, 200, status, body)
	status, _ = srv.post(t, "/api/1.1/wf/adm", f.secret)
	assert.Equal(t, 200, status)
	status, _ = srv.post(t, "/api/1.1/wf/adm", "")
	assert.Equal(t, 401, status)
	assert.Equal(t, 0, srv.stop(t), srv.log())
	logs := srv.log()
	assert.Equal(t, 1, strings.Count(logs, `"msg":"database is read-only: call log disabled"`), logs)
	assert.NotContains(t, logs, "call log write failed")
	assert.NotContains(t, logs, `"level":"ERROR"`)
	assert.Equal(t, []string{"flowgate.db"}, dirEntries(t, f.dir))
	var calls []any
	decodeJSON(t, mustRun(t, f.db, "calls", "--json"), &calls)
	assert.Empty(t, calls)
}
