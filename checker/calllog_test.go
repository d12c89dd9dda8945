package checker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/store"
)

func TestCallsAreCountedPerKeyWithoutTokensAndOnlyUnderNamesThatExist(t *testing.T) {
	f := newFixture(t)
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	calls := NewCallLog(f.store, logger, 100)
	c := f.checker(t, Options{Logger: logger, AccessLog: &logs, Calls: calls, AllowQueryToken: true})
	srv := httptest.NewServer(c.Handler(nil))
	defer srv.Close()
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { calls.Run(runCtx); close(done) }()

	bearer := http.Header{"Authorization": {"Bearer " + f.user}}
	for range 3 {
		call(t, "POST", srv.URL+"/api/1.1/wf/SEND-INVOICE", bearer, "")
	}
	call(t, "POST", srv.URL+"/api/1.1/wf/public-admin-post?api_token="+f.user, nil, "")
	call(t, "POST", srv.URL+"/api/1.1/wf/public-admin-post", http.Header{"Authorization": {"Bearer " + f.revoked}}, "")
	for _, name := range []string{"nope", "nope-2", "bad%20name", strings.Repeat("x", 101)} {
		h := http.Header{"X-Forwarded-Method": {"POST"}, "X-Forwarded-Uri": {"/api/1.1/wf/" + name}, "X-Forwarded-For": {"198.51.100.7, 203.0.113.9"}}
		call(t, "GET", srv.URL+AuthPath, h, "")
	}
	call(t, "GET", srv.URL+"/favicon.ico", nil, "")
	call(t, "GET", srv.URL+sharedFile+"?fg_link="+f.link, nil, "")
	stop()
	<-done // Run writes what is queued before it returns
	assert.EqualValues(t, 11, calls.Written())

	got, err := f.store.ListCalls(ctx, store.CallFilter{})
	require.NoError(t, err)
	sums := countsBy(got, func(c store.Call) string {
		return fmt.Sprintf("%s %s %s %s %d %s", c.Workflow, c.TokenID, c.LinkID, c.Via, c.Status, c.Code)
	})
	counts := map[string]int64{}
	remotes := map[string]string{}
	for k, c := range sums {
		counts[k], remotes[k] = c.Count, c.RemoteAddr
	}
	assert.Equal(t, map[string]int64{
		"Send-Invoice " + f.userID + "  proxy 200 ":                        3, // the stored name, not the requested one
		"public-admin-post " + f.userID + "  proxy 403 insufficient_scope": 1,
		"public-admin-post   proxy 401 invalid_token":                      1, // an invalid token has no id
		"-   auth 404 not_found":                                           4, // unknown and invalid names are not keys
		"-   proxy 404 not_found":                                          1,
		filesPrefix + "  " + f.linkID + " proxy 200 ":                      1, // a file by its protected prefix
	}, counts)
	assert.Equal(t, "203.0.113.9", remotes["-   auth 404 not_found"])
	assert.Equal(t, "127.0.0.1", remotes["Send-Invoice "+f.userID+"  proxy 200 "], "the peer's IP, without its port")

	toks, err := f.store.ListTokens(ctx)
	require.NoError(t, err)
	for _, tok := range toks {
		if tok.ID == f.userID {
			assert.NotNil(t, tok.LastUsedAt, "the call log marks the token used")
		}
	}
	out := logs.String()
	assert.Contains(t, out, `"msg":"call"`)
	assert.Contains(t, out, `"token_id":"`+f.userID+`"`)
	assert.Contains(t, out, `"duration_ms":`)
	for _, secret := range []string{f.user, f.admin, f.revoked, f.link} {
		assert.NotContains(t, out, secret[4:], "no token in the log")
	}
}

// countsBy sums stored counts by key across minutes (a test may cross a
// minute boundary): each sum keeps the first and last call and the last
// remote.
func countsBy(calls []store.Call, key func(store.Call) string) map[string]store.Call {
	out := map[string]store.Call{}
	for _, c := range calls {
		k := key(c)
		sum, ok := out[k]
		if !ok {
			out[k] = c
			continue
		}
		sum.Count += c.Count
		if c.FirstAt.Before(sum.FirstAt) {
			sum.FirstAt = c.FirstAt
		}
		if c.LastAt.After(sum.LastAt) {
			sum.LastAt, sum.RemoteAddr = c.LastAt, c.RemoteAddr
		}
		out[k] = sum
	}
	return out
}

// blockingRecorder holds every write until released.
type blockingRecorder struct {
	release chan struct{}
	// entered, when set, is closed as the first batch arrives, so a test
	// knows the writer is stuck inside RecordCalls.
	entered   chan struct{}
	enterOnce sync.Once
	mu        sync.Mutex
	got       int
	fail      bool
}

func (b *blockingRecorder) RecordCalls(ctx context.Context, calls []store.Call) error {
	if b.entered != nil {
		b.enterOnce.Do(func() { close(b.entered) })
	}
	<-b.release
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.fail {
		return errors.New("database gone")
	}
	for _, c := range calls {
		b.got += int(c.Count)
	}
	return nil
}

func (b *blockingRecorder) PruneCalls(context.Context, time.Time, int) (int64, error) { return 0, nil }

func TestCallLogNeverBlocksAndCountsDrops(t *testing.T) {
	rec := &blockingRecorder{release: make(chan struct{}), entered: make(chan struct{})}
	var logs syncBuffer
	l := NewCallLog(rec, slog.New(slog.NewTextHandler(&logs, nil)), 4)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { l.Run(runCtx); close(done) }()

	// Get the writer stuck inside a write first: while it lingers for a
	// batch it would still be taking calls off the queue.
	require.True(t, l.Add(store.Call{Workflow: "w", Status: 200}))
	<-rec.entered

	// With the writer stuck, only the queue's 4 places are left; the rest
	// is dropped at once rather than blocking.
	added := 1
	for i := 0; i < 50; i++ {
		if l.Add(store.Call{Workflow: "w", Status: 200}) {
			added++
		}
	}
	assert.Equal(t, 5, added)
	assert.Equal(t, uint64(51-added), l.Dropped())
	close(rec.release)
	stop()
	<-done
	assert.Equal(t, added, rec.got, "everything queued is written by shutdown")
	assert.Contains(t, logs.String(), "dropped")
}

func TestCallLogFailedWriteIsCountedAndLogged(t *testing.T) {
	rec := &blockingRecorder{release: make(chan struct{}), fail: true}
	close(rec.release)
	var logs syncBuffer
	l := NewCallLog(rec, slog.New(slog.NewTextHandler(&logs, nil)), 10)
	l.Add(store.Call{Workflow: "w"})
	runCtx, stop := context.WithCancel(ctx)
	stop()
	l.Run(runCtx)
	assert.Equal(t, uint64(1), l.Dropped())
	assert.Contains(t, logs.String(), "database gone")
}

func TestAccessLineIsValidJSONForAnyMethod(t *testing.T) {
	var out syncBuffer
	l := &accessLog{out: &out}
	res := &Result{Workflow: "send-invoice"}
	res.Status, res.Code = 405, "method_not_allowed"
	at := time.Date(2026, 11, 29, 4, 0, 0, 0, time.UTC)
	l.write(at, "auth", "PO\"ST\n\xff<", res, "127.0.0.1:5000", 1500*time.Microsecond)

	var line map[string]any
	require.NoError(t, json.Unmarshal([]byte(out.String()), &line), out.String())
	assert.Equal(t, map[string]any{
		"time": "2026-11-29T04:00:00Z", "level": "INFO", "msg": "call", "via": "auth",
		"method": "PO\"ST\n\ufffd<", "workflow": "send-invoice", "decision": "deny", "status": float64(405),
		"code": "method_not_allowed", "auth": res.Auth(), "token_id": "", "link_id": "", "remote": "127.0.0.1:5000",
		"duration_ms": 1.5,
	}, line)
	assert.True(t, strings.HasSuffix(out.String(), "}\n"), "one line")
}
