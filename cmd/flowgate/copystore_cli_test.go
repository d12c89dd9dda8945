package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/pgtest"
	"flowgate/store"
)

// richStore is a SQLite store with one of everything copy-store carries,
// made through the CLI: the demo app (workflows with parameters, call
// counts), history, tokens (scoped, expiring, rotated, revoked), a
// protected prefix, share links (one revoked) and waivers.
func richStore(t *testing.T) string {
	t.Helper()
	db := tempDB(t)
	mustRun(t, db, "--demo", "list")
	mustRun(t, db, "add", "open-hook", "--public", "--auth", "none")
	mustRun(t, db, "set", "open-hook", "--description", "called by the partner")
	mustRun(t, db, "token", "create", "--admin", "--name", "deploy-bot")
	mustRun(t, db, "token", "create", "--user", "u_1", "--name", "mobile", "--expires", "30d", "--workflows", "send-*")
	mustRun(t, db, "token", "create", "--user", "u_2", "--name", "old")
	ids := idsByName(t, mustRun(t, db, "token", "list", "--json"))
	mustRun(t, db, "token", "rotate", ids["mobile"])
	mustRun(t, db, "token", "revoke", ids["old"])
	mustRun(t, db, "files", "add", "/fileupload/", "--description", "uploads")
	mustRun(t, db, "link", "create", "/fileupload/a.pdf", "--name", "keep")
	mustRun(t, db, "link", "create", "/fileupload/b.pdf", "--name", "gone")
	mustRun(t, db, "link", "revoke", idsByName(t, mustRun(t, db, "link", "list", "--json"))["gone"])
	mustRun(t, db, "review", "waive", "open", "open-hook", "--reason", "the partner's webhook")
	mustRun(t, db, "review", "waive", "admin-token-unscoped", ids["deploy-bot"], "--reason", "CI only", "--expires", "90d")
	return db
}

// idsByName maps the name of each listed token or link to its id.
func idsByName(t *testing.T, listJSON string) map[string]string {
	t.Helper()
	var items []struct{ ID, Name string }
	decodeJSON(t, listJSON, &items)
	out := map[string]string{}
	for _, it := range items {
		out[it.Name] = it.ID
	}
	return out
}

// copyStore runs `flowgate copy-store` with args; --db names a file that
// must never be created.
func copyStore(t *testing.T, args ...string) cliResult {
	t.Helper()
	unused := filepath.Join(t.TempDir(), "unused.db")
	r := runCLI(t, unused, append([]string{"copy-store"}, args...)...)
	assert.NoFileExists(t, unused, "copy-store does not use --db")
	return r
}

// storeDump is the canonical dump of the store at location.
func storeDump(t *testing.T, location string) string {
	t.Helper()
	s, err := store.OpenExisting(location)
	require.NoError(t, err)
	defer s.Close()
	var b bytes.Buffer
	require.NoError(t, s.Dump(context.Background(), &b))
	return b.String()
}

func TestCopyStoreMovesAStoreToAnEmptyPostgresAndBackWithAnIdenticalExport(t *testing.T) {
	file := richStore(t)
	pg := pgtest.FreshDatabase(t) // no schema at all yet
	shownPG := store.Redact(pg)

	r := copyStore(t, "--from", file, "--to", pg)
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Equal(t, "created flowgate's schema (version "+strconv.Itoa(store.PostgresSchemaVersion())+") in "+shownPG+"\n"+
		"workflows 14, changes 33, tokens 5, file_prefixes 1, links 2, calls 12, waivers 2 copied from "+file+" to "+shownPG+
		" (generation 30); dump verified identical\n", r.Stdout)

	back := tempDB(t)
	r = copyStore(t, "--from", pg, "--to", back)
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Contains(t, r.Stdout, "waivers 2 copied from "+shownPG+" to "+back+" (generation 30); dump verified identical\n")
	info, err := os.Stat(back)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "created like `flowgate add` creates it")

	assert.Equal(t, mustRun(t, file, "export"), mustRun(t, back, "export"), "byte-identical export")
	want := storeDump(t, file)
	assert.Equal(t, want, storeDump(t, pg))
	assert.Equal(t, want, storeDump(t, back))
	assert.Contains(t, want, `"mobile" "user" "u_1" "fgu_`, "the dump holds the tokens")

	mustRun(t, pg, "add", "after-the-move", "--public")
	assert.Contains(t, mustRun(t, pg, "list"), "after-the-move")
	assert.Contains(t, mustRun(t, pg, "history", "open-hook"), "called by the partner", "the history came along")
	assert.Contains(t, mustRun(t, pg, "review", "--waived"), "the partner's webhook")
}

func TestCopyStoreRefusesWhatItCannotDoInOneLineAndTouchesNothing(t *testing.T) {
	src := richStore(t)
	dir := t.TempDir()
	target := filepath.Join(dir, "target.db")
	mustRun(t, target, "add", "mine")
	targetExport := mustRun(t, target, "export")
	alias := filepath.Join(dir, "alias.db")
	require.NoError(t, os.Link(src, alias))

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"no source", []string{"--to", target}, "--from is required: give the store to copy, a SQLite file or a postgres:// URL"},
		{"no target", []string{"--from", src}, "--to is required"},
		{"a missing source", []string{"--from", filepath.Join(dir, "typo.db"), "--to", filepath.Join(dir, "new.db")}, "typo.db does not exist: nothing to copy"},
		{"one store twice", []string{"--from", src, "--to", filepath.Join(filepath.Dir(src), ".", filepath.Base(src))}, "a store cannot be copied onto itself"},
		{"one file by two names", []string{"--from", src, "--to", alias, "--replace"}, "are the same store: a store cannot be copied onto itself"},
		{"a folder", []string{"--from", src, "--to", dir}, "--to " + dir + " is a folder"},
		{"a target that holds data", []string{"--from", src, "--to", target}, "target " + target + " is not empty (workflows 1, changes 1); nothing was copied: give --replace to replace everything it holds"},
		{"an unreachable server", []string{"--from", src, "--to", "postgres://flowgate:s3cret@127.0.0.1:1/flowgate"}, "cannot reach PostgreSQL database postgres://flowgate:xxxxx@127.0.0.1:1/flowgate"},
		{"--demo", []string{"--from", src, "--to", filepath.Join(dir, "new.db"), "--demo"}, "--demo does not apply to copy-store"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := copyStore(t, c.args...)
			assert.Equal(t, 2, r.Code)
			assert.Contains(t, r.Stderr, c.want)
			assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %s", r.Stderr)
			assert.NotContains(t, r.Stderr, "s3cret")
			assert.Empty(t, r.Stdout)
		})
	}
	assert.NoFileExists(t, filepath.Join(dir, "new.db"))
	assert.Equal(t, targetExport, mustRun(t, target, "export"), "the refused target is untouched")

	r := copyStore(t, "--from", src, "--to", target, "--replace")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Contains(t, r.Stdout, ", replacing what it held (generation ")
	assert.Equal(t, mustRun(t, src, "export"), mustRun(t, target, "export"))
	assert.Equal(t, storeDump(t, src), storeDump(t, target))
}

func TestCopyStoreReadsASourceItCannotWriteAndWritesNothingBesideIt(t *testing.T) {
	f := newReadOnlyFixture(t)
	nobody := asNobody(t, f.dir)
	f.lockDown(t, 0o444)
	before := fileBytes(t, f.db)
	out := t.TempDir()
	require.NoError(t, os.Chmod(out, 0o777))
	target := filepath.Join(out, "copy.db")

	r := runAs(t, nobody, filepath.Join(out, "unused.db"), "copy-store", "--from", f.db, "--to", target)
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Contains(t, r.Stdout, "dump verified identical")
	assert.Equal(t, before, fileBytes(t, f.db))
	assert.Equal(t, []string{"flowgate.db"}, dirEntries(t, f.dir), "no -wal or -shm beside the source")
	assert.Equal(t, storeDump(t, f.db), storeDump(t, target))
}
