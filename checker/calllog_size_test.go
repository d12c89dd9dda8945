package checker

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/store"
)

// dbSize is the size of the database file once its WAL is merged into it.
func dbSize(t *testing.T, path string) int64 {
	t.Helper()
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	require.NoError(t, err)
	info, err := os.Stat(path)
	require.NoError(t, err)
	return info.Size()
}

// A 10 s load at full speed (the issue measured 433k calls) must add less
// than a megabyte to the database: the call log sums calls per key and
// minute, so what it stores grows with the keys, not with the calls.
func TestATenSecondLoadAddsUnderAMegabyte(t *testing.T) {
	f := newFixture(t)
	before := dbSize(t, f.path)
	l := NewCallLog(f.store, nil, DefaultCallQueue)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { l.Run(runCtx); close(done) }()

	// 400k calls spread over 10 s across a minute boundary: two
	// workflows, two tokens, two outcomes, two entry points (16 keys a
	// minute), from many addresses.
	const calls = 400_000
	start := time.Date(2030, 1, 1, 11, 59, 55, 0, time.UTC)
	workflows := []string{"public-user-post", "Send-Invoice"}
	tokens := []string{f.userID, f.adminID}
	outcomes := []struct {
		status int
		code   string
	}{{200, ""}, {403, "insufficient_scope"}}
	vias := []string{"proxy", "auth"}
	for i := range calls {
		o := outcomes[i/2%2]
		c := store.Call{At: start.Add(time.Duration(i) * (10 * time.Second / calls)), Workflow: workflows[i%2],
			TokenID: tokens[i/4%2], Via: vias[i/8%2], Status: o.status, Code: o.code,
			RemoteAddr: fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255)}
		for !l.Add(c) { // wait for room: this test measures what is stored, not what a full queue drops
			runtime.Gosched()
		}
	}
	stop()
	<-done
	require.EqualValues(t, calls, l.Written())

	got, err := f.store.ListCalls(ctx, store.CallFilter{})
	require.NoError(t, err)
	var total int64
	for _, c := range got {
		total += c.Count
	}
	assert.EqualValues(t, calls, total, "every call counted")
	assert.Len(t, got, 32, "16 keys in each of two minutes")
	growth := dbSize(t, f.path) - before
	t.Logf("%d calls: %d rows, database grew by %d bytes (%d before)", calls, len(got), growth, before)
	assert.Less(t, growth, int64(1<<20))
}

// BenchmarkCallTallyAdd is the writer goroutine's cost per call: summing it
// into the counts of its key and minute (the write itself is per key).
func BenchmarkCallTallyAdd(b *testing.B) {
	tally := newCallTally()
	start := time.Now()
	calls := make([]store.Call, 16)
	for i := range calls {
		calls[i] = store.Call{Workflow: fmt.Sprintf("wf-%d", i%4), TokenID: "tok_abcdefghijkl", Via: "proxy",
			Status: 200 + i/4, RemoteAddr: "192.0.2.1"}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c := calls[i%len(calls)]
		c.At = start.Add(time.Duration(i))
		tally.add(c)
		i++
	}
}
