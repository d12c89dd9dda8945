package main

import (
	"bufio"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/pgtest"
)

// everyStoreCommand is a command line of each command that opens the
// store, run from the importer's fixtures folder (for import).
var everyStoreCommand = [][]string{
	{}, {"--json"}, {"list"}, {"show", "x"}, {"add", "x"}, {"set", "x", "--public"}, {"set", "--match", "*", "--auth", "admin"},
	{"rm", "x"}, {"history"}, {"review"}, {"review", "waive", "open", "x", "--reason", "r"}, {"decide", "x"},
	{"check", "x"}, {"who-can", "x"}, {"token", "create", "--admin", "--name", "ci"}, {"token", "list"},
	{"token", "revoke", "tok_x"}, {"token", "rotate", "tok_x"}, {"token", "scope", "tok_x", "--files", ""},
	{"files", "list"}, {"files", "add", "/f/"}, {"link", "list"}, {"link", "create", "/f/a"}, {"calls"},
	{"import", "app-export.json"}, {"import", "app-export.json", "--dry-run"}, {"export"}, {"--demo", "list"},
	{"serve", "--listen", "127.0.0.1:0"},
}

// runInTerminal runs the binary with a terminal on stdin and stdout (the
// editor's case) through util-linux's script, skipping without it.
func runInTerminal(t *testing.T, db string) cliResult {
	t.Helper()
	script, err := exec.LookPath("script")
	if err != nil {
		t.Skip("script (util-linux) is needed to give the editor a terminal")
	}
	cmd := exec.Command(script, "-qefc", flowgateBin+" --db '"+db+"'", "/dev/null")
	return runCmd(t, cmd, "")
}

func TestADatabaseWithoutTheSchemaIsRefusedByEveryCommand(t *testing.T) {
	db := pgtest.FreshDatabase(t) // exists, but nobody ran `flowgate migrate`
	want := "flowgate: database " + db + " holds no flowgate schema yet: create it with `flowgate migrate --db URL` (or copy a store into it with `flowgate copy-store`)\n"
	for _, args := range everyStoreCommand {
		r := runCLIIn(t, fixtures, db, args...)
		assert.Equal(t, 2, r.Code, "%v", args)
		assert.Equal(t, want, r.Stderr, "%v", args)
		assert.Empty(t, r.Stdout, "%v", args)
	}
	editor := runInTerminal(t, db)
	assert.Equal(t, 2, editor.Code)
	assert.Contains(t, editor.Stdout, strings.TrimSuffix(want, "\n"), "the editor, in a terminal, says the same")

	mustRun(t, db, "migrate")
	assert.Contains(t, mustRun(t, db), "No workflows yet", "once migrated, the same database works")
}

func TestAPasswordInTheURLIsNeverShown(t *testing.T) {
	const db = "postgres://postgres:s3cret@127.0.0.1:1/x" // nothing listens on port 1
	for _, args := range append(everyStoreCommand, []string{"migrate"}) {
		for _, r := range []cliResult{runCLIIn(t, fixtures, db, args...), runWithEnvDB(t, fixtures, db, args...)} {
			assert.Equal(t, 2, r.Code, "%v", args)
			assert.NotContains(t, r.Stdout+r.Stderr, "s3cret", "%v", args)
			assert.True(t, strings.HasPrefix(r.Stderr, "flowgate: cannot reach PostgreSQL database postgres://postgres:xxxxx@127.0.0.1:1/x: "), "%v: %q", args, r.Stderr)
			assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "%v: one line: %q", args, r.Stderr)
			assert.NotContains(t, r.Stderr, "\t", "%v", args)
		}
	}
	help := runWithEnvDB(t, "", db, "--help")
	assert.Equal(t, 0, help.Code)
	assert.Contains(t, help.Stdout, `(default "postgres://postgres:xxxxx@127.0.0.1:1/x")`)
	assert.Contains(t, help.Stdout, "PostgreSQL URL")
	for _, args := range [][]string{{"__complete", "show", ""}, {"__complete", "token", "revoke", ""}, {"edit"}} {
		r := runWithEnvDB(t, "", db, args...)
		assert.NotContains(t, r.Stdout+r.Stderr, "s3cret", "%v", args)
	}
	r := runCLI(t, "postgres://u:s3cret@127.0.0.1:1/x?password=s3cret&connect_timeout=nope", "list")
	assert.Equal(t, 2, r.Code)
	assert.NotContains(t, r.Stdout+r.Stderr, "s3cret")
	assert.Contains(t, r.Stderr, "connect_timeout")
}

// testClusterPassword is the test cluster's password, from the $PGPASSFILE
// pgtest's cluster writes; the test is skipped without one.
func testClusterPassword(t *testing.T) string {
	t.Helper()
	f, err := os.Open(os.Getenv("PGPASSFILE"))
	if err != nil {
		t.Skipf("no $PGPASSFILE to read the test cluster's password from: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if fields := strings.Split(sc.Text(), ":"); len(fields) == 5 && len(fields[4]) >= 8 {
			return fields[4]
		}
	}
	t.Skip("$PGPASSFILE holds no password of 8 characters or more")
	return ""
}

func TestARealPasswordInTheURLStaysOutOfOutputAndLogs(t *testing.T) {
	u, err := url.Parse(pgtest.FreshDatabase(t))
	require.NoError(t, err)
	password := testClusterPassword(t)
	u.User = url.UserPassword(u.User.Username(), password)
	db := u.String()
	shown := strings.Replace(db, url.UserPassword(u.User.Username(), password).String(), u.User.Username()+":xxxxx", 1)
	require.NotContains(t, shown, password)
	run := func(args ...string) cliResult { // the URL's password alone lets it in
		cmd := exec.Command(flowgateBin, append([]string{"--db", db}, args...)...)
		cmd.Env = append(os.Environ(), "FLOWGATE_DB=", "NO_COLOR=1", "PGPASSFILE=/nonexistent", "PGPASSWORD=")
		return runCmd(t, cmd, "")
	}
	var all strings.Builder
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"list"}, "holds no flowgate schema yet"},
		{[]string{"migrate"}, shown + ": schema version 0 → "},
		{[]string{"migrate"}, ", up to date\n"},
		{[]string{"--demo", "list"}, "filled " + shown + " with the demo app"},
		{[]string{"--demo"}, "--demo: " + shown + " is not a new database (13 workflows, 2 tokens): the demo only fills an empty one; give another database with --db"},
		{[]string{"add", "signup"}, `a workflow named "signup" already exists`},
	} {
		r := run(c.args...)
		all.WriteString(r.Stdout + r.Stderr)
		assert.Contains(t, r.Stdout+r.Stderr, c.want, "%v", c.args)
	}
	cmd := exec.Command(flowgateBin, "--db", db, "serve", "--listen", "127.0.0.1:0", "--gateway-listen", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "PGPASSFILE=/nonexistent", "PGPASSWORD=")
	srv := startServeCmd(t, cmd)
	status, _ := srv.post(t, "/api/1.1/wf/signup", "")
	assert.Equal(t, 200, status)
	status, body := get(t, patientClient, "GET", "http://"+srv.gatewayAddr(t)+"/_flowgate/healthz", nil)
	require.Equal(t, 200, status, body)
	assert.Contains(t, body, `"backend":"postgres"`)
	require.Equal(t, 0, srv.stop(t))
	assert.Contains(t, srv.log(), `"db":"`+shown+`"`)
	all.WriteString(srv.log())
	assert.NotContains(t, all.String(), password)
}

func TestASilentServerIsAnErrorNotAHang(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // accepts, then never answers
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		var held []net.Conn
		for {
			c, err := ln.Accept()
			if err != nil {
				for _, c := range held {
					c.Close()
				}
				return
			}
			held = append(held, c)
		}
	}()
	db := "postgres://postgres@" + ln.Addr().String() + "/x"
	r := runCLI(t, db, "list") // runCmd kills a hang after commandLimit (-1)
	assert.Equal(t, 2, r.Code)
	assert.True(t, strings.HasPrefix(r.Stderr, "flowgate: cannot reach PostgreSQL database "+db+": "), r.Stderr)
	assert.Contains(t, r.Stderr, "timeout")
	assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), r.Stderr)
}

func TestMigrateReportsTheSchemaOnBothBackends(t *testing.T) {
	file, pg := tempDB(t), pgtest.FreshDatabase(t)
	sqliteVersion, pgVersion := strconv.Itoa(migrationCount(t, "sqlite")), strconv.Itoa(migrationCount(t, "postgres"))
	assert.Equal(t, file+": schema version 0 → "+sqliteVersion+"\n", mustRun(t, file, "migrate"))
	assert.Equal(t, file+": schema version "+sqliteVersion+", up to date\n", mustRun(t, file, "migrate"))
	assert.Equal(t, pg+": schema version 0 → "+pgVersion+"\n", mustRun(t, pg, "migrate"))
	assert.Equal(t, pg+": schema version "+pgVersion+", up to date\n", mustRun(t, pg, "migrate"))
	r := runCLI(t, "postgres://postgres@127.0.0.1:1/x", "migrate")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "cannot reach PostgreSQL database postgres://postgres@127.0.0.1:1/x")
}
