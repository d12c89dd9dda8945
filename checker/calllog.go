package checker

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"flowgate/store"
)

// Recorder stores batches of calls; *store.Store is one.
type Recorder interface {
	RecordCalls(ctx context.Context, calls []store.Call) error
}

// CallLog queues decisions for the calls table. Adding never blocks a
// request: when the queue is full the call is dropped and counted, and the
// writer reports the count. A single goroutine (Run) writes the queue in
// batches, so a busy gateway costs one transaction per batch.
type CallLog struct {
	queue   chan store.Call
	rec     Recorder
	log     *slog.Logger
	dropped atomic.Uint64 // queue full, or the batch failed to write
	written atomic.Uint64
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
)

// NewCallLog returns a call log writing to rec once Run is started.
func NewCallLog(rec Recorder, logger *slog.Logger, size int) *CallLog {
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &CallLog{queue: make(chan store.Call, size), rec: rec, log: logger}
}

// Add queues a call without blocking; it reports false if it was dropped.
func (l *CallLog) Add(c store.Call) bool {
	select {
	case l.queue <- c:
		return true
	default:
		l.dropped.Add(1)
		return false
	}
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
			batch = append(batch, c)
		case <-ctx.Done():
			l.drain(batch)
			return
		}
		linger.Reset(batchLinger)
	collect:
		for len(batch) < maxBatch {
			select {
			case c := <-l.queue:
				batch = append(batch, c)
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
			batch = append(batch, c)
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
