package checker

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/store"
)

// testClock is a clock the test moves by hand, so that staleness is
// decided by what the test did rather than by how fast the machine is.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock { return &testClock{t: time.Now().Add(2 * time.Hour)} }

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// pollCounter is the real store, counting Watch's polls (each begins with
// ReopenIfReplaced).
type pollCounter struct {
	*store.Store
	polls atomic.Int64
}

func (p *pollCounter) ReopenIfReplaced(ctx context.Context) (bool, error) {
	p.polls.Add(1)
	return p.Store.ReopenIfReplaced(ctx)
}

// health fetches /_flowgate/healthz and decodes it.
func health(t *testing.T, url string) (int, map[string]any) {
	t.Helper()
	r := call(t, "GET", url+HealthPath, nil, "")
	var h map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.body), &h), r.body)
	return r.status, h
}

// cutOff moves the database's folder away, so that every check of the
// store fails (the file is gone and no new one can be created in its
// place), and returns the function that puts it back.
func cutOff(t *testing.T, dbPath string) (restore func()) {
	t.Helper()
	dir := filepath.Dir(dbPath)
	require.NoError(t, os.Rename(dir, dir+"-away"))
	restored := false
	restore = func() {
		if !restored {
			restored = true
			require.NoError(t, os.Rename(dir+"-away", dir))
		}
	}
	t.Cleanup(restore)
	return restore
}

func TestAnUnreadableStoreIsDecidedFromTheSnapshotThenFailsClosedAndRecovers(t *testing.T) {
	f := newFixture(t)
	clock := newTestClock()
	var logs syncBuffer
	c := f.checker(t, Options{Now: clock.now, MaxStaleness: time.Minute, Version: "v9.9.9-test", Backend: "sqlite",
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	gw := httptest.NewServer(c.GatewayHandler())
	defer gw.Close()
	pub := httptest.NewServer(c.PublicHandler(nil))
	defer pub.Close()
	src := &pollCounter{Store: f.store}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go c.Watch(wctx, src, 5*time.Millisecond)

	user := http.Header{"Authorization": {"Bearer " + f.user}}
	workflow := pub.URL + "/api/1.1/wf/public-user-post"
	forwardAuth := http.Header{"Authorization": {"Bearer " + f.user}, "X-Forwarded-Method": {"POST"}, "X-Forwarded-Uri": {"/api/1.1/wf/public-user-post"}}
	require.Equal(t, "200", call(t, "POST", workflow, user, "").outcome)
	require.Equal(t, 200, call(t, "GET", gw.URL+AuthPath, forwardAuth, "").status)
	status, h := health(t, gw.URL)
	require.Equal(t, 200, status)
	assert.Equal(t, "ok", h["status"])
	assert.Equal(t, "v9.9.9-test", h["version"])
	assert.Equal(t, "sqlite", h["backend"])
	assert.EqualValues(t, c.Generation(), h["generation"])
	assert.EqualValues(t, 60, h["max_staleness_seconds"])
	assert.Equal(t, clock.now().UTC().Format(time.RFC3339Nano), h["last_check"])

	restore := cutOff(t, f.path)
	eventually(t, "healthz reporting staleness", func() bool { _, h := health(t, gw.URL); return h["status"] == "stale" })
	clock.add(59 * time.Second)
	status, h = health(t, gw.URL)
	assert.Equal(t, 200, status, "stale but deciding: still in service")
	assert.Equal(t, "stale", h["status"])
	assert.EqualValues(t, 59, h["snapshot_age_seconds"])
	assert.Equal(t, "200", call(t, "POST", workflow, user, "").outcome, "decisions go on from the last good snapshot")
	assert.Equal(t, `{"status":"ok"}`+"\n", call(t, "GET", pub.URL+HealthPath, nil, "").body, "the bare healthz says no more")

	clock.add(time.Second)
	assert.Equal(t, "503 unavailable", call(t, "POST", workflow, user, "").outcome, "past the maximum staleness every call is refused")
	assert.Equal(t, "503 unavailable", call(t, "POST", workflow, nil, "").outcome)
	assert.Equal(t, 503, call(t, "GET", gw.URL+AuthPath, forwardAuth, "").status, "forward-auth too")
	status, h = health(t, gw.URL)
	assert.Equal(t, 503, status)
	assert.Equal(t, "unavailable", h["status"])
	assert.EqualValues(t, 60, h["snapshot_age_seconds"])
	r := call(t, "GET", pub.URL+HealthPath, nil, "")
	assert.Equal(t, 503, r.status)
	assert.Equal(t, `{"status":"unavailable"}`+"\n", r.body)
	eventually(t, "the log saying calls are refused", func() bool { return strings.Contains(logs.String(), "refusing every call with 503") })
	polls := src.polls.Load()
	eventually(t, "more failed polls", func() bool { return src.polls.Load() >= polls+10 })

	restore()
	eventually(t, "recovery without a restart", func() bool { return call(t, "POST", workflow, user, "").outcome == "200" })
	status, h = health(t, gw.URL)
	assert.Equal(t, 200, status)
	assert.Equal(t, "ok", h["status"])
	assert.EqualValues(t, 0, h["snapshot_age_seconds"])
	eventually(t, "the log saying it works again", func() bool { return strings.Contains(logs.String(), "reload works again") })

	out := logs.String()
	assert.Equal(t, 1, strings.Count(out, "reload failed; keeping the last good settings"), "one line when checks start failing, however many fail:\n%s", out)
	assert.Equal(t, 1, strings.Count(out, "refusing every call with 503"), "one when calls start being refused")
	assert.Equal(t, 1, strings.Count(out, "reload works again"), "one when they work again")
	assert.Contains(t, out, "no such file or directory", "the first line says why")
}

func TestAPollThatFindsNothingNewCountsAsACheck(t *testing.T) {
	f := newFixture(t)
	clock := newTestClock()
	c := f.checker(t, Options{Now: clock.now, MaxStaleness: time.Minute})
	srv := httptest.NewServer(c.GatewayHandler())
	defer srv.Close()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go c.Watch(wctx, f.store, 5*time.Millisecond)
	req := &Request{Method: "POST", Path: "/api/1.1/wf/public-admin-post", Authorization: []string{"Bearer " + f.admin}}
	gen := c.Generation()
	for range 3 { // three minutes in all, never a minute without a check
		clock.add(50 * time.Second)
		eventually(t, "a poll checking the store", func() bool { _, h := health(t, srv.URL); return h["snapshot_age_seconds"] == 0.0 })
		assert.True(t, c.Check(req).Allowed)
	}
	assert.Equal(t, gen, c.Generation(), "nothing was reloaded")
}

func TestWithoutWatchTheLoadAloneCountsAndZeroMeansNoLimit(t *testing.T) {
	f := newFixture(t)
	clock := newTestClock()
	req := &Request{Method: "POST", Path: "/api/1.1/wf/public-admin-post", Authorization: []string{"Bearer " + f.admin}}
	limited := f.checker(t, Options{Now: clock.now, MaxStaleness: time.Minute})
	unlimited := f.checker(t, Options{Now: clock.now})
	clock.add(time.Minute - time.Nanosecond)
	assert.True(t, limited.Check(req).Allowed)
	clock.add(time.Nanosecond)
	assert.Equal(t, "503 unavailable", limited.Check(req).outcome())
	assert.False(t, limited.Ready())
	clock.add(1000 * time.Hour)
	assert.True(t, unlimited.Check(req).Allowed, "no MaxStaleness: no limit, as before")
	require.NoError(t, limited.Load(ctx, f.store))
	assert.True(t, limited.Check(req).Allowed, "a successful load is a check")
}

func TestTheStalenessCheckKeepsDecisionsAllocationFree(t *testing.T) {
	f := newFixture(t)
	c := f.checker(t, Options{MaxStaleness: time.Minute})
	req := &Request{Method: "POST", Path: "/api/1.1/wf/public-admin-post", Authorization: []string{"Bearer " + f.admin}}
	assert.Zero(t, testing.AllocsPerRun(100, func() { c.Check(req) }))
}

// BenchmarkDecisionWithTokenAndMaxStaleness is BenchmarkDecisionWithToken
// as serve runs it: with a staleness limit, which adds a clock reading and
// one atomic load per decision.
func BenchmarkDecisionWithTokenAndMaxStaleness(b *testing.B) {
	f := newFixture(b)
	c := f.checker(b, Options{AllowQueryToken: true, MaxStaleness: DefaultMaxStaleness})
	req := &Request{Method: "POST", Path: "/version-live/api/1.1/wf/public-admin-post",
		RawQuery: "customer=42", Authorization: []string{"Bearer " + f.admin}}
	benchmarkAllowed(b, c, req)
}
