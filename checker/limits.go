package checker

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync/atomic"
	"time"
)

// Limits bound how long one connection can hold the server while sending
// little or nothing. Zero fields take the Default* values.
type Limits struct {
	// HeaderTimeout is how long a client has to send the request line and
	// headers (slow-loris); with TLS the handshake counts too.
	HeaderTimeout time.Duration
	// BodyTimeout is how long the whole request body may take to arrive,
	// counted from the end of the headers. It is a deadline, not an
	// inactivity timeout: a client trickling one byte now and then is cut
	// off when it expires, with the upstream request it was feeding.
	BodyTimeout time.Duration
	// IdleTimeout is how long a keep-alive connection may wait for its next
	// request.
	IdleTimeout time.Duration
}

// Defaults of Limits and of the serve flags that set them.
const (
	DefaultHeaderTimeout = 10 * time.Second
	DefaultBodyTimeout   = 60 * time.Second
	DefaultIdleTimeout   = 2 * time.Minute
)

// maxHeaderBytes bounds the request line and headers of one request.
const maxHeaderBytes = 64 << 10

// NewHTTPServer wraps h with the limits a gateway facing the internet
// needs: header, body and idle timeouts and a header size limit. There is
// no write timeout, so slow upstream answers can stream; the body deadline
// is per request (see Limits.BodyTimeout).
func NewHTTPServer(h http.Handler, errorLog *slog.Logger, limits Limits) *http.Server {
	limits = limits.withDefaults()
	s := &http.Server{
		Handler:           bodyDeadline(h, limits.BodyTimeout),
		ReadHeaderTimeout: limits.HeaderTimeout,
		IdleTimeout:       limits.IdleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	if errorLog != nil {
		s.ErrorLog = slog.NewLogLogger(errorLog.Handler(), slog.LevelWarn)
	}
	return s
}

func (l Limits) withDefaults() Limits {
	if l.HeaderTimeout <= 0 {
		l.HeaderTimeout = DefaultHeaderTimeout
	}
	if l.BodyTimeout <= 0 {
		l.BodyTimeout = DefaultBodyTimeout
	}
	if l.IdleTimeout <= 0 {
		l.IdleTimeout = DefaultIdleTimeout
	}
	return l
}

// bodyDeadline gives every request that has a body a read deadline of d
// from now, and wraps the body so that hitting it reads as ErrBodyTimeout.
// net/http lifts the deadline once the body is read to its end (it then
// reads ahead to notice a client that goes away), so the deadline bounds
// the body, not the wait for a slow upstream's answer. A request without a
// body gets none, for the same reason.
func bodyDeadline(h http.Handler, d time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			if http.NewResponseController(w).SetReadDeadline(time.Now().Add(d)) == nil {
				r.Body = &deadlineBody{ReadCloser: r.Body}
			}
		}
		h.ServeHTTP(w, r)
	})
}

// ErrBodyTimeout is what reading a body returns once its deadline passed;
// the proxy's error handler sees it when the caller, not the upstream, is
// at fault (GuardBody then answers 408).
var ErrBodyTimeout = errors.New("the request body did not arrive in time (--body-timeout)")

// deadlineBody is a request body under a read deadline. It is read by the
// handler's goroutine or, in the proxy, by the transport's: its state is
// safe for both.
type deadlineBody struct {
	io.ReadCloser
	timedOut atomic.Bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err != nil && errors.Is(err, os.ErrDeadlineExceeded) {
		b.timedOut.Store(true)
		err = ErrBodyTimeout
	}
	return n, err
}
