// Package tcpcut is a TCP proxy that a test controls, to cut processes off
// from a server (flowgate's PostgreSQL store) and to restore the link,
// without stopping either side. It exists because an outage of a shared
// store is what a fleet of checkers must ride out: killing the database
// would take every other test's database with it, and a firewall rule
// needs root. For tests only.
//
// A cut ends the open connections, as a server that went away would; new
// ones are accepted but never answered, so a client learns of the outage
// only through its own timeouts. Silence is a network partition as the
// client sees it: not even the open connections end, their bytes are just
// dropped. Restore ends the silent connections (their clients retry) and
// forwards again.
package tcpcut

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// Proxy forwards every connection made to Addr to its target until Cut.
type Proxy struct {
	ln     net.Listener
	target string

	// silent drops the bytes of the open connections (see Silence).
	silent atomic.Bool

	mu  sync.Mutex
	cut bool
	// open holds both ends of every forwarded connection, and held the
	// connections accepted during a cut, left unanswered.
	open map[net.Conn]struct{}
	held map[net.Conn]struct{}
	// connections counts the connections accepted so far.
	connections int

	wg sync.WaitGroup
}

// Start listens on a free loopback port and forwards to target (host:port)
// until the test ends.
func Start(t testing.TB, target string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("tcpcut: listen: %v", err)
	}
	p := &Proxy{ln: ln, target: target, open: map[net.Conn]struct{}{}, held: map[net.Conn]struct{}{}}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.Close)
	return p
}

// Addr is the address clients dial instead of the target.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Connections is how many connections clients have made through the proxy,
// held ones included.
func (p *Proxy) Connections() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.connections
}

// Cut closes every forwarded connection and holds every new one silent
// until Restore.
func (p *Proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	closeAll(p.open)
}

// Silence drops every byte of the open connections, which stay open, and
// holds every new one silent until Restore.
func (p *Proxy) Silence() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = true
	p.silent.Store(true)
}

// Restore closes the connections held silent (since bytes were dropped,
// what they carry makes no sense any more) and forwards new connections
// again.
func (p *Proxy) Restore() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.silent.Swap(false) {
		closeAll(p.open)
	}
	p.cut = false
	closeAll(p.held)
}

// Close stops listening, closes every connection and waits for the
// proxy's goroutines.
func (p *Proxy) Close() {
	p.ln.Close()
	p.mu.Lock()
	closeAll(p.open)
	closeAll(p.held)
	p.mu.Unlock()
	p.wg.Wait()
}

// closeAll closes and forgets every connection of set.
func closeAll(set map[net.Conn]struct{}) {
	for c := range set {
		c.Close()
		delete(set, c)
	}
}

// accept takes connections until the listener closes.
func (p *Proxy) accept() {
	defer p.wg.Done()
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.connections++
		if p.cut {
			p.held[client] = struct{}{}
			p.mu.Unlock()
			continue
		}
		p.open[client] = struct{}{}
		p.mu.Unlock()
		p.wg.Add(1)
		go p.forward(client)
	}
}

// forward dials the target for client and copies both ways until either
// side ends or a cut closes them.
func (p *Proxy) forward(client net.Conn) {
	defer p.wg.Done()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		p.forget(client)
		return
	}
	p.mu.Lock()
	if _, still := p.open[client]; !still { // cut while dialling
		p.mu.Unlock()
		server.Close()
		return
	}
	p.open[server] = struct{}{}
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	pipe := func(dst, src net.Conn) {
		p.copy(dst, src)
		done <- struct{}{}
	}
	go pipe(server, client)
	go pipe(client, server)
	<-done
	p.forget(client, server)
	<-done
}

// copy copies src to dst, dropping what comes while the proxy is silent,
// until either side ends or a cut closes them.
func (p *Proxy) copy(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !p.silent.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// forget closes conns and drops them from the forwarded set.
func (p *Proxy) forget(conns ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range conns {
		c.Close()
		delete(p.open, c)
	}
}
