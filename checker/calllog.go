package checker

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"time"
	"unsafe"

	"flowgate/store"
)

// Recorder stores batches of calls; *store.Store is one.
type Recorder interface {
	RecordCalls(ctx context.Context, calls []store.Call) error
}

// CallLog queues decisions for the calls table. Adding never blocks a
// request: when the queue is full, in entries or in bytes, the call is
// dropped and counted, and the writer reports the count. A single goroutine
// (Run) writes the queue in batches, so a busy gateway costs one
// transaction per batch. Its memory is bounded whatever callers send:
// every field is capped (see maxLoggedWorkflow) and so are the queued bytes.
type CallLog struct {
	queue    chan store.Call
	rec      Recorder
	log      *slog.Logger
	maxBytes int64
	queued   atomic.Int64  // bytes of the calls in the queue (see callBytes)
	dropped  atomic.Uint64 // queue full, or the batch failed to write
	written  atomic.Uint64
}

// Default sizes of the call log: the queue absorbs about a second of a busy
// gateway's calls while a batch is written.
const (
	DefaultCallQueue = 16384
	maxBatch         = 2000
	// batchLinger is how long the writer waits for more calls after the
	// first one of a batch: calls reach the table at most this late, and
	// a busy gateway writes a few large transactions a second instead of
	// one small one per call.
	batchLinger = 100 * time.Millisecond
	// queuedBytesPerCall sizes the byte bound of the queue: size calls of
	// this many bytes each (typical calls take about 150). A queue of
	// calls with every field at its cap fills by bytes first.
	queuedBytesPerCall = 256
)

// callBytes is what a queued call holds in memory: the struct and its
// strings.
func callBytes(c *store.Call) int64 {
	return int64(unsafe.Sizeof(*c)) + int64(len(c.Workflow)+len(c.TokenID)+len(c.LinkID)+len(c.Code)+len(c.RemoteAddr))
}

// boundCall caps every field of a call (see maxLoggedWorkflow), so what
// one call stores is bounded whatever it came from.
func boundCall(c store.Call) store.Call {
	c.Workflow = capped(c.Workflow, maxLoggedWorkflow)
	c.TokenID = capped(c.TokenID, maxLoggedTokenID)
	c.LinkID = capped(c.LinkID, maxLoggedTokenID)
	c.Code = capped(c.Code, maxLoggedCode)
	c.RemoteAddr = capped(c.RemoteAddr, maxLoggedAddr)
	return c
}

// NewCallLog returns a call log writing to rec once Run is started. It
// queues at most size calls and size*256 bytes of them.
func NewCallLog(rec Recorder, logger *slog.Logger, size int) *CallLog {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &CallLog{queue: make(chan store.Call, size), rec: rec, log: logger,
		maxBytes: int64(size) * queuedBytesPerCall}
}

// Add queues a call, its fields capped, without blocking; it reports false
// if it was dropped because the queue is full. The queue keeps c's strings
// as given: pass copies rather than slices of a large buffer such as a
// request header (the checker does), or the bound holds the buffer too.
func (l *CallLog) Add(c store.Call) bool {
	c = boundCall(c)
	n := callBytes(&c)
	if l.queued.Add(n) > l.maxBytes {
		l.queued.Add(-n)
		l.dropped.Add(1)
		return false
	}
	select {
	case l.queue <- c:
		return true
	default:
		l.queued.Add(-n)
		l.dropped.Add(1)
		return false
	}
}

// take is a call received from the queue: its bytes leave the bound.
func (l *CallLog) take(c store.Call) store.Call {
	l.queued.Add(-callBytes(&c))
	return c
}

// Dropped is how many calls were not logged (queue full or write failed).
func (l *CallLog) Dropped() uint64 { return l.dropped.Load() }

// Written is how many calls were stored.
func (l *CallLog) Written() uint64 { return l.written.Load() }

// Run writes queued calls until ctx is done, then writes what is still
// queued and returns: call it in its own goroutine and wait for it on
// shutdown so the last calls are kept.
func (l *CallLog) Run(ctx context.Context) {
	batch := make([]store.Call, 0, maxBatch)
	var reported uint64
	linger := time.NewTimer(batchLinger)
	linger.Stop()
	for {
		select {
		case c := <-l.queue:
			batch = append(batch, l.take(c))
		case <-ctx.Done():
			l.drain(batch)
			return
		}
		linger.Reset(batchLinger)
	collect:
		for len(batch) < maxBatch {
			select {
			case c := <-l.queue:
				batch = append(batch, l.take(c))
			case <-linger.C:
				break collect
			case <-ctx.Done():
				linger.Stop()
				l.drain(batch)
				return
			}
		}
		linger.Stop()
		l.write(batch)
		batch = batch[:0]
		if d := l.dropped.Load(); d != reported {
			l.log.Warn("call log dropped calls", "dropped_since_last_report", d-reported, "dropped_total", d)
			reported = d
		}
	}
}

// fill takes whatever else is queued right now, up to a batch.
func (l *CallLog) fill(batch []store.Call) []store.Call {
	for len(batch) < maxBatch {
		select {
		case c := <-l.queue:
			batch = append(batch, l.take(c))
		default:
			return batch
		}
	}
	return batch
}

// drain writes everything still queued at shutdown.
func (l *CallLog) drain(batch []store.Call) {
	for {
		batch = l.fill(batch)
		if len(batch) == 0 {
			if d := l.dropped.Load(); d > 0 {
				l.log.Warn("call log finished with dropped calls", "dropped_total", d)
			}
			return
		}
		l.write(batch)
		batch = batch[:0]
	}
}

// write stores one batch; a failure drops it (counted) rather than holding
// back the queue behind a broken database.
func (l *CallLog) write(batch []store.Call) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := l.rec.RecordCalls(ctx, batch); err != nil {
		l.dropped.Add(uint64(len(batch)))
		l.log.Error("call log write failed", "calls", len(batch), "error", err.Error())
		return
	}
	l.written.Add(uint64(len(batch)))
}
