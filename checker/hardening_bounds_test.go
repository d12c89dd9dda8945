package checker

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/store"
)

func TestRemoteAddressIsAParsedIPReadFromForwardedForOnlyOnForwardAuth(t *testing.T) {
	f := newFixture(t)
	lc := f.loggedChecker(t, Options{})
	srv := httptest.NewServer(lc.Handler(nil))
	defer srv.Close()
	auth := func(xff ...string) http.Header {
		return http.Header{"X-Forwarded-Method": {"POST"}, "X-Forwarded-Uri": {"/api/1.1/wf/public-none-post"}, "X-Forwarded-For": xff}
	}
	huge := strings.Repeat("A", 60000)
	for _, c := range []struct {
		path   string
		header http.Header
		want   string
	}{
		{AuthPath, auth("198.51.100.7, 2001:db8::1"), "2001:db8::1"},
		{AuthPath, auth("10.0.0.1", "203.0.113.9 "), "203.0.113.9"},
		{AuthPath, auth("[2001:DB8::2]:4711"), "2001:db8::2"},
		{AuthPath, auth("::ffff:192.0.2.1"), "192.0.2.1"},
		{AuthPath, auth("fe80::1%" + huge), "fe80::1"}, // the zone is not kept
		{AuthPath, auth(huge), "127.0.0.1"},
		{AuthPath, auth("198.51.100.7, " + huge), "127.0.0.1"},
		{AuthPath, auth("203.0.113.9, unknown"), "127.0.0.1"},
		{NginxAuthPath, http.Header{"X-Original-Method": {"POST"}, "X-Original-Uri": {"/api/1.1/wf/public-none-post"},
			"X-Forwarded-For": {"203.0.113.10"}}, "203.0.113.10"},
		{"/api/1.1/wf/public-none-post", http.Header{"X-Forwarded-For": {"203.0.113.11"}}, "127.0.0.1"},
		{"/api/1.1/wf/public-none-post", http.Header{"X-Forwarded-For": {huge}}, "127.0.0.1"},
	} {
		r := call(t, "POST", srv.URL+c.path, c.header, "")
		require.Equal(t, http.StatusOK, r.status, r.body)
	}
	lines := lc.accessLines(t)
	require.Len(t, lines, 11)
	for i, want := range []string{"2001:db8::1", "203.0.113.9", "2001:db8::2", "192.0.2.1", "fe80::1", "127.0.0.1",
		"127.0.0.1", "127.0.0.1", "203.0.113.10", "127.0.0.1", "127.0.0.1"} {
		assert.Equal(t, want, lines[i]["remote"], "access line %d", i)
	}
	// The call log keeps the last remote of each key and minute.
	byVia := countsBy(lc.storedCalls(t, f.store), func(c store.Call) string { return c.Via })
	require.Len(t, byVia, 3)
	for via, want := range map[string]struct {
		count  int64
		remote string
	}{"auth": {8, "127.0.0.1"}, "nginx-auth": {1, "203.0.113.10"}, "proxy": {2, "127.0.0.1"}} {
		assert.Equal(t, want.count, byVia[via].Count, via)
		assert.Equal(t, want.remote, byVia[via].RemoteAddr, via)
	}
	assert.Less(t, len(lc.access.String()), 11*400, "no caller text in the access log")
}

func TestEveryLoggedFieldIsCapped(t *testing.T) {
	f := newFixture(t)
	lc := f.loggedChecker(t, Options{})
	srv := httptest.NewServer(lc.Handler(nil))
	defer srv.Close()
	long := strings.Repeat("a", 101)
	huge := strings.Repeat("P", 60000)

	assert.Equal(t, "404 not_found", call(t, "POST", srv.URL+"/api/1.1/wf/"+long, nil, "").outcome)
	h := http.Header{"X-Forwarded-Method": {huge}, "X-Forwarded-Uri": {"/api/1.1/wf/" + huge}}
	assert.Equal(t, "404 not_found", call(t, "GET", srv.URL+AuthPath, h, "").outcome)
	h = http.Header{"X-Forwarded-Method": {huge}, "X-Forwarded-Uri": {"/api/1.1/wf/public-none-post"}}
	assert.Equal(t, "405 method_not_allowed", call(t, "GET", srv.URL+AuthPath, h, "").outcome)

	lines := lc.accessLines(t)
	require.Len(t, lines, 3)
	assert.Equal(t, "-", lines[0]["workflow"], "a name over 100 characters is not a name")
	assert.Equal(t, "POST", lines[0]["method"])
	assert.Equal(t, "-", lines[1]["workflow"])
	assert.Equal(t, "-", lines[1]["method"])
	assert.Equal(t, "public-none-post", lines[2]["workflow"])
	assert.Equal(t, "-", lines[2]["method"])
	for _, call := range lc.storedCalls(t, f.store) {
		assert.LessOrEqual(t, len(call.Workflow), maxLoggedWorkflow)
		assert.NotContains(t, call.Workflow, "aaaa")
	}
	assert.Less(t, len(lc.access.String()), 3*400)
}

func TestCallLogQueueIsBoundedInBytes(t *testing.T) {
	rec := &blockingRecorder{release: make(chan struct{})}
	const size = 16
	l := NewCallLog(rec, nil, size)
	largest := store.Call{Workflow: strings.Repeat("w", maxLoggedWorkflow), TokenID: strings.Repeat("t", maxLoggedTokenID),
		Code: strings.Repeat("c", maxLoggedCode), RemoteAddr: "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255", Status: 200}
	added := 0
	for i := 0; i < size; i++ {
		if l.Add(largest) {
			added++
		}
	}
	assert.Less(t, added, size, "calls at every cap fill the queue by bytes before entries")
	assert.Equal(t, uint64(size-added), l.Dropped())
	assert.LessOrEqual(t, l.queued.Load(), l.maxBytes)

	// Oversized fields are capped before they are queued: a flood of them
	// holds no more than the bound, whatever each call carried.
	flood := store.Call{Workflow: strings.Repeat("x", 60000), RemoteAddr: strings.Repeat("1", 60000), Status: 404}
	for i := 0; i < 1000; i++ {
		l.Add(flood)
		assert.LessOrEqual(t, l.queued.Load(), l.maxBytes)
	}
	assert.LessOrEqual(t, len(l.queue), size)
	assert.Equal(t, uint64(size+1000), uint64(len(l.queue))+l.Dropped(), "every call is either queued or dropped and counted")
}

func TestCallLogStoresCappedFields(t *testing.T) {
	f := newFixture(t)
	l := NewCallLog(f.store, nil, 10)
	at := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	l.Add(store.Call{At: at, Workflow: strings.Repeat("x", 60000), TokenID: strings.Repeat("t", 65), Code: strings.Repeat("c", 33),
		Via: strings.Repeat("v", 33), RemoteAddr: strings.Repeat("1", 60000), Status: 404})
	runCtx, stop := context.WithCancel(ctx)
	stop()
	l.Run(runCtx) // writes what is queued, then returns
	got, err := f.store.ListCalls(ctx, store.CallFilter{})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, store.Call{At: at.Truncate(time.Minute), Workflow: "-", TokenID: "-", Via: "-", Code: "-", RemoteAddr: "-", Status: 404,
		Count: 1, FirstAt: at, LastAt: at}, got[0])
}

// within reports whether s's bytes lie inside big's memory.
func within(s, big string) bool {
	if len(s) == 0 {
		return false
	}
	p, start := uintptr(unsafe.Pointer(unsafe.StringData(s))), uintptr(unsafe.Pointer(unsafe.StringData(big)))
	return p >= start && p < start+uintptr(len(big))
}

func TestQueuedCallsHoldNoRequestMemory(t *testing.T) {
	f := newFixture(t)
	calls := NewCallLog(f.store, nil, 10)
	h := f.checker(t, Options{Calls: calls}).Handler(nil)
	pad := strings.Repeat("x", 60000)

	xff := strings.Repeat("192.0.2.1, ", 5000) + "198.51.100.7"
	r := httptest.NewRequest("GET", AuthPath, nil)
	r.Header["X-Forwarded-For"] = []string{xff}
	r.Header["X-Forwarded-Method"] = []string{"POST"}
	r.Header["X-Forwarded-Uri"] = []string{"/api/1.1/wf/no-such-workflow?pad=" + pad}
	h.ServeHTTP(httptest.NewRecorder(), r)
	queued := <-calls.queue
	assert.Equal(t, "198.51.100.7", queued.RemoteAddr)
	assert.False(t, within(queued.RemoteAddr, xff), "the address is a copy, not a slice of a 130 KB header")
	assert.Equal(t, "-", queued.Workflow, "a name that is no workflow is not recorded at all")

	r = httptest.NewRequest("POST", "/api/1.1/wf/no-such-workflow?pad="+pad, nil)
	h.ServeHTTP(httptest.NewRecorder(), r)
	queued = <-calls.queue
	assert.Equal(t, "-", queued.Workflow)
}
