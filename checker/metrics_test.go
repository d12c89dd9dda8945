package checker

import (
	"context"
	"crypto/rand"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/scrape"
	"flowgate/model"
	"flowgate/store"
)

// callsOf is the value of flowgate_calls_total for these labels (0 when
// the series does not exist).
func callsOf(m scrape.Metrics, workflow, decision, status, via string) float64 {
	v, _ := m.Value("flowgate_calls_total", map[string]string{"workflow": workflow, "decision": decision, "status": status, "via": via})
	return v
}

func TestMetricsCountCallsUnderBoundedLabels(t *testing.T) {
	f := newFixture(t)
	c := f.checker(t, Options{Metrics: prometheus.NewRegistry()})
	srv := httptest.NewServer(c.Handler(nil))
	defer srv.Close()
	random := strings.ToLower(rand.Text())
	bearer := http.Header{"Authorization": {"Bearer " + f.admin}}

	assert.Equal(t, "200", call(t, "POST", srv.URL+"/api/1.1/wf/public-none-post", nil, "").outcome)
	assert.Equal(t, "200", call(t, "POST", srv.URL+"/api/1.1/wf/PUBLIC-NONE-POST", nil, "").outcome)
	assert.Equal(t, "200", call(t, "POST", srv.URL+"/api/1.1/wf/send-invoice", bearer, "").outcome)
	assert.Equal(t, "404 not_found", call(t, "POST", srv.URL+"/api/1.1/wf/"+random, nil, "").outcome)
	assert.Equal(t, "404 not_found", call(t, "POST", srv.URL+"/"+random, nil, "").outcome)
	assert.Equal(t, "401 missing_token", call(t, "POST", srv.URL+"/api/1.1/wf/public-user-post", nil, "").outcome)
	for _, ask := range forwardAuthAsks {
		assert.Equal(t, "200", call(t, "POST", srv.URL+ask.path, ask.header, "").outcome, ask.name)
	}

	m := scrape.Get(t, srv.URL+MetricsPath)
	assert.EqualValues(t, 2, callsOf(m, "public-none-post", "allow", "200", "proxy"), "counted under the stored name, whatever the case")
	assert.EqualValues(t, 1, callsOf(m, "Send-Invoice", "allow", "200", "proxy"))
	assert.EqualValues(t, 2, callsOf(m, "-", "deny", "404", "proxy"), "no workflow: -")
	assert.EqualValues(t, 1, callsOf(m, "public-user-post", "deny", "401", "proxy"))
	assert.EqualValues(t, 2, callsOf(m, "public-none-post", "allow", "200", "auth"))
	assert.EqualValues(t, 1, callsOf(m, "public-none-post", "allow", "200", "nginx-auth"))
	assert.NotContains(t, m.Text, random, "a caller cannot name a series")
	stored := []string{"-"}
	for _, st := range workflowStates {
		stored = append(stored, st.name)
	}
	for _, s := range m.Series("flowgate_calls_total") {
		assert.Contains(t, stored, s["workflow"])
		assert.Contains(t, entryPoints, s["via"])
		assert.Contains(t, statusLabels, s["status"])
	}
	latency, _ := m.Value("flowgate_decision_duration_seconds", map[string]string{})
	assert.EqualValues(t, 9, latency, "every call's decision timed")
	generation, _ := m.Value("flowgate_settings_generation", map[string]string{})
	assert.EqualValues(t, c.Generation(), generation)
}

func TestMetricsBoundTheStatusAnUpstreamSends(t *testing.T) {
	f := newFixture(t)
	c := f.checker(t, Options{Metrics: prometheus.NewRegistry()})
	statuses := []int{201, 299, 418, 451, 599, 200}
	next := 0
	up := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(statuses[next])
		next++
	})
	srv := httptest.NewServer(c.Handler(up))
	defer srv.Close()
	for range statuses {
		call(t, "POST", srv.URL+"/api/1.1/wf/public-none-post", nil, "")
	}
	gw := httptest.NewServer(c.GatewayHandler())
	defer gw.Close()
	m := scrape.Get(t, gw.URL+MetricsPath)
	for status, want := range map[string]float64{"201": 1, "2xx": 1, "4xx": 2, "5xx": 1, "200": 1} {
		assert.Equal(t, want, callsOf(m, "public-none-post", "allow", status, "proxy"), status)
	}
	assert.Len(t, m.Series("flowgate_calls_total"), 5)
	assert.Equal(t, "-", statusLabels[statusSlot(1000)])
	assert.Equal(t, "-", statusLabels[statusSlot(-1)])
}

func TestMetricsAreServedOnlyWhereTheGatewayEndpointsAre(t *testing.T) {
	f := newFixture(t)
	c := f.checker(t, Options{Metrics: prometheus.NewRegistry()})
	up, hits := countingUpstream()
	for name, h := range map[string]http.Handler{"proxying": c.Handler(up), "public": c.PublicHandler(nil)} {
		srv := httptest.NewServer(h)
		r := call(t, "GET", srv.URL+MetricsPath, nil, "")
		srv.Close()
		assert.Equal(t, "404 not_found", r.outcome, name)
		assert.NotContains(t, r.body, "flowgate_", name)
	}
	assert.Zero(t, hits.Load(), "never forwarded")

	// A checker without metrics has no such path anywhere.
	plain := httptest.NewServer(f.checker(t, Options{}).GatewayHandler())
	defer plain.Close()
	assert.Equal(t, "404 not_found", call(t, "GET", plain.URL+MetricsPath, nil, "").outcome)
}

func TestMetricsFollowReloadsAndTheCallLog(t *testing.T) {
	f := newFixture(t)
	reg := prometheus.NewRegistry()
	calls := NewCallLog(f.store, nil, 1) // never run: the second call is dropped
	c := New(Options{Metrics: reg, Calls: calls})
	gw := httptest.NewServer(c.GatewayHandler())
	defer gw.Close()

	m := scrape.Get(t, gw.URL+MetricsPath)
	age, _ := m.Value("flowgate_snapshot_age_seconds", map[string]string{})
	assert.True(t, math.IsInf(age, 1), "nothing loaded: infinitely stale")
	generation, _ := m.Value("flowgate_settings_generation", map[string]string{})
	assert.EqualValues(t, -1, generation)

	require.NoError(t, c.Load(ctx, f.store))
	_, err := f.store.CreateWorkflow(ctx, model.NewWorkflow("brand-new"), store.SourceCLI)
	require.NoError(t, err)
	watchCtx, stop := context.WithCancel(ctx)
	watched := make(chan struct{})
	go func() { c.Watch(watchCtx, f.store, 5*time.Millisecond); close(watched) }()
	eventually(t, "the new workflow is loaded", func() bool { return c.snap.Load().workflow("brand-new") != nil })
	for range 3 {
		call(t, "POST", gw.URL+AuthPath+"/api/1.1/wf/public-none-post", nil, "")
	}
	m = scrape.Get(t, gw.URL+MetricsPath)
	reloads, _ := m.Value("flowgate_reloads_total", map[string]string{})
	assert.EqualValues(t, 1, reloads, "the first load is not a reload")
	generation, _ = m.Value("flowgate_settings_generation", map[string]string{})
	assert.EqualValues(t, c.Generation(), generation)
	age, _ = m.Value("flowgate_snapshot_age_seconds", map[string]string{})
	assert.False(t, math.IsInf(age, 0) || age < 0, "age %v", age)
	dropped, _ := m.Value("flowgate_calls_dropped_total", map[string]string{})
	assert.EqualValues(t, calls.Dropped(), dropped)
	assert.Positive(t, dropped)

	// A database that cannot be read: the errors are counted, the
	// settings in force stay.
	require.NoError(t, f.store.Close())
	eventually(t, "a failed poll is counted", func() bool {
		v, _ := scrape.Get(t, gw.URL+MetricsPath).Value("flowgate_reload_errors_total", map[string]string{})
		return v > 0
	})
	stop()
	<-watched
}

func TestMetricsLabelsHaveNoOtherValues(t *testing.T) {
	assert.Len(t, slices.Compact(slices.Sorted(slices.Values(statusLabels[:]))), numStatusSlots, "labels are distinct")
	for s := 100; s < 600; s++ {
		label := statusLabels[statusSlot(s)]
		assert.True(t, label == strings.TrimSpace(label) && (label == strconv.Itoa(s) || label == strconv.Itoa(s/100)+"xx"), "%d: %s", s, label)
	}
}
