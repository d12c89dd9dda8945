package store

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// version2Calls are per-call rows as flowgate 2 logged them: a token used
// in two minutes, anonymous calls to an unknown name and to no workflow, a
// share link, the latest call of a minute written first.
var version2Calls = []struct {
	at, workflow, token, link string
	status                    int
	code, remote              string
}{
	{"2024-03-01T10:00:05.000000000Z", "send-invoice", "tok_a", "", 200, "", "10.0.0.1"},
	{"2024-03-01T10:00:59.000000000Z", "send-invoice", "tok_a", "", 200, "", "10.0.0.3"},
	{"2024-03-01T10:00:07.000000000Z", "send-invoice", "tok_a", "", 200, "", "10.0.0.2"},
	{"2024-03-01T10:01:00.000000000Z", "send-invoice", "tok_a", "", 200, "", "10.0.0.4"},
	{"2024-03-01T10:00:10.000000000Z", "send-invoice", "tok_a", "", 403, "insufficient_scope", "10.0.0.1"},
	{"2024-03-01T10:00:20.000000000Z", "nope", "", "", 404, "not_found", "192.0.2.1"},
	{"2024-03-01T10:00:21.000000000Z", "nope", "", "", 404, "not_found", "192.0.2.2"},
	{"2024-03-01T10:00:22.000000000Z", "", "", "", 404, "not_found", "192.0.2.3"},
	{"2024-03-01T10:00:23.000000000Z", "", "", "lnk_x", 200, "", "192.0.2.4"},
}

func TestMigrationTurnsEveryOldCallIntoACount(t *testing.T) {
	var fill strings.Builder
	fill.WriteString(`INSERT INTO tokens (id, name, kind, prefix, hash, created_at) VALUES
		('tok_a', 'app', 'admin', 'fga_AAAA', randomblob(32), '2024-01-01T00:00:00.000000000Z'),
		('tok_b', 'idle', 'admin', 'fga_BBBB', randomblob(32), '2024-01-01T00:00:00.000000000Z');`)
	for _, c := range version2Calls {
		fmt.Fprintf(&fill, "INSERT INTO calls (at, workflow, token_id, link_id, status, code, remote_addr) VALUES ('%s', '%s', '%s', '%s', %d, '%s', '%s');\n",
			c.at, c.workflow, c.token, c.link, c.status, c.code, c.remote)
	}
	path, genBefore := createAtVersion(t, 2, fill.String())

	s, err := Open(path)
	require.NoError(t, err)
	defer s.Close()
	got, err := s.ListCalls(ctx, CallFilter{})
	require.NoError(t, err)
	tm := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	m0, m1 := tm("2024-03-01T10:00:00Z"), tm("2024-03-01T10:01:00Z")
	assert.Equal(t, []Call{
		{At: m1, Workflow: "send-invoice", TokenID: "tok_a", Via: "-", Status: 200, RemoteAddr: "10.0.0.4",
			Count: 1, FirstAt: m1, LastAt: m1},
		{At: m0, Workflow: "send-invoice", TokenID: "tok_a", Via: "-", Status: 200, RemoteAddr: "10.0.0.3",
			Count: 3, FirstAt: tm("2024-03-01T10:00:05Z"), LastAt: tm("2024-03-01T10:00:59Z")},
		{At: m0, Workflow: "-", LinkID: "lnk_x", Via: "-", Status: 200, RemoteAddr: "192.0.2.4",
			Count: 1, FirstAt: tm("2024-03-01T10:00:23Z"), LastAt: tm("2024-03-01T10:00:23Z")},
		{At: m0, Workflow: "-", Via: "-", Status: 404, Code: "not_found", RemoteAddr: "192.0.2.3",
			Count: 1, FirstAt: tm("2024-03-01T10:00:22Z"), LastAt: tm("2024-03-01T10:00:22Z")},
		{At: m0, Workflow: "nope", Via: "-", Status: 404, Code: "not_found", RemoteAddr: "192.0.2.2",
			Count: 2, FirstAt: tm("2024-03-01T10:00:20Z"), LastAt: tm("2024-03-01T10:00:21Z")},
		{At: m0, Workflow: "send-invoice", TokenID: "tok_a", Via: "-", Status: 403, Code: "insufficient_scope", RemoteAddr: "10.0.0.1",
			Count: 1, FirstAt: tm("2024-03-01T10:00:10Z"), LastAt: tm("2024-03-01T10:00:10Z")},
	}, got, "one count per old key and minute; old calls to no workflow under -, their entry point -")
	var total int64
	for _, c := range got {
		total += c.Count
	}
	assert.EqualValues(t, len(version2Calls), total, "nothing lost")

	toks, err := s.ListTokens(ctx)
	require.NoError(t, err)
	require.NotNil(t, toks[0].LastUsedAt)
	assert.Equal(t, m1, *toks[0].LastUsedAt, "the latest call moves onto the token's row")
	assert.Nil(t, toks[1].LastUsedAt)
	gen, err := s.Generation(ctx)
	require.NoError(t, err)
	assert.Equal(t, genBefore, gen, "migrating changes no setting, so checkers need not reload")

	// New counts add to the converted ones.
	require.NoError(t, s.RecordCalls(ctx, []Call{{At: m1.Add(time.Second), Workflow: "send-invoice", TokenID: "tok_a",
		Via: "-", Status: 200, RemoteAddr: "10.0.0.5"}}))
	got, err = s.ListCalls(ctx, CallFilter{Limit: 1})
	require.NoError(t, err)
	assert.EqualValues(t, 2, got[0].Count)
}
