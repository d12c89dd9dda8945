package checker

import "sync"

// proxyBufferSize is the size of the buffer the proxy copies each upstream
// response body through: httputil.ReverseProxy's own default.
const proxyBufferSize = 32 << 10

// proxyBuffers is the proxy's httputil.BufferPool. Without one,
// ReverseProxy allocates a fresh 32 KiB buffer for every response, which
// at gateway rates is most of what the garbage collector has to do. A
// buffer only ever holds bytes that are being copied: the next call
// writes out only what it reads into it, never what was there before.
type proxyBuffers struct{ pool sync.Pool }

// Get returns a buffer of proxyBufferSize bytes.
func (p *proxyBuffers) Get() []byte {
	if b, ok := p.pool.Get().(*[proxyBufferSize]byte); ok {
		return b[:]
	}
	return new([proxyBufferSize]byte)[:]
}

// Put takes back a buffer from Get; anything else is left to the collector.
// Pooling the array pointer rather than the slice keeps Put free of
// allocation.
func (p *proxyBuffers) Put(b []byte) {
	if cap(b) == proxyBufferSize {
		p.pool.Put((*[proxyBufferSize]byte)(b[:proxyBufferSize]))
	}
}
