package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/pgtest"
)

// migratedPostgresURL is a fresh database of its own on the test cluster,
// given flowgate's schema by the real `flowgate migrate` (no other command
// creates it).
func migratedPostgresURL(t *testing.T) string {
	t.Helper()
	url := pgtest.FreshDatabase(t)
	mustRun(t, url, "migrate")
	return url
}

// scriptStep is one command of a script run on both backends: its
// arguments ({name} and {name.id} stand for what an earlier step saved),
// the exit code it must end with, and the name under which to save the
// secret and id it prints (token create/rotate, link create).
type scriptStep struct {
	args []string
	code int
	save string
}

// step is a scriptStep that must exit 0.
func step(args ...string) scriptStep { return scriptStep{args: args} }

// teamScript is a team's day with flowgate, touching every command that
// reads or writes the store: a legacy import, workflow edits (one, bulk,
// dry run, a refusal), tokens through their whole life, protected files
// and share links, review with a waiver, decisions, calls through serve,
// the change trail and the export.
var teamScript = []scriptStep{
	step("import", "app-export.json", "elements"),
	step("list"),
	step("list", "--json"),
	step("add", "report", "--public", "--auth", "user", "--description", "monthly figures"),
	step("show", "report"),
	step("show", "report", "--json"),
	step("set", "send-invoice", "--auth", "admin"),
	step("set", "--match", "refund-*", "--auth", "user", "--dry-run"),
	step("set", "--match", "refund-*", "--auth", "user", "--ignore-privacy-rules=false"),
	{args: []string{"set", "--match", "nothing-*", "--auth", "user"}, code: 1},
	{args: []string{"set", "no-such-workflow", "--public"}, code: 2},
	{args: []string{"add", "report"}, code: 2},
	{args: []string{"token", "create", "--admin", "--name", "ci"}, save: "ci"},
	{args: []string{"token", "create", "--user", "u_1", "--name", "app", "--workflows", "send-*,list-*"}, save: "app"},
	step("token", "list"),
	step("token", "scope", "{app.id}", "--files", "/fileupload/invoices/"),
	{args: []string{"token", "rotate", "{ci.id}", "--overlap", "0"}, save: "ci2"},
	step("check", "send-invoice", "--token", "{ci2}"),
	{args: []string{"check", "send-invoice", "--token", "{ci}"}, code: 1},
	{args: []string{"check", "send-invoice", "--token", "{app}"}, code: 1},
	step("check", "list-invoices", "--token", "{app}"),
	step("who-can", "list-invoices"),
	step("who-can", "list-invoices", "--json"),
	step("files", "add", "/fileupload/", "--description", "uploads"),
	step("files", "list"),
	{args: []string{"link", "create", "/fileupload/invoices/march.pdf", "--name", "march"}, save: "march"},
	step("check", "/fileupload/invoices/march.pdf", "--link", "{march}"),
	step("check", "/fileupload/invoices/march.pdf", "--token", "{app}"),
	step("link", "list"),
	step("link", "revoke", "{march.id}"),
	{args: []string{"check", "/fileupload/invoices/march.pdf", "--link", "{march}"}, code: 1},
	step("token", "revoke", "{app.id}"),
	{args: []string{"check", "list-invoices", "--token", "{app}"}, code: 1},
	step("token", "list", "--json"),
	step("review"),
	step("review", "waive", "open", "stripe-webhook", "--reason", "signed by Stripe"),
	step("review", "--json"),
	step("review", "confirm-migrated", "send-reminder"),
	step("decide", "report", "--as", "user"),
	{args: []string{"decide", "report", "--as", "none"}, code: 1},
	step("calls"),
	step("rm", "report"),
	{args: []string{"show", "report"}, code: 2},
	step("history"),
	step("history", "send-invoice"),
	step("export"),
}

// TestOneScriptGivesTheSameOutputOnBothBackends runs teamScript with the
// real binary against a SQLite file and against a migrated PostgreSQL
// database, then calls workflows through `serve` on each, and compares
// everything printed: the backends may differ only in ids, secrets and
// times.
func TestOneScriptGivesTheSameOutputOnBothBackends(t *testing.T) {
	pg := migratedPostgresURL(t)
	sqlite := tempDB(t)
	transcripts := map[string]string{}
	for _, db := range []string{sqlite, pg} {
		n := newNormalizer(db)
		vars := map[string]string{}
		var out strings.Builder
		for _, s := range teamScript {
			args := make([]string, len(s.args))
			for i, a := range s.args {
				args[i] = expandVars(a, vars)
			}
			r := runCLIIn(t, fixtures, db, args...)
			require.Equal(t, s.code, r.Code, "%s: flowgate %v: stdout %q stderr %q", db, args, r.Stdout, r.Stderr)
			if s.save != "" {
				saveSecret(t, s.save, r.Stdout, vars)
			}
			fmt.Fprintf(&out, "$ flowgate %s\nexit %d\n%s%s", strings.Join(s.args, " "), r.Code, n.clean(r.Stdout), n.clean(r.Stderr))
		}
		out.WriteString(n.clean(callThroughServe(t, db, vars["ci2"])))
		transcripts[db] = out.String()
	}
	assert.Equal(t, transcripts[sqlite], transcripts[pg])
	for _, want := range []string{"behaviour preserved", "tok#2", "lnk#3", "waived", "allow 200", "deny 401", "report"} {
		assert.Contains(t, transcripts[pg], want, "the script did what it is meant to")
	}
}

// callThroughServe makes calls through a real `serve` on db, checks that
// its health names the backend, and returns the call log it recorded.
func callThroughServe(t *testing.T, db, admin string) string {
	t.Helper()
	srv := startServe(t, db, "--gateway-listen", "127.0.0.1:0")
	var out strings.Builder
	for _, c := range []struct{ path, token string }{
		{"/api/1.1/wf/send-invoice", admin}, {"/api/1.1/wf/send-invoice", admin},
		{"/api/1.1/wf/send-invoice", ""}, {"/api/1.1/wf/signup", ""}, {"/api/1.1/wf/no-such", ""},
	} {
		status, _ := srv.post(t, c.path, c.token)
		fmt.Fprintf(&out, "POST %s -> %d\n", c.path, status)
	}
	status, body := get(t, patientClient, "GET", "http://"+srv.gatewayAddr(t)+"/_flowgate/healthz", nil)
	require.Equal(t, 200, status, body)
	var health struct{ Status, Backend string }
	decodeJSON(t, body, &health)
	assert.Equal(t, map[bool]string{true: "postgres", false: "sqlite"}[strings.HasPrefix(db, "postgres://")], health.Backend)
	assert.Equal(t, "ok", health.Status)
	require.Equal(t, 0, srv.stop(t), srv.log())
	out.WriteString(mustRun(t, db, "calls"))
	out.WriteString(mustRun(t, db, "token", "list"))
	return out.String()
}

// expandVars replaces {name} and {name.id} with what saveSecret kept.
func expandVars(arg string, vars map[string]string) string {
	for k, v := range vars {
		arg = strings.ReplaceAll(arg, "{"+k+"}", v)
	}
	return arg
}

// saveSecret keeps the secret (a token, or a share link's fg_link value)
// and the id that a create or rotate printed, under name and name.id.
func saveSecret(t *testing.T, name, stdout string, vars map[string]string) {
	t.Helper()
	for _, line := range strings.Split(stdout, "\n") {
		key, value, _ := strings.Cut(line, ":")
		value = strings.TrimSpace(value)
		switch key {
		case "token":
			vars[name] = value
		case "url":
			_, vars[name], _ = strings.Cut(value, "fg_link=")
		case "id":
			vars[name+".id"] = value
		}
	}
	require.NotEmpty(t, vars[name], "no secret in %q", stdout)
}

// normalizer rewrites a command's output so that two backends' runs
// compare: the database's location, secrets, times, and ids (numbered in
// order of appearance, so a wrong id still shows) vary; nothing else may.
type normalizer struct {
	db  string
	ids map[string]string
}

func newNormalizer(db string) *normalizer { return &normalizer{db: db, ids: map[string]string{}} }

var (
	secretPattern = regexp.MustCompile(`fg[a-z]_[A-Za-z0-9]{36}`)
	prefixPattern = regexp.MustCompile(`fg[a-z]_[A-Za-z0-9]{4}`)
	idPattern     = regexp.MustCompile(`(tok|lnk)_[A-Za-z0-9]{12}`)
	timePattern   = regexp.MustCompile(`\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d{1,9})?)?Z`)
)

func (n *normalizer) clean(s string) string {
	s = strings.ReplaceAll(s, n.db, "DB")
	s = secretPattern.ReplaceAllString(s, "SECRET")
	s = prefixPattern.ReplaceAllString(s, "PREFIX")
	s = timePattern.ReplaceAllString(s, "TIME")
	return idPattern.ReplaceAllStringFunc(s, func(id string) string {
		if _, ok := n.ids[id]; !ok {
			n.ids[id] = fmt.Sprintf("%s#%d", id[:3], len(n.ids)+1)
		}
		return n.ids[id]
	})
}
