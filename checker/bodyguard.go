package checker

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
)

// GuardBody wraps the handler that consumes request bodies (the proxy) so
// a body over maxBody bytes (0: no limit) or late past the body deadline
// (see NewHTTPServer) is answered for what it is: 413 body_too_large or
// 408 body_timeout, with the connection closed, instead of the upstream
// failure the cut-off body causes. A Content-Length over the limit is
// refused before anything is forwarded; a chunked body is cut off at the
// limit, so the upstream never receives a complete request.
func GuardBody(next http.Handler, maxBody int64) http.Handler {
	tooLarge := []byte(fmt.Sprintf(`{"statusCode":413,"body":{"status":"INVALID_REQUEST","code":"body_too_large","message":"the request body is larger than %d bytes (--max-body)"}}`+"\n", maxBody))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if maxBody > 0 && r.ContentLength > maxBody {
			recordCode(w, codeBodyTooLarge)
			writeBodyRefused(w, http.StatusRequestEntityTooLarge, tooLarge)
			return
		}
		timed, _ := r.Body.(*deadlineBody)
		var capped *cappedBody
		if maxBody > 0 && r.Body != nil && r.Body != http.NoBody {
			capped = &cappedBody{ReadCloser: r.Body, left: maxBody}
			r = r.WithContext(r.Context()) // a shallow copy
			r.Body = capped
		}
		gw := &guardWriter{ResponseWriter: w, refusal: func() (int, []byte) {
			switch {
			case capped != nil && capped.exceeded.Load():
				recordCode(w, codeBodyTooLarge)
				return http.StatusRequestEntityTooLarge, tooLarge
			case timed != nil && timed.timedOut.Load():
				recordCode(w, codeBodyTimeout)
				return http.StatusRequestTimeout, bodyTimedOut
			}
			return 0, nil
		}}
		next.ServeHTTP(gw, r)
	})
}

// The codes of a body refused by a limit, as the logs record them.
const (
	codeBodyTooLarge = "body_too_large"
	codeBodyTimeout  = "body_timeout"
)

var bodyTimedOut = []byte(`{"statusCode":408,"body":{"status":"INVALID_REQUEST","code":"body_timeout","message":"the request body did not arrive in time (--body-timeout)"}}` + "\n")

// writeBodyRefused answers a body refused by a limit and closes the
// connection: what is left of the body is not worth reading.
func writeBodyRefused(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Connection", "close")
	writeJSON(w, status, body)
}

// cappedBody reads at most left bytes, then fails: a body that is larger
// than the limit never reaches its end, so nothing downstream takes it
// for complete.
type cappedBody struct {
	io.ReadCloser
	left     int64
	exceeded atomic.Bool
}

// ErrBodyTooLarge is what reading a body returns past the GuardBody limit;
// the proxy's error handler sees it when the caller, not the upstream, is
// at fault (GuardBody then answers 413).
var ErrBodyTooLarge = errors.New("the request body is larger than the limit (--max-body)")

func (b *cappedBody) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One more byte tells a body of exactly the limit from a larger one.
		var one [1]byte
		n, err := b.ReadCloser.Read(one[:])
		if n > 0 {
			b.exceeded.Store(true)
			return 0, ErrBodyTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	return n, err
}

// guardWriter replaces the answer of a call whose body was refused by a
// limit, when the refusal came before the answer started.
type guardWriter struct {
	http.ResponseWriter
	refusal func() (int, []byte)
	started bool
	dropped bool // the refusal was sent: swallow what the handler writes
}

func (g *guardWriter) WriteHeader(status int) {
	if status >= 100 && status < 200 && status != http.StatusSwitchingProtocols {
		if !g.started {
			g.ResponseWriter.WriteHeader(status) // informational: the answer is still to come
		}
		return
	}
	if g.started {
		return
	}
	g.started = true
	if code, body := g.refusal(); code != 0 {
		g.dropped = true
		writeBodyRefused(g.ResponseWriter, code, body)
		return
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *guardWriter) Write(p []byte) (int, error) {
	if !g.started {
		g.WriteHeader(http.StatusOK)
	}
	if g.dropped {
		return len(p), nil
	}
	return g.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection (the proxy
// flushes streamed answers through it).
func (g *guardWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }
