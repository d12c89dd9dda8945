package checker

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// BenchmarkDecisionWithToken is the request path of every mode: credential
// parsing, checksum, SHA-256, token and workflow lookups, expiry, Decide.
func BenchmarkDecisionWithToken(b *testing.B) {
	f := newFixture(b)
	c := f.checker(b, Options{AllowQueryToken: true})
	req := &Request{Method: "POST", Path: "/version-live/api/1.1/wf/public-admin-post",
		RawQuery: "customer=42", Authorization: []string{"Bearer " + f.admin}}
	b.ReportAllocs()
	for b.Loop() {
		if res := c.Check(req); !res.Allowed {
			b.Fatal(res.Decision)
		}
	}
}

// BenchmarkDecisionQueryToken takes the token from the api_token parameter.
func BenchmarkDecisionQueryToken(b *testing.B) {
	f := newFixture(b)
	c := f.checker(b, Options{AllowQueryToken: true})
	req := &Request{Method: "POST", Path: "/api/1.1/wf/Send-Invoice", RawQuery: "customer=42&api_token=" + f.user}
	b.ReportAllocs()
	for b.Loop() {
		if res := c.Check(req); !res.Allowed {
			b.Fatal(res.Decision)
		}
	}
}

// BenchmarkDecisionScopedToken decides with a token whose workflows scope
// is a list of globs, the last of which matches.
func BenchmarkDecisionScopedToken(b *testing.B) {
	f := newFixture(b)
	c := f.checker(b, Options{})
	req := &Request{Method: "POST", Path: "/api/1.1/wf/Send-Invoice", Authorization: []string{"Bearer " + f.userGlob}}
	benchmarkAllowed(b, c, req)
}

// BenchmarkDecisionFileToken decides a file request: strict path parsing,
// the prefix lookup and the token's files scope.
func BenchmarkDecisionFileToken(b *testing.B) {
	f := newFixture(b)
	c := f.checker(b, Options{})
	req := &Request{Method: "GET", Path: sharedFile, Authorization: []string{"Bearer " + f.reader}}
	benchmarkAllowed(b, c, req)
}

// BenchmarkDecisionLink decides a file request with a share link in
// fg_link: query parsing, checksum, SHA-256, link lookup, expiry, path.
func BenchmarkDecisionLink(b *testing.B) {
	f := newFixture(b)
	c := f.checker(b, Options{})
	req := &Request{Method: "GET", Path: sharedFile, RawQuery: "page=2&fg_link=" + f.link}
	benchmarkAllowed(b, c, req)
}

// benchmarkAllowed checks req repeatedly; each decision must allow it.
func benchmarkAllowed(b *testing.B, c *Checker, req *Request) {
	b.ReportAllocs()
	for b.Loop() {
		if res := c.Check(req); !res.Allowed {
			b.Fatal(res.Decision)
		}
	}
}

// BenchmarkForwardAuthHandler is one /_flowgate/auth answer without the
// network: decision, identity headers, call log queue and access log line.
func BenchmarkForwardAuthHandler(b *testing.B) {
	f := newFixture(b)
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	calls := NewCallLog(f.store, logger, DefaultCallQueue)
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	go calls.Run(runCtx)
	h := f.checker(b, Options{Logger: logger, AccessLog: io.Discard, Calls: calls}).Handler(nil)
	req := httptest.NewRequest("GET", AuthPath, nil)
	req.Header.Set("X-Forwarded-Method", "POST")
	req.Header.Set("X-Forwarded-Uri", "/api/1.1/wf/public-admin-post?customer=42")
	req.Header.Set("Authorization", "Bearer "+f.admin)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkForwardAuthAnswer is one /_flowgate/auth answer without the call
// log, whose SQLite writer would share the CPU: what the request path
// itself costs (decision, identity headers, query, access line).
func BenchmarkForwardAuthAnswer(b *testing.B) {
	f := newFixture(b)
	h := f.checker(b, Options{AccessLog: io.Discard}).Handler(nil)
	req := httptest.NewRequest("GET", AuthPath, nil)
	req.Header.Set("X-Forwarded-Method", "POST")
	req.Header.Set("X-Forwarded-Uri", "/api/1.1/wf/public-admin-post?customer=42")
	req.Header.Set("Authorization", "Bearer "+f.admin)
	benchmarkAnswers(b, h, req)
}

// BenchmarkMiddlewareAnswer is one allowed call through Middleware to a
// handler that does nothing, without the call log: the decision, the
// cleaned copy of the request with the identity headers, the access line.
func BenchmarkMiddlewareAnswer(b *testing.B) {
	f := newFixture(b)
	next := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	h := f.checker(b, Options{AccessLog: io.Discard}).Middleware(next)
	req := httptest.NewRequest("POST", "/api/1.1/wf/public-admin-post?customer=42", nil)
	req.Header.Set("Authorization", "Bearer "+f.admin)
	benchmarkAnswers(b, h, req)
}

// benchmarkAnswers serves req repeatedly; each answer must be 200. The
// recorder is reused (its header map cleared) so that what is counted is
// the handler's work.
func benchmarkAnswers(b *testing.B, h http.Handler, req *http.Request) {
	w := httptest.NewRecorder()
	b.ReportAllocs()
	for b.Loop() {
		clear(w.Header())
		w.Code, w.Body = 200, nil
		h.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

// BenchmarkProxyAnswer is one allowed call through the proxy (Handler with
// NewProxy) to a loopback upstream answering 2 KiB, without the call log:
// the decision, the cleaned request, the round trip, the copied answer.
func BenchmarkProxyAnswer(b *testing.B) {
	f := newFixture(b)
	body := make([]byte, 2<<10)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write(body) }))
	defer app.Close()
	u, _ := url.Parse(app.URL)
	h := f.checker(b, Options{AccessLog: io.Discard}).Handler(NewProxy(ProxyOptions{Upstream: u}))
	req := httptest.NewRequest("POST", "/api/1.1/wf/public-admin-post?customer=42", nil)
	req.Header.Set("Authorization", "Bearer "+f.admin)
	benchmarkAnswers(b, h, req)
}

// BenchmarkAccessLine formats and writes one access line (to io.Discard).
func BenchmarkAccessLine(b *testing.B) {
	l := &accessLog{out: io.Discard}
	res := &Result{Workflow: "send-invoice"}
	res.Allowed, res.Status, res.Credential.TokenID = true, 200, "tok_qqEzCJwKnoIn"
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		l.write(now, "auth", "POST", res, "127.0.0.1", 1234*time.Microsecond)
	}
}

// BenchmarkAccessLineToFile writes access lines from 32 goroutines at once
// through a LogWriter to a file, as serve does under load: what a request
// waits for to log its call.
func BenchmarkAccessLineToFile(b *testing.B) {
	f, err := os.Create(filepath.Join(b.TempDir(), "access.log"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	lw := NewLogWriter(f, 100*time.Millisecond)
	defer lw.Close()
	l := &accessLog{out: lw}
	res := &Result{Workflow: "send-invoice"}
	res.Allowed, res.Status, res.Credential.TokenID = true, 200, "tok_qqEzCJwKnoIn"
	b.ReportAllocs()
	b.SetParallelism(16)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			l.write(time.Now(), "auth", "POST", res, "127.0.0.1", 1234*time.Microsecond)
		}
	})
}
