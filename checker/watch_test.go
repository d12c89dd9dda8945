package checker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

// syncBuffer is a log destination the watcher goroutine and the test can
// share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// eventually polls cond until it holds, failing after a generous bound; it
// asserts that the change happens, not how fast.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s never happened", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// watchedCall starts f's checker, logging to logs, behind a test server
// and watching f's store every 20ms, and returns the URL of
// public-user-post on that server. Everything stops when the test ends.
func watchedCall(t *testing.T, f *fixture) (c *Checker, logs *syncBuffer, url string) {
	t.Helper()
	logs = &syncBuffer{}
	c = f.checker(t, Options{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	srv := httptest.NewServer(c.Handler(nil))
	t.Cleanup(srv.Close)
	wctx, cancel := context.WithCancel(ctx)
	t.Cleanup(cancel)
	go c.Watch(wctx, f.store, 20*time.Millisecond)
	return c, logs, srv.URL + "/api/1.1/wf/public-user-post"
}

func TestWatchReloadsChangesFromAnotherConnection(t *testing.T) {
	f := newFixture(t)
	_, logs, url := watchedCall(t, f)
	user := http.Header{"Authorization": {"Bearer " + f.user}}
	require.Equal(t, "200", call(t, "POST", url, user, "").outcome)

	// Another process (its own connection) makes the workflow admin-only.
	other, err := store.Open(f.path)
	require.NoError(t, err)
	defer other.Close()
	w, err := other.GetWorkflow(ctx, "public-user-post")
	require.NoError(t, err)
	w.Auth = model.AuthAdmin
	_, err = other.UpdateWorkflow(ctx, w, store.SourceCLI)
	require.NoError(t, err)
	eventually(t, "denial after the change", func() bool {
		return call(t, "POST", url, user, "").outcome == "403 insufficient_scope"
	})

	// Revoking a token takes effect the same way.
	admin := http.Header{"Authorization": {"Bearer " + f.admin}}
	require.Equal(t, "200", call(t, "POST", url, admin, "").outcome)
	require.NoError(t, other.RevokeToken(ctx, f.adminID))
	eventually(t, "revocation", func() bool { return call(t, "POST", url, admin, "").outcome == "401 invalid_token" })
	assert.Contains(t, logs.String(), "settings reloaded")
}

// flakySource fails on demand, to prove a failed reload keeps the last
// good settings.
type flakySource struct {
	*store.Store
	mu   sync.Mutex
	fail bool
}

func (s *flakySource) ReadSnapshot(ctx context.Context) (store.Snapshot, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return store.Snapshot{}, errors.New("disk on fire")
	}
	return s.Store.ReadSnapshot(ctx)
}

func (s *flakySource) ReadDelta(ctx context.Context, since int64) (store.Delta, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail {
		return store.Delta{}, errors.New("disk on fire")
	}
	return s.Store.ReadDelta(ctx, since)
}

func (s *flakySource) setFail(v bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = v
}

func TestFailedReloadKeepsLastGoodSnapshotAndLogsWhy(t *testing.T) {
	f := newFixture(t)
	src := &flakySource{Store: f.store}
	var logs syncBuffer
	c := New(Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, c.Load(ctx, src))
	loaded := c.Generation()
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go c.Watch(wctx, src, 10*time.Millisecond)

	src.setFail(true)
	_, err := f.store.CreateWorkflow(ctx, model.NewWorkflow("new-one"), store.SourceCLI)
	require.NoError(t, err)
	eventually(t, "the failure being logged", func() bool { return bytes.Contains([]byte(logs.String()), []byte("disk on fire")) })
	assert.Equal(t, loaded, c.Generation(), "the last good snapshot stays")
	res := c.Check(&Request{Method: "POST", Path: "/api/1.1/wf/public-none-post"})
	assert.True(t, res.Allowed, "decisions go on from the last good snapshot")
	assert.Contains(t, logs.String(), "reload failed; keeping the last good settings")

	src.setFail(false)
	eventually(t, "recovery", func() bool { return c.Generation() > loaded })
	assert.Contains(t, logs.String(), "reload works again")
}

func TestFirstLoadFailureLeavesNothingLoaded(t *testing.T) {
	f := newFixture(t)
	src := &flakySource{Store: f.store, fail: true}
	c := New(Options{})
	assert.ErrorContains(t, c.Load(ctx, src), "disk on fire")
	assert.False(t, c.Ready())
}

func TestExpiryIsCheckedAtDecisionTime(t *testing.T) {
	f := newFixture(t)
	var mu sync.Mutex
	clock := time.Now()
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return clock
	}
	c := f.checker(t, Options{Now: now})
	req := &Request{Method: "POST", Path: "/api/1.1/wf/public-admin-post", Authorization: []string{"Bearer " + f.expired}}
	assert.True(t, c.Check(req).Allowed, "valid for another hour")
	mu.Lock()
	clock = clock.Add(time.Hour + time.Second)
	mu.Unlock()
	res := c.Check(req)
	assert.Equal(t, "401 invalid_token", res.outcome(), "expired without any reload")
}

func (r Result) outcome() string {
	if r.Allowed {
		return "200"
	}
	return fmt.Sprintf("%d %s", r.Status, r.Code)
}
