package main

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAddListShowJSON(t *testing.T) {
	db := tempDB(t)
	out := mustRun(t, db, "add", "send-invoice", "--public", "--auth", "admin", "--description", "Emails an invoice")
	assert.Equal(t, "created send-invoice: admins, auth admin, POST\n", out)
	mustRun(t, db, "add", "nightly-cleanup")
	mustRun(t, db, "add", "signup", "--public", "--auth", "none", "--method", "get", "--ignore-privacy-rules")

	info, err := os.Stat(db)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())

	table := mustRun(t, db, "list")
	assert.Equal(t, strings.Join([]string{
		"NAME             EXPOSURE   AUTH   METHOD  PRIVACY",
		"nightly-cleanup  scheduled  —      POST    applied",
		"send-invoice     admins     admin  POST    applied",
		"signup           open       none   GET     ignored",
		"",
	}, "\n"), table)

	var list []map[string]any
	decodeJSON(t, mustRun(t, db, "list", "--json"), &list)
	require.Len(t, list, 3)
	keys := []string{"name", "exposure", "public", "auth", "method", "ignore_privacy_rules", "description", "parameters", "version", "created_at", "updated_at"}
	for _, w := range list {
		for _, k := range keys {
			assert.Contains(t, w, k)
		}
		assert.Len(t, w, len(keys), "no keys beyond the contract")
	}
	assert.Equal(t, "nightly-cleanup", list[0]["name"])
	assert.Equal(t, []any{"scheduled", "admins", "open"}, []any{list[0]["exposure"], list[1]["exposure"], list[2]["exposure"]})
	assert.Equal(t, false, list[0]["public"])
	assert.Equal(t, "user", list[0]["auth"], "a new workflow defaults to User and admin")
	assert.Equal(t, "POST", list[0]["method"])
	assert.Equal(t, []any{}, list[0]["parameters"])

	var one map[string]any
	decodeJSON(t, mustRun(t, db, "show", "SEND-INVOICE", "--json"), &one)
	assert.Equal(t, "send-invoice", one["name"])
	assert.Equal(t, "admin", one["auth"])
	assert.Equal(t, "admins", one["exposure"])
	assert.Equal(t, "Emails an invoice", one["description"])
	assert.Equal(t, float64(1), one["version"])

	human := mustRun(t, db, "show", "nightly-cleanup")
	assert.Contains(t, human, "scheduled-only; kept as user")
}

func TestSetKeepsAuthWhileNotPublicAndRecordsHistory(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "charge", "--public", "--auth", "admin")
	assert.Equal(t, "updated charge: scheduled (auth admin kept, no effect while not public), POST\n",
		mustRun(t, db, "set", "charge", "--public=false"))
	assert.Equal(t, "updated charge: admins, auth admin, POST\n", mustRun(t, db, "set", "charge", "--public=true"))
	assert.Equal(t, "unchanged charge: admins, auth admin, POST\n", mustRun(t, db, "set", "charge", "--auth", "admin"))
	mustRun(t, db, "set", "charge", "--rename", "charge-card", "--method", "GET")

	var hist []map[string]any
	decodeJSON(t, mustRun(t, db, "history", "charge-card", "--json"), &hist)
	var fields []string
	for _, h := range hist {
		fields = append(fields, h["field"].(string)+":"+h["old"].(string)+">"+h["new"].(string)+"@"+h["source"].(string))
	}
	assert.Equal(t, []string{"method:POST>GET@cli", "name:charge>charge-card@cli"}, fields[:2])
	assert.Contains(t, hist[0], "time")
	assert.Contains(t, hist[0], "workflow")

	all := mustRun(t, db, "history")
	assert.Contains(t, all, "public")
	assert.Contains(t, all, "true → false")
}

func TestReviewJSONAndGate(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "signup", "--public", "--auth", "none")
	mustRun(t, db, "add", "export-all", "--public", "--auth", "none", "--ignore-privacy-rules")
	mustRun(t, db, "add", "profile", "--public", "--auth", "user", "--ignore-privacy-rules")
	mustRun(t, db, "add", "cron")

	var doc struct {
		Counts   map[string]int      `json:"counts"`
		Findings []map[string]string `json:"findings"`
	}
	decodeJSON(t, mustRun(t, db, "review", "--json"), &doc)
	assert.Equal(t, map[string]int{"scheduled": 1, "open": 2, "users": 1, "admins": 0}, doc.Counts)
	require.Len(t, doc.Findings, 3)
	assert.Equal(t, "export-all", doc.Findings[0]["workflow"])
	assert.Equal(t, "high", doc.Findings[0]["severity"])
	assert.Equal(t, "medium", doc.Findings[1]["severity"])
	assert.Equal(t, "low", doc.Findings[2]["severity"])
	assert.NotEmpty(t, doc.Findings[2]["message"])

	r := runCLI(t, db, "review", "--fail-on", "high")
	assert.Equal(t, 1, r.Code)
	assert.Equal(t, "flowgate: review gate failed: 1 finding(s) at or above high\n", r.Stderr)
	mustRun(t, db, "set", "export-all", "--auth", "admin")
	assert.Equal(t, 0, runCLI(t, db, "review", "--fail-on", "high").Code)
	assert.Equal(t, 1, runCLI(t, db, "review", "--fail-on", "low").Code)
	assert.Equal(t, 1, runCLI(t, db, "review", "--fail-on", "info").Code, "info is accepted, as help says")
	assert.Contains(t, mustRun(t, db, "review", "--help"), "at or above this severity exists: high, medium, low or info\n")
}

func TestDecide(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public", "--auth", "admin")
	mustRun(t, db, "add", "cron", "--auth", "none")
	cases := []struct {
		args []string
		out  string
		code int
	}{
		{[]string{"send-invoice", "--as", "admin"}, "allow 200", 0},
		{[]string{"send-invoice", "--as", "user"}, "deny 403 insufficient_scope: this workflow requires an admin API token", 1},
		{[]string{"send-invoice"}, "deny 401 missing_token: this workflow requires a bearer token", 1},
		{[]string{"send-invoice", "--as", "admin", "--method", "get"}, "deny 405 method_not_allowed: this workflow only accepts POST", 1},
		{[]string{"cron", "--as", "admin"}, "deny 404 not_found: no public API workflow with this name", 1},
	}
	for _, c := range cases {
		r := runCLI(t, db, append([]string{"decide"}, c.args...)...)
		assert.Equal(t, c.out+"\n", r.Stdout, "decide %v", c.args)
		assert.Equal(t, c.code, r.Code, "decide %v", c.args)
		assert.Empty(t, r.Stderr)
	}
}

func TestBadInputIsOneLineExit2AndWritesNothing(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "charge", "--public", "--auth", "admin")
	before := mustRun(t, db, "list", "--json")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"add", "send invoice"}, `character ' ' at position 5`},
		{[]string{"add", "CHARGE"}, `a workflow named "CHARGE" already exists`},
		{[]string{"add", "x", "--auth", "everyone"}, `--auth: invalid auth "everyone"`},
		{[]string{"set", "charge", "--method", "PUT"}, `--method: invalid method "PUT"`},
		{[]string{"set", "charge", "--public=maybe"}, `invalid argument "maybe"`},
		{[]string{"set", "charge"}, "nothing to change"},
		{[]string{"set", "charge", "--rename", "a/b"}, `character '/' at position 2`},
		{[]string{"set", "missing", "--public"}, `no workflow named "missing"`},
		{[]string{"show", "missing"}, `no workflow named "missing"`},
		{[]string{"rm", "missing"}, `no workflow named "missing"`},
		{[]string{"decide", "missing"}, `no workflow named "missing"`},
		{[]string{"decide", "charge", "--as", "root"}, `--as: invalid credential "root"`},
		{[]string{"review", "--fail-on", "critical"}, `--fail-on: invalid severity "critical": use high, medium, low or info` + "\n"},
		{[]string{"list", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"show"}, "expected one workflow name"},
		{[]string{"add", "über"}, `character 'ü' at position 1`},
		{[]string{"set", "charge", "--rename", "chargé"}, `character 'é' at position 6`},
		{[]string{"token", "create", "--user", "ü", "--name", "app"}, `invalid user id "ü": character 'ü' at position 1 is not allowed`},
		{[]string{"token", "create", "--user", "u-ü", "--name", "app"}, `character 'ü' at position 3 is not allowed`},
		// A description is printed by show and list: no terminal escapes.
		{[]string{"set", "charge", "--description", "d\x1b[2Jx"},
			"flowgate: workflow charge: invalid description: control character U+001B at position 2 is not allowed (use printable text on one line)\n"},
		{[]string{"set", "charge", "--description", "ü\u009b2J"}, "control character U+009B at position 2"},
		{[]string{"set", "charge", "--description", "del\x7f"}, "control character U+007F at position 4"},
		{[]string{"add", "x", "--description", "two\nlines"}, "workflow x: invalid description: control character U+000A at position 4"},
	}
	for _, c := range cases {
		r := runCLI(t, db, c.args...)
		assert.Equal(t, 2, r.Code, "%v", c.args)
		assert.Contains(t, r.Stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line for %v: %q", c.args, r.Stderr)
		assert.True(t, strings.HasPrefix(r.Stderr, "flowgate: "))
	}
	assert.Equal(t, before, mustRun(t, db, "list", "--json"), "nothing was written")
}

func TestDatabaseErrorsNameThePath(t *testing.T) {
	dir := t.TempDir()
	notDB := dir + "/notes.txt"
	require.NoError(t, os.WriteFile(notDB, []byte("hello"), 0o644))
	r := runCLI(t, notDB, "list")
	assert.Equal(t, 2, r.Code)
	assert.Equal(t, "flowgate: "+notDB+" is not a flowgate database (not an SQLite file); it was left untouched\n", r.Stderr)

	missing := dir + "/typo.db"
	for _, args := range [][]string{{"show", "x"}, {"set", "x", "--public"}, {"rm", "x"}, {"decide", "x"}, {"check", "x"}} {
		r = runCLI(t, missing, args...)
		assert.Equal(t, 2, r.Code, "%v", args)
		assert.Equal(t, "flowgate: database "+missing+" does not exist (create it with `flowgate add`, `flowgate import` or `flowgate --demo`)\n", r.Stderr, "%v", args)
		assert.NoFileExists(t, missing, "a command on one workflow never creates a database")
	}

	r = runCLI(t, dir+"/missing-dir/x.db", "list")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "missing-dir/x.db")
}

func TestRmKeepsHistoryAndNoSubcommandLists(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "old-hook")
	assert.Equal(t, "deleted old-hook\n", mustRun(t, db, "rm", "old-hook"))
	assert.Contains(t, mustRun(t, db, "history", "old-hook"), "deleted")
	assert.Contains(t, mustRun(t, db), "No workflows yet")
}
