package main

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/store"
)

// callCounts runs `calls --json` with args and sums the counts by key
// across minutes (a test may cross a minute boundary).
func callCounts(t *testing.T, db string, args ...string) ([]callJSON, map[string]int64) {
	t.Helper()
	var list []callJSON
	decodeJSON(t, mustRun(t, db, append([]string{"calls", "--json"}, args...)...), &list)
	sums := map[string]int64{}
	for _, c := range list {
		sums[fmt.Sprintf("%s %s %s %d %s", c.Workflow, c.TokenName, c.Via, c.Status, c.Code)] += c.Count
	}
	return list, sums
}

// seedCalls records counts straight into the database, as an earlier serve
// would have.
func seedCalls(t *testing.T, db string, calls ...store.Call) {
	t.Helper()
	s, err := store.OpenExisting(db)
	require.NoError(t, err)
	defer s.Close()
	require.NoError(t, s.RecordCalls(context.Background(), calls))
}

func generation(t *testing.T, db string) int64 {
	t.Helper()
	s, err := store.OpenExisting(db)
	require.NoError(t, err)
	defer s.Close()
	gen, err := s.Generation(context.Background())
	require.NoError(t, err)
	return gen
}

func TestServeCountsCallsPerMinuteAndPrunesOldMinutes(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "send-invoice", "--public", "--auth", "user")
	user := newToken(t, db, "--user", "u-7", "--name", "app")
	newToken(t, db, "--admin", "--name", "idle")
	var toks []struct{ ID, Name string }
	decodeJSON(t, mustRun(t, db, "token", "list", "--json"), &toks)
	userID, idleID := toks[0].ID, toks[1].ID
	// An old minute (past the retention) of the idle token, and one two
	// hours ago (within it).
	old := time.Now().Add(-40 * 24 * time.Hour).UTC().Truncate(time.Second)
	recent := time.Now().Add(-2 * time.Hour).UTC()
	seedCalls(t, db,
		store.Call{At: old, Workflow: "send-invoice", TokenID: idleID, Via: "proxy", Status: 200, RemoteAddr: "10.0.0.1"},
		store.Call{At: recent, Workflow: "send-invoice", TokenID: userID, Via: "proxy", Status: 200, RemoteAddr: "10.0.0.2"})
	_, seeded := callCounts(t, db)
	require.Len(t, seeded, 2)
	gen := generation(t, db)

	srv := startServe(t, db, "--calls-retention", "30d")
	for range 5 {
		status, body := srv.post(t, "/api/1.1/wf/send-invoice", user)
		require.Equal(t, 200, status, body)
	}
	for _, path := range []string{"/api/1.1/wf/nope", "/api/1.1/wf/bad%20name", "/api/1.1/wf/" + strings.Repeat("x", 200)} {
		status, _ := srv.post(t, path, "")
		require.Equal(t, 404, status)
	}
	for _, name := range []string{"nope-1", "nope-2"} {
		status, _ := get(t, http.DefaultClient, "GET", "http://"+srv.addr+"/_flowgate/auth",
			http.Header{"X-Forwarded-Method": {"POST"}, "X-Forwarded-Uri": {"/api/1.1/wf/" + name}})
		require.Equal(t, 404, status)
	}

	// The writer sums and writes within a moment, and prunes at start.
	want := map[string]int64{
		"send-invoice app proxy 200 ": 6, // five now, one seeded two hours ago
		"-  proxy 404 not_found":      3, // unknown and invalid names are not keys
		"-  auth 404 not_found":       2,
	}
	deadline := time.Now().Add(10 * time.Second)
	var sums map[string]int64
	for {
		if _, sums = callCounts(t, db); fmt.Sprint(sums) == fmt.Sprint(want) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.Equal(t, want, sums, "the old minute pruned, the rest counted: %s", srv.log())
	assert.Equal(t, gen, generation(t, db), "marking tokens used does not bump the generation")
	assert.Equal(t, 0, srv.stop(t), srv.log())
	assert.NotContains(t, srv.log(), `"msg":"settings reloaded"`)

	list, _ := callCounts(t, db, "--workflow", "send-invoice")
	now := list[0] // newest first
	assert.Equal(t, userID, now.TokenID)
	assert.Equal(t, "app", now.TokenName)
	assert.Equal(t, "127.0.0.1", now.RemoteAddr)
	assert.Zero(t, now.Time.Second(), "time is the minute")
	assert.False(t, now.FirstAt.Before(now.Time))
	assert.False(t, now.LastAt.Before(now.FirstAt))
	assert.Empty(t, now.LinkID)

	var raw []map[string]any
	decodeJSON(t, mustRun(t, db, "calls", "--json", "--limit", "1"), &raw)
	require.Len(t, raw, 1)
	var keys []string
	for k := range raw[0] {
		keys = append(keys, k)
	}
	assert.ElementsMatch(t, []string{"time", "workflow", "token_id", "status", "code", "remote_addr",
		"count", "first_at", "last_at", "via", "token_name", "link_id"}, keys)

	_, lastHour := callCounts(t, db, "--since", "1h", "--token", userID)
	assert.Equal(t, map[string]int64{"send-invoice app proxy 200 ": 5}, lastHour, "--since leaves the minute two hours ago out")
	_, byName := callCounts(t, db, "--workflow", "SEND-INVOICE")
	assert.Equal(t, map[string]int64{"send-invoice app proxy 200 ": 6}, byName)
	table := mustRun(t, db, "calls", "--token", userID)
	assert.Contains(t, table, "MINUTE")
	assert.Contains(t, table, userID+"  app")

	var tokens []struct {
		ID         string
		LastUsedAt *time.Time `json:"last_used_at"`
	}
	decodeJSON(t, mustRun(t, db, "token", "list", "--json"), &tokens)
	require.NotNil(t, tokens[1].LastUsedAt)
	assert.Equal(t, old, *tokens[1].LastUsedAt, "pruning its calls never makes a token look unused")
	require.NotNil(t, tokens[0].LastUsedAt)
	assert.WithinDuration(t, time.Now(), *tokens[0].LastUsedAt, time.Hour)
}

func TestCallsAndRetentionRefuseBadInput(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "pub", "--public", "--auth", "none")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"calls", "--since", "yesterday"}, `--since: invalid duration "yesterday"`},
		{[]string{"calls", "--since", "-1h"}, `--since: invalid duration "-1h"`},
		{[]string{"calls", "--limit", "-1"}, "--limit: -1 is negative"},
		{[]string{"serve", "--calls-retention", "0"}, `--calls-retention: invalid duration "0"`},
		{[]string{"serve", "--calls-retention", "forever"}, `--calls-retention: invalid duration "forever"`},
	} {
		r := runCLI(t, db, c.args...)
		assert.Equal(t, 2, r.Code, "%v", c.args)
		assert.Contains(t, r.Stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
	}
}

func TestCallsFilterByLinkAndSayWhenNothingMatches(t *testing.T) {
	db := tempDB(t)
	mustRun(t, db, "add", "pub", "--public", "--auth", "none")
	assert.Equal(t, "No calls logged (yet): `flowgate serve` counts every call it decides.\n", mustRun(t, db, "calls", "--workflow", "pub"))
	now := time.Now().UTC()
	seedCalls(t, db,
		store.Call{At: now, Workflow: "/fileupload/", LinkID: "lnk_AAAAAAAAAAAA", Via: "proxy", Status: 200},
		store.Call{At: now, Workflow: "pub", TokenID: "tok_BBBBBBBBBBBB", Via: "proxy", Status: 200})

	// The TOKEN column shows the link id; --token and --link both take it.
	assert.Regexp(t, `(?m)^\S+ \S+\s+/fileupload/\s+lnk_AAAAAAAAAAAA\s`, mustRun(t, db, "calls"))
	for _, args := range [][]string{{"--token", "lnk_AAAAAAAAAAAA"}, {"--link", "lnk_AAAAAAAAAAAA"},
		{"--token", "lnk_AAAAAAAAAAAA", "--link", "lnk_AAAAAAAAAAAA"}} {
		list, _ := callCounts(t, db, args...)
		require.Len(t, list, 1, "%v", args)
		assert.Equal(t, "lnk_AAAAAAAAAAAA", list[0].LinkID, "%v", args)
	}

	for want, args := range map[string][]string{
		"No calls match --workflow nope: `flowgate calls` without it lists every call logged.\n":                         {"--workflow", "nope"},
		"No calls match --token tok_nope: `flowgate calls` without it lists every call logged.\n":                        {"--token", "tok_nope"},
		"No calls match --link lnk_nope: `flowgate calls` without it lists every call logged.\n":                         {"--link", "lnk_nope"},
		"No calls match --workflow pub --token lnk_AAAAAAAAAAAA: `flowgate calls` without it lists every call logged.\n": {"--workflow", "pub", "--token", "lnk_AAAAAAAAAAAA"},
	} {
		assert.Equal(t, want, mustRun(t, db, append([]string{"calls"}, args...)...))
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--link", "tok_BBBBBBBBBBBB"}, `--link: "tok_BBBBBBBBBBBB" is no share link id (lnk_...)`},
		{[]string{"--link", "fgl_secret"}, "--link takes a share link id (lnk_...), not the secret"},
		{[]string{"--token", "lnk_A", "--link", "lnk_B"}, "--token lnk_A and --link lnk_B name two share links: give one"},
	} {
		r := runCLI(t, db, append([]string{"calls"}, c.args...)...)
		assert.Equal(t, 2, r.Code, "%v", c.args)
		assert.True(t, strings.HasPrefix(r.Stderr, "flowgate: "+c.want), "%v: %q", c.args, r.Stderr)
		assert.Equal(t, 1, strings.Count(r.Stderr, "\n"), "one line: %q", r.Stderr)
	}
}
