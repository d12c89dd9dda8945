package checker

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"flowgate/store"
)

// logged is a checker with both logs on: the access log in a buffer and
// the call log in the fixture's database.
type logged struct {
	*Checker
	access *syncBuffer
	calls  *CallLog
	stop   func() // stops the call log writer after it wrote the queue
}

func (f *fixture) loggedChecker(t *testing.T, opts Options) *logged {
	t.Helper()
	l := &logged{access: &syncBuffer{}}
	logger := slog.New(slog.NewJSONHandler(l.access, nil))
	l.calls = NewCallLog(f.store, logger, 100)
	opts.Logger, opts.AccessLog, opts.Calls = logger, l.access, l.calls
	l.Checker = f.checker(t, opts)
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { l.calls.Run(runCtx); close(done) }()
	l.stop = func() { cancel(); <-done }
	t.Cleanup(l.stop)
	return l
}

// storedCalls stops the call log writer and reads what it stored, oldest
// first.
func (l *logged) storedCalls(t *testing.T, s *store.Store) []store.Call {
	t.Helper()
	l.stop()
	got, err := s.ListCalls(ctx, store.CallFilter{})
	require.NoError(t, err)
	for i, j := 0, len(got)-1; i < j; i, j = i+1, j-1 {
		got[i], got[j] = got[j], got[i]
	}
	return got
}

// accessLines are the access log's "call" lines, decoded.
func (l *logged) accessLines(t *testing.T) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, raw := range strings.Split(strings.TrimSpace(l.access.String()), "\n") {
		var line map[string]any
		require.NoError(t, json.Unmarshal([]byte(raw), &line), raw)
		if line["msg"] == "call" {
			lines = append(lines, line)
		}
	}
	return lines
}

// rawConn is a client connection that sends requests byte for byte, so a
// test can send what http.Client would refuse or rewrite, and keep using
// the connection after the answer.
type rawConn struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return &rawConn{t: t, conn: conn, r: bufio.NewReader(conn)}
}

// send writes one request (head lines joined with CRLF, no body) and reads
// the answer; the body is read whole unless the answer switched protocols.
func (c *rawConn) send(head ...string) (*http.Response, string) {
	c.t.Helper()
	_, err := io.WriteString(c.conn, strings.Join(head, "\r\n")+"\r\n\r\n")
	require.NoError(c.t, err)
	resp, err := http.ReadResponse(c.r, nil)
	require.NoError(c.t, err)
	if resp.StatusCode == http.StatusSwitchingProtocols {
		return resp, ""
	}
	b, err := io.ReadAll(resp.Body)
	require.NoError(c.t, err)
	return resp, string(b)
}

// outcomeOf is "400 invalid_request" for a JSON denial, else the status.
func outcomeOf(t *testing.T, resp *http.Response, body string) string {
	t.Helper()
	out := strconv.Itoa(resp.StatusCode)
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") && resp.StatusCode >= 400 {
		var d denialBody
		require.NoError(t, json.Unmarshal([]byte(body), &d), body)
		out += " " + d.Body.Code
	}
	return out
}
