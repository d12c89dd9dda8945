package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/store"
)

// commandPaths lists every command of the real binary, found by reading
// the "Available Commands" of each help page from the root down.
func commandPaths(t *testing.T, db string, path []string) [][]string {
	t.Helper()
	help := mustRun(t, db, append(append([]string{}, path...), "--help")...)
	paths := [][]string{path}
	_, section, ok := strings.Cut(help, "\nAvailable Commands:\n")
	if !ok {
		return paths
	}
	section, _, _ = strings.Cut(section, "\n\n")
	for _, line := range strings.Split(section, "\n") {
		name := strings.Fields(line)[0]
		paths = append(paths, commandPaths(t, db, append(append([]string{}, path...), name))...)
	}
	return paths
}

func TestEveryCommandsHelpHasExamplesAndEachDefaultOnce(t *testing.T) {
	db := tempDB(t)
	paths := commandPaths(t, db, nil)
	require.Greater(t, len(paths), 30, "the walk found the commands")
	for _, p := range paths {
		help := mustRun(t, db, append(p, "--help")...)
		assert.Contains(t, help, "\nExamples:\n  flowgate", "flowgate %s --help", strings.Join(p, " "))
		for _, line := range strings.Split(help, "\n") {
			assert.LessOrEqual(t, strings.Count(line, "default"), 1, "flowgate %s --help: %q", strings.Join(p, " "), line)
		}
	}

	set := mustRun(t, db, "set", "--help")
	for _, flag := range []string{"--auth", "--method", "--public", "--private"} {
		line := regexp.MustCompile(`(?m)^\s+` + flag + `\b.*$`).FindString(set)
		require.NotEmpty(t, line, flag)
		assert.NotContains(t, line, "default", "set changes only the flags given: %q", line)
	}
	add := mustRun(t, db, "add", "--help")
	assert.Regexp(t, `(?m)^\s+--auth string .*\(default "user"\)$`, add)
	assert.Regexp(t, `(?m)^\s+--method string .*\(default "POST"\)$`, add)
	assert.Regexp(t, `(?m)^\s+--db string .*\(default "flowgate.db"\)$`, add)
}

func TestUnknownCommandsSuggestTheNearest(t *testing.T) {
	db := tempDB(t)
	for args, want := range map[string]string{
		"lst":        "flowgate: unknown command \"lst\" for `flowgate`: did you mean list or set? (see `flowgate --help`)\n",
		"shwo":       "flowgate: unknown command \"shwo\" for `flowgate`: did you mean show? (see `flowgate --help`)\n",
		"tok":        "flowgate: unknown command \"tok\" for `flowgate`: did you mean token? (see `flowgate --help`)\n",
		"token lst":  "flowgate: unknown command \"lst\" for `flowgate token`: did you mean list? (see `flowgate token --help`)\n",
		"files lis":  "flowgate: unknown command \"lis\" for `flowgate files`: did you mean list? (see `flowgate files --help`)\n",
		"xyzzy":      "flowgate: unknown command \"xyzzy\" for `flowgate` (see `flowgate --help`)\n",
		"list extra": "flowgate: unexpected argument \"extra\" (usage: flowgate list [flags])\n",
	} {
		r := runCLI(t, db, strings.Fields(args)...)
		assert.Equal(t, 2, r.Code, args)
		assert.Equal(t, want, r.Stderr, args)
		assert.Empty(t, r.Stdout, args)
	}
	assert.Contains(t, mustRun(t, db, "token"), "Available Commands:", "a group alone prints its help")
	assert.NoFileExists(t, db)
}

func TestShellCompletionCompletesNamesIdsAndFlagValues(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.db")
	assert.Equal(t, ":4\n", mustRun(t, missing, "__complete", "show", ""), "no database: nothing, and nothing created")
	assert.NoFileExists(t, missing)

	db := filepath.Join(dir, "flowgate.db")
	mustRun(t, db, "--demo", "list")
	complete := func(args ...string) []string {
		out := mustRun(t, db, append([]string{"__complete"}, args...)...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		require.Equal(t, ":4", lines[len(lines)-1], "no file names: %s", out)
		return lines[:len(lines)-1]
	}
	assert.Equal(t, []string{"send-invoice", "signup", "stripe-webhook", "sync-crm"}, complete("show", "s"))
	assert.Equal(t, []string{"get-invoice"}, complete("curl", "GET"))
	assert.Empty(t, complete("show", "signup", ""), "show takes one name")
	assert.NotContains(t, complete("set", "signup", "s"), "signup", "set takes several names, each once")
	assert.Equal(t, []string{"none", "user", "admin"}, complete("set", "x", "--auth", ""))
	assert.Equal(t, []string{"POST", "GET"}, complete("add", "x", "--method", ""))
	assert.Equal(t, []string{"none", "user", "admin", "malformed", "invalid"}, complete("decide", "x", "--as", ""))
	assert.Equal(t, []string{"flowgate", "meta"}, complete("export", "--format", ""))
	assert.Equal(t, []string{"get-invoice"}, complete("calls", "--workflow", "get"))

	ids := complete("token", "revoke", "")
	require.Len(t, ids, 2)
	for _, id := range ids {
		assert.Regexp(t, `^tok_\w{12}\t(ci-deploy \(admin\)|mobile-app \(user\))$`, id)
	}
	id, _, _ := strings.Cut(ids[0], "\t")
	mustRun(t, db, "token", "revoke", id)
	assert.Len(t, complete("token", "rotate", ""), 1, "a revoked token is not offered")

	for _, shell := range []string{"bash", "zsh", "fish"} {
		assert.Contains(t, mustRun(t, db, "completion", shell), "flowgate", shell)
	}
}

func TestDemoWorksWhereverItIsTyped(t *testing.T) {
	for _, args := range [][]string{
		{"--demo"}, {"--demo", "list"}, {"list", "--demo"}, {"show", "signup", "--demo"}, {"review", "--demo"},
	} {
		db := tempDB(t)
		r := runCLI(t, db, args...)
		assert.Equal(t, 0, r.Code, "%v: %s", args, r.Stderr)
		assert.Equal(t, 1, strings.Count(r.Stderr, "filled "+db+" with the demo app"), "%v: %s", args, r.Stderr)
		assert.Contains(t, r.Stdout, "signup", "%v", args)
		again := runCLI(t, db, args...)
		assert.Equal(t, 2, again.Code, "%v twice", args)
		assert.Contains(t, again.Stderr, "is not a new database", "%v twice", args)
	}
	// edit --demo without a terminal: TestEditNeedsATerminal.
}

func TestAnEmptyHistorySaysSo(t *testing.T) {
	db := tempDB(t)
	s, err := store.Open(db)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	assert.Equal(t, "No changes recorded yet.\n", mustRun(t, db, "history"))
}

func TestOneWorkflowIsCountedInTheSingular(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "old-hook", "--public", "--auth", "none")
	assert.Equal(t, "1 workflow · 1 open · 0 users · 0 admins · 0 scheduled\n", strings.SplitAfter(mustRun(t, db, "review"), "\n")[0])
}

func TestShowSaysWhatIsEmptyWithoutTrailingSpaces(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "old-hook")
	show := mustRun(t, db, "show", "old-hook")
	assert.Regexp(t, `(?m)^Description:\s+—$`, show)
	assert.Regexp(t, `(?m)^Parameters:\s+none$`, show)
	assert.NotRegexp(t, `(?m) $`, show, "no trailing spaces")
}

func TestPrivateUnpublishesAndExcludesPublic(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "old-hook", "--public", "--auth", "none")
	assert.Equal(t, "updated old-hook: scheduled (auth none kept, no effect while not public), POST\n",
		mustRun(t, db, "set", "old-hook", "--private"))
	assert.Equal(t, "created new-hook: scheduled (auth user kept, no effect while not public), POST\n",
		mustRun(t, db, "add", "new-hook", "--private"))
	r := runCLI(t, db, "set", "old-hook", "--private", "--public")
	assert.Equal(t, 2, r.Code)
	assert.Equal(t, "flowgate: --public and --private exclude each other\n", r.Stderr)
}

func TestActiveTokensCannotShareAName(t *testing.T) {
	db := tempDB(t)
	out := mustRun(t, db, "token", "create", "--admin", "--name", "deploy")
	id := regexp.MustCompile(`(?m)^id:\s+(tok_\w+)$`).FindStringSubmatch(out)[1]
	r := runCLI(t, db, "token", "create", "--user", "u_1", "--name", "deploy")
	assert.Equal(t, 2, r.Code)
	assert.Equal(t, "flowgate: an active token named \"deploy\" already exists ("+id+"): choose another name, or revoke it first\n", r.Stderr)
	assert.Empty(t, r.Stdout, "no secret printed")
	assert.Len(t, listTokens(t, db), 1)

	assert.Equal(t, "revoked "+id+"\n", mustRun(t, db, "token", "revoke", id))
	assert.Regexp(t, `^already revoked: token `+id+` was revoked at \S+; nothing changed\n$`, mustRun(t, db, "token", "revoke", id))
	mustRun(t, db, "token", "create", "--user", "u_1", "--name", "deploy")
	assert.Len(t, listTokens(t, db), 2, "a revoked token frees its name")
}

func TestBadDatabaseAndOutputPathsAreNamedPlainly(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "flowgate.db")
	mustRun(t, db, "add", "old-hook")
	folder := "flowgate: database " + dir + " is a folder: give the database file, such as " + db + "\n"
	for args, want := range map[string]string{
		"--db|":                                "flowgate: --db is empty: give the database file, such as flowgate.db, or a postgres:// URL\n",
		"--db||add|x":                          "flowgate: --db is empty: give the database file, such as flowgate.db, or a postgres:// URL\n",
		"--db|" + dir:                          folder,
		"--db|" + dir + "|list":                folder,
		"--db|" + dir + "|add|x":               folder,
		"--db|" + db + "|export|-o|a/b/x.json": "flowgate: cannot write a/b/x.json: its folder does not exist\n",
		"--db|" + db + "|export|-o|" + dir:     "flowgate: cannot write " + dir + ": it is a folder: give a file name\n",
	} {
		cmd := exec.Command(flowgateBin, strings.Split(args, "|")...)
		cmd.Dir = dir
		r := runCmd(t, cmd, "")
		assert.Equal(t, 2, r.Code, args)
		assert.Equal(t, want, r.Stderr, args)
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "only the database: no temporary file or stray database left")
}
