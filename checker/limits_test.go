package checker

import (
	"bufio"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// patience bounds every wait for an outcome: generous, so a loaded machine
// does not fail a test; a test passing never waits this long.
const patience = 15 * time.Second

// bodyUpstream reports, for each request it gets, the body it read in
// full, or the error that cut it off.
type bodyUpstream struct {
	*httptest.Server
	got chan bodyResult
}

type bodyResult struct {
	body string
	err  error
}

func newBodyUpstream(t *testing.T) *bodyUpstream {
	u := &bodyUpstream{got: make(chan bodyResult, 16)}
	u.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		u.got <- bodyResult{string(b), err}
		w.WriteHeader(http.StatusCreated)
	}))
	t.Cleanup(u.Close)
	return u
}

func (u *bodyUpstream) next(t *testing.T) bodyResult {
	t.Helper()
	select {
	case r := <-u.got:
		return r
	case <-time.After(patience):
		t.Fatal("the upstream never finished reading a request")
		return bodyResult{}
	}
}

// limitedProxy is serve's stack in front of upstream: NewHTTPServer with
// limits, the checker, and a reverse proxy behind GuardBody.
func limitedProxy(t *testing.T, f *fixture, upstream string, limits Limits, maxBody int64) string {
	u, err := url.Parse(upstream)
	require.NoError(t, err)
	h := f.checker(t, Options{}).Handler(GuardBody(httputil.NewSingleHostReverseProxy(u), maxBody))
	srv := httptest.NewUnstartedServer(h)
	srv.Config = NewHTTPServer(h, nil, limits)
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

// trickle sends the headers of a call announcing a 1 MB body, then one
// byte at a time, until the connection fails. It returns the connection.
func trickle(t *testing.T, addr, path string) net.Conn {
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	_, err = io.WriteString(conn, "POST "+path+" HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n")
	require.NoError(t, err)
	go func() {
		for {
			if _, err := conn.Write([]byte("x")); err != nil {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	return conn
}

// readAnswer reads one response from conn.
func readAnswer(t *testing.T, conn net.Conn) (resp *http.Response, body string, br *bufio.Reader) {
	t.Helper()
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(patience)))
	br = bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	require.NoError(t, err)
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(b), br
}

// closedByServer reports that the server closed the connection (end of
// stream, or a reset when it left bytes unread) rather than kept it open.
func closedByServer(br *bufio.Reader) bool {
	_, err := br.ReadByte()
	var ne net.Error
	return err != nil && !(errors.As(err, &ne) && ne.Timeout())
}

func TestATricklingBodyIsCutOffWithItsUpstreamRequest(t *testing.T) {
	f := newFixture(t)
	up := newBodyUpstream(t)
	addr := limitedProxy(t, f, up.URL, Limits{BodyTimeout: 300 * time.Millisecond}, 0)

	conn := trickle(t, addr, "/api/1.1/wf/public-none-post")
	resp, body, br := readAnswer(t, conn)
	assert.Equal(t, http.StatusRequestTimeout, resp.StatusCode, body)
	assert.Contains(t, body, `"code":"body_timeout"`)
	assert.True(t, closedByServer(br), "the connection is closed")
	assert.Error(t, up.next(t).err, "the upstream never got a complete body")
}

func TestABodyInTimeSurvivesASlowUpstream(t *testing.T) {
	f := newFixture(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		time.Sleep(time.Second) // well past the body deadline below
		w.Write(b)
	}))
	defer slow.Close()
	addr := limitedProxy(t, f, slow.URL, Limits{BodyTimeout: 200 * time.Millisecond}, 0)
	r := call(t, "POST", "http://"+addr+"/api/1.1/wf/public-none-post", nil, "hello")
	assert.Equal(t, 200, r.status, "the deadline covers the body, not the answer")
	assert.Equal(t, "hello", r.body)
}

func TestMaxBodyRefusesLargerBodiesWith413(t *testing.T) {
	f := newFixture(t)
	up := newBodyUpstream(t)
	addr := limitedProxy(t, f, up.URL, Limits{}, 10)
	wf := "http://" + addr + "/api/1.1/wf/public-none-post"

	r := call(t, "POST", wf, nil, "0123456789")
	assert.Equal(t, 201, r.status, "a body of exactly the limit passes")
	assert.Equal(t, "0123456789", up.next(t).body)

	r = call(t, "POST", wf, nil, "0123456789A")
	assert.Equal(t, "413 body_too_large", r.outcome)
	assert.Contains(t, r.body, `{"statusCode":413,"body":{"status":"INVALID_REQUEST","code":"body_too_large"`)

	// Chunked: no length to refuse up front, so it is cut off at the limit.
	req, err := http.NewRequest("POST", wf, io.MultiReader(strings.NewReader("0123456789"), strings.NewReader("ABCDEF")))
	require.NoError(t, err)
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 413, resp.StatusCode, string(b))
	assert.Error(t, up.next(t).err, "the upstream never got a complete body")
	select {
	case got := <-up.got:
		t.Fatalf("the upstream got another request: %+v", got)
	default:
	}

	// A denied call keeps its denial, whatever its size.
	r = call(t, "POST", "http://"+addr+"/api/1.1/wf/public-admin-post", nil, strings.Repeat("x", 100))
	assert.Equal(t, "401 missing_token", r.outcome)
}

func TestAtTheConnectionCapTheGatewayListenerStillAnswers(t *testing.T) {
	f := newFixture(t)
	c := f.checker(t, Options{})
	var logs syncBuffer
	limit := NewConnLimit(2, slog.New(slog.NewTextHandler(&logs, nil)))
	listen := func(h http.Handler, gateway bool) string {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		srv := NewHTTPServer(h, nil, Limits{})
		go srv.Serve(limit.Listener(ln, gateway))
		t.Cleanup(func() { srv.Close() })
		return ln.Addr().String()
	}
	pub, gw := listen(c.PublicHandler(nil), false), listen(c.GatewayHandler(), true)

	health := "GET " + HealthPath + " HTTP/1.1\r\nHost: x\r\n\r\n"
	var held []net.Conn
	for range 2 {
		conn, err := net.Dial("tcp", pub)
		require.NoError(t, err)
		defer conn.Close()
		_, err = io.WriteString(conn, health)
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		require.NoError(t, err)
		require.Equal(t, 200, resp.StatusCode)
		held = append(held, conn)
	}
	waiting, err := net.Dial("tcp", pub)
	require.NoError(t, err)
	defer waiting.Close()
	_, err = io.WriteString(waiting, health)
	require.NoError(t, err)
	eventually(t, "a connection waiting at the cap", func() bool { return strings.Contains(logs.String(), "connection limit reached") })

	client := &http.Client{Timeout: patience}
	resp, err := client.Get("http://" + gw + HealthPath)
	require.NoError(t, err, "health on the gateway listener answers at the cap")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, string(b), `"generation"`)

	held[0].Close()
	resp, _, _ = readAnswer(t, waiting)
	assert.Equal(t, 200, resp.StatusCode, "the waiting connection is served once one closes")
}
