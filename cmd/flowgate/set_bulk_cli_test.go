package main

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// authsOf reads each named workflow's auth with `show --json`.
func authsOf(t *testing.T, db string, names ...string) []string {
	t.Helper()
	out := make([]string, len(names))
	for i, name := range names {
		var w struct{ Auth string }
		decodeJSON(t, mustRun(t, db, "show", name, "--json"), &w)
		out[i] = w.Auth
	}
	return out
}

// historyLen is how many entries `history --json` lists.
func historyLen(t *testing.T, db string) int {
	t.Helper()
	var list []map[string]any
	decodeJSON(t, mustRun(t, db, "history", "--json"), &list)
	return len(list)
}

func TestSetSelectExposureDryRunWritesNothingThenWritesAllInOneTransaction(t *testing.T) {
	db := tempDB(t)
	for _, name := range []string{"sync-a", "get-orders", "Send-Report"} {
		mustRun(t, db, "add", name, "--public", "--auth", "user")
	}
	mustRun(t, db, "add", "signup", "--public", "--auth", "none")
	mustRun(t, db, "add", "refund", "--public", "--auth", "admin")
	mustRun(t, db, "add", "cron") // User and admin, but scheduled: not selected
	users := []string{"get-orders", "Send-Report", "sync-a"}
	before := historyLen(t, db)

	plan := mustRun(t, db, "set", "--select-exposure", "users", "--auth", "admin", "--dry-run")
	assert.Equal(t, []string{
		"~ get-orders: auth user → admin",
		"~ Send-Report: auth user → admin",
		"~ sync-a: auth user → admin",
	}, strings.Split(plan, "\n")[:3], plan)
	assert.Contains(t, plan, "impact on sync-a: no calls recorded in the last 30 days (the call record is empty): the impact is unknown\n")
	assert.Contains(t, plan, "impact in total: the impact is unknown: no calls on record for 3 workflows (get-orders, Send-Report, sync-a)\n")
	assert.True(t, strings.HasSuffix(plan, "dry run: nothing was written (3 to change, 0 unchanged)\n"), plan)
	assert.Equal(t, before, historyLen(t, db), "a dry run writes nothing")
	assert.Equal(t, []string{"user", "user", "user"}, authsOf(t, db, users...))

	r := runCLI(t, db, "set", "--select-exposure", "users", "--auth", "admin")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Equal(t, "updated get-orders: admins, auth admin, POST\nupdated Send-Report: admins, auth admin, POST\nupdated sync-a: admins, auth admin, POST\n", r.Stdout)
	assert.Contains(t, r.Stderr, "impact on get-orders: no calls recorded")
	assert.Equal(t, []string{"admin", "admin", "admin", "none", "admin", "user"}, authsOf(t, db, append(users, "signup", "refund", "cron")...))

	var hist []struct{ Workflow, Field, Old, New, Source string }
	decodeJSON(t, mustRun(t, db, "history", "--json"), &hist)
	require.Len(t, hist, before+3)
	var changed []string
	for _, h := range hist[:3] {
		changed = append(changed, fmt.Sprintf("%s %s %s→%s %s", h.Workflow, h.Field, h.Old, h.New, h.Source))
	}
	assert.ElementsMatch(t, []string{"get-orders auth user→admin cli", "Send-Report auth user→admin cli", "sync-a auth user→admin cli"}, changed)

	// Nothing is selected any more: an answer, not bad input.
	r = runCLI(t, db, "set", "--select-exposure", "users", "--match", "sync-*", "--auth", "admin")
	assert.Equal(t, 1, r.Code)
	assert.Equal(t, "flowgate: no workflow matches --match \"sync-*\" and --select-exposure users: nothing to change\n", r.Stderr)
}

func TestSetSelectorsCombineAndNamesTakeSeveral(t *testing.T) {
	db := tempDB(t)
	for _, name := range []string{"sync-a", "sync-b", "get-orders"} {
		mustRun(t, db, "add", name, "--public", "--auth", "user")
	}
	mustRun(t, db, "add", "SYNC-open", "--public", "--auth", "none")

	plan := mustRun(t, db, "set", "--match", "SYNC-*", "--select-exposure", "users", "--auth", "admin", "--method", "GET", "--dry-run")
	assert.Equal(t, "~ sync-a: auth user → admin\n~ sync-a: method POST → GET\n~ sync-b: auth user → admin\n~ sync-b: method POST → GET\n",
		plan[:strings.Index(plan, "impact")])

	// Several names; one named twice is planned once; one already as asked
	// is unchanged.
	mustRun(t, db, "set", "sync-b", "--auth", "admin")
	plan = mustRun(t, db, "set", "sync-a", "SYNC-A", "sync-b", "--auth", "admin", "--dry-run")
	assert.True(t, strings.HasPrefix(plan, "~ sync-a: auth user → admin\n= sync-b: unchanged\n"), plan)
	assert.Contains(t, plan, "(1 to change, 1 unchanged)")

	out := mustRun(t, db, "set", "sync-a", "get-orders", "--description", `says "hi"`)
	assert.Equal(t, "updated sync-a: users, auth user, POST\nupdated get-orders: users, auth user, POST\n", out)
	plan = mustRun(t, db, "set", "sync-a", "--description", "", "--dry-run")
	assert.True(t, strings.HasPrefix(plan, `~ sync-a: description "says \"hi\"" → ""`+"\n"), "free text is quoted: %s", plan)
	assert.Contains(t, plan, "impact: no caller can lose access")
}

func TestSetRefusesMixedOrMissingTargetsAndWritesNothing(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "a", "--public")
	mustRun(t, db, "add", "b", "--public")
	before := historyLen(t, db)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"set", "a", "--match", "a*", "--auth", "admin"}, "give workflow names or selectors (--match, --select-exposure), not both"},
		{[]string{"set", "--auth", "admin"}, "expected workflow names or a selector"},
		{[]string{"set", "a", "b", "--rename", "c"}, "--rename takes exactly one workflow name, not 2 names"},
		{[]string{"set", "--match", "a*", "--rename", "c"}, `--rename takes exactly one workflow name, not --match "a*"`},
		{[]string{"set", "--match", "a/b", "--auth", "admin"}, "--match: invalid workflow pattern"},
		{[]string{"set", "--select-exposure", "public", "--auth", "admin"}, `--select-exposure: invalid exposure "public": use open, users, admins or scheduled`},
		{[]string{"set", "a", "missing", "gone", "--auth", "admin"}, `no workflow named "missing", "gone" (see ` + "`flowgate list`); nothing was written"},
		{[]string{"set", "a", "--rename", "B"}, `cannot rename a: a workflow named "B" already exists; nothing was written`},
		{[]string{"set", "--match", "*"}, "nothing to change"},
	} {
		r := runCLI(t, db, c.args...)
		assert.Equal(t, 2, r.Code, "%v: %s", c.args, r.Stderr)
		assert.Contains(t, r.Stderr, c.want, c.args)
	}
	assert.Equal(t, before, historyLen(t, db))
}

func TestSetWritesAllOrNothing(t *testing.T) {
	db := tempDB(t)
	for _, name := range []string{"a", "b", "c"} {
		mustRun(t, db, "add", name, "--public")
	}
	before := historyLen(t, db)
	// A fault in the database when the last workflow is written: the first
	// two, written earlier in the same transaction, must not stay.
	raw, err := sql.Open("sqlite3", db)
	require.NoError(t, err)
	_, err = raw.Exec(`CREATE TRIGGER fail_c BEFORE UPDATE ON workflows WHEN NEW.name = 'c' BEGIN SELECT RAISE(ABORT, 'injected fault'); END`)
	require.NoError(t, err)
	r := runCLI(t, db, "set", "--match", "*", "--auth", "admin")
	assert.Equal(t, 2, r.Code)
	assert.Contains(t, r.Stderr, "injected fault")
	assert.Equal(t, []string{"user", "user", "user"}, authsOf(t, db, "a", "b", "c"))
	assert.Equal(t, before, historyLen(t, db))

	_, err = raw.Exec(`DROP TRIGGER fail_c`)
	require.NoError(t, err)
	require.NoError(t, raw.Close())
	mustRun(t, db, "set", "--match", "*", "--auth", "admin")
	assert.Equal(t, []string{"admin", "admin", "admin"}, authsOf(t, db, "a", "b", "c"))
}

// TestImpactOfRecordedCallsThroughTheRealServer is the done-when of the
// impact preview: calls made over HTTP to `flowgate serve` (admin tokens
// only on sync-a, a user token on get-orders), then review suggests Admin
// only for sync-a alone and the dry run of that change on get-orders names
// the user token's calls it would deny.
func TestImpactOfRecordedCallsThroughTheRealServer(t *testing.T) {
	db := tempDB(t)
	for _, name := range []string{"sync-a", "get-orders", "quiet"} {
		mustRun(t, db, "add", name, "--public", "--auth", "user")
	}
	ops := newToken(t, db, "--admin", "--name", "ops")
	deploy := newToken(t, db, "--admin", "--name", "deploy")
	mobile := newToken(t, db, "--user", "u-1", "--name", "mobile-app")

	srv := startServe(t, db)
	calls := []struct {
		workflow, token string
		n               int
		status          int
	}{
		{"sync-a", ops, 3, 200},
		{"sync-a", deploy, 2, 200},
		{"sync-a", "", 4, 401}, // refused callers break nothing
		{"get-orders", mobile, 4, 200},
		{"get-orders", ops, 1, 200},
	}
	for _, c := range calls {
		for range c.n {
			status, body := srv.post(t, "/api/1.1/wf/"+c.workflow, c.token)
			require.Equal(t, c.status, status, body)
		}
	}
	// The writer flushes within a moment: wait until every call is counted.
	deadline := time.Now().Add(10 * time.Second)
	var total int64
	for {
		list, _ := callCounts(t, db, "--limit", "0")
		total = 0
		for _, c := range list {
			total += c.Count
		}
		if total >= 14 || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.Equal(t, int64(14), total, srv.log())
	assert.Equal(t, 0, srv.stop(t), srv.log())

	var doc struct {
		Findings []map[string]string `json:"findings"`
	}
	decodeJSON(t, mustRun(t, db, "review", "--json"), &doc)
	var tighten []map[string]string
	for _, f := range doc.Findings {
		if f["rule"] == "tighten-from-traffic" {
			tighten = append(tighten, f)
		}
	}
	require.Len(t, tighten, 1, "only sync-a was called by admin tokens alone: %v", doc.Findings)
	assert.Equal(t, "sync-a", tighten[0]["workflow"])
	assert.Equal(t, "admin", tighten[0]["suggest"])
	assert.Equal(t, "info", tighten[0]["severity"])
	assert.Regexp(t, `^only admin tokens called sync-a in the last \d+ minutes?, all the call record holds \(5 calls\): Admin only would break no caller on record$`,
		tighten[0]["message"])
	text := mustRun(t, db, "review")
	assert.Contains(t, text, "tighten-from-traffic")

	plan := mustRun(t, db, "set", "get-orders", "--auth", "admin", "--dry-run")
	assert.Regexp(t, `^~ get-orders: auth user → admin
impact on get-orders: would have denied 4 calls from 1 user token \(mobile-app\) in the last \d+ minutes?, all the call record holds
dry run: nothing was written \(1 to change, 0 unchanged\)
$`, plan)
	assert.Equal(t, []string{"user"}, authsOf(t, db, "get-orders"), "a dry run writes nothing")

	plan = mustRun(t, db, "set", "sync-a", "quiet", "--auth", "admin", "--dry-run")
	assert.Regexp(t, `impact on sync-a: no recorded caller would have been denied in the last \d+ minutes?, all the call record holds\n`, plan)
	assert.Regexp(t, `impact on quiet: no calls recorded in the last \d+ minutes?, all the call record holds: the impact is unknown\n`, plan)
	assert.Contains(t, plan, "impact in total: no recorded caller would have been denied; no calls on record for 1 workflow (quiet): the impact there is unknown\n")

	// Written for real, the impact follows the result on stderr.
	r := runCLI(t, db, "set", "get-orders", "--auth", "admin")
	require.Equal(t, 0, r.Code, r.Stderr)
	assert.Equal(t, "updated get-orders: admins, auth admin, POST\n", r.Stdout)
	assert.Contains(t, r.Stderr, "impact on get-orders: would have denied 4 calls from 1 user token (mobile-app)")
}
