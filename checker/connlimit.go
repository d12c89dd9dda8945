package checker

import (
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"
)

// GatewayReserve is how many connections the gateway listener can always
// open beyond the shared cap, so its health check answers while callers
// hold every other connection.
const GatewayReserve = 16

// capWarnInterval bounds how often reaching the cap is logged.
const capWarnInterval = 10 * time.Second

// ConnLimit caps the connections open at once across the listeners of one
// server, so callers cannot exhaust its file descriptors (each proxied call
// also needs one towards the upstream, and the database its own). At the
// cap a listener stops serving new connections: the next one waits,
// unanswered, and the ones after it in the kernel's queue, until an open
// one closes, rather than being accepted and dropped.
type ConnLimit struct {
	shared  chan struct{} // one element per open connection
	reserve chan struct{} // the gateway listener's own, used when shared is full
	max     int
	log     *slog.Logger
	warned  atomic.Int64 // unix nanoseconds of the last "limit reached" line
}

// NewConnLimit allows max connections across listeners, plus
// GatewayReserve on a listener made with gateway set. logger (nil: none)
// is told, at most every ten seconds, when the cap holds connections back.
func NewConnLimit(max int, logger *slog.Logger) *ConnLimit {
	return &ConnLimit{
		shared:  make(chan struct{}, max),
		reserve: make(chan struct{}, GatewayReserve),
		max:     max,
		log:     logger,
	}
}

// Listener applies the cap to ln. The gateway listener draws on its reserve
// once the shared connections are all taken.
func (l *ConnLimit) Listener(ln net.Listener, gateway bool) net.Listener {
	return &limitedListener{Listener: ln, limit: l, gateway: gateway, done: make(chan struct{})}
}

type limitedListener struct {
	net.Listener
	limit   *ConnLimit
	gateway bool
	done    chan struct{}
	close   sync.Once
}

// acquire takes a slot and returns the pool it came from, or nil when the
// listener was closed while waiting.
func (ln *limitedListener) acquire() chan struct{} {
	l := ln.limit
	select {
	case l.shared <- struct{}{}:
		return l.shared
	default:
	}
	var reserve chan struct{} // nil: never ready
	if ln.gateway {
		select {
		case l.reserve <- struct{}{}:
			return l.reserve
		default:
		}
		reserve = l.reserve
	}
	l.warnFull(ln.Addr())
	select {
	case l.shared <- struct{}{}:
		return l.shared
	case reserve <- struct{}{}:
		return reserve
	case <-ln.done:
		return nil
	}
}

func (l *ConnLimit) warnFull(addr net.Addr) {
	if l.log == nil {
		return
	}
	now, last := time.Now().UnixNano(), l.warned.Load()
	if now-last < int64(capWarnInterval) || !l.warned.CompareAndSwap(last, now) {
		return
	}
	l.log.Warn("connection limit reached: new connections wait until one closes",
		"listener", addr.String(), "max_conns", l.max)
}

// Accept takes a connection, then waits for a slot for it: a listener
// that took its slot before accepting would hold one while idle, and the
// gateway listener's idle Accept would shrink the callers' share.
func (ln *limitedListener) Accept() (net.Conn, error) {
	c, err := ln.Listener.Accept()
	if err != nil {
		return nil, err
	}
	pool := ln.acquire()
	if pool == nil {
		c.Close()
		return nil, net.ErrClosed
	}
	return &limitedConn{Conn: c, pool: pool}, nil
}

func (ln *limitedListener) Close() error {
	ln.close.Do(func() { close(ln.done) })
	return ln.Listener.Close()
}

// limitedConn gives its slot back when closed, once.
type limitedConn struct {
	net.Conn
	pool    chan struct{}
	release sync.Once
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.release.Do(func() { <-c.pool })
	return err
}
