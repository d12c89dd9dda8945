package checker

import (
	"context"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The per-call cost of the metrics is the difference between each pair of
// benchmarks below (Off, On): the same answer with and without a registry.

func BenchmarkMetricsOffForwardAuth(b *testing.B) { benchmarkForwardAuthAnswer(b, nil) }
func BenchmarkMetricsOnForwardAuth(b *testing.B) {
	benchmarkForwardAuthAnswer(b, prometheus.NewRegistry())
}

func BenchmarkMetricsOffDecisionAnswer(b *testing.B) { benchmarkDecisionAnswer(b, nil) }
func BenchmarkMetricsOnDecisionAnswer(b *testing.B) {
	benchmarkDecisionAnswer(b, prometheus.NewRegistry())
}

// benchmarkForwardAuthAnswer is one /_flowgate/auth answer without the
// network, with the call log queue and an access log as serve has them.
func benchmarkForwardAuthAnswer(b *testing.B, reg *prometheus.Registry) {
	f := newFixture(b)
	calls := NewCallLog(f.store, nil, DefaultCallQueue)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go calls.Run(runCtx)
	h := f.checker(b, Options{AccessLog: io.Discard, Calls: calls, Metrics: reg}).GatewayHandler()
	req := httptest.NewRequest("GET", AuthPath, nil)
	req.Header.Set("X-Forwarded-Method", "POST")
	req.Header.Set("X-Forwarded-Uri", "/api/1.1/wf/public-admin-post?customer=42")
	req.Header.Set("Authorization", "Bearer "+f.admin)
	benchmarkAnswers(b, h, req)
}

// benchmarkDecisionAnswer is a workflow call answered 200 with the
// decision (serve without an upstream), with no log: the metrics' cost
// against the leanest answer.
func benchmarkDecisionAnswer(b *testing.B, reg *prometheus.Registry) {
	f := newFixture(b)
	h := f.checker(b, Options{Metrics: reg}).Handler(nil)
	req := httptest.NewRequest("POST", "/api/1.1/wf/public-admin-post", nil)
	req.Header.Set("Authorization", "Bearer "+f.admin)
	benchmarkAnswers(b, h, req)
}

// BenchmarkMetricsCount is what the metrics add to a call besides the
// decision timer's one clock read (BenchmarkMetricsClock): the count and
// the histogram, for a known workflow, from every core at once.
func BenchmarkMetricsCount(b *testing.B) {
	c := New(Options{Metrics: prometheus.NewRegistry()})
	res := Result{Workflow: "send-invoice", workflowMethod: "POST", decided: 3 * time.Microsecond}
	res.Allowed, res.Status = true, 200
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		r := res
		for pb.Next() {
			c.metrics.record("auth", &r)
		}
	})
}

// BenchmarkMetricsClock is the decision timer: one clock read per call
// (the call's start is read anyway, for the access log).
func BenchmarkMetricsClock(b *testing.B) {
	c := New(Options{Metrics: prometheus.NewRegistry()})
	var res Result
	start := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		c.timeDecision(&res, start)
	}
}
