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

// Recorder stores what the call log counted; *store.Store is one.
type Recorder interface {
	// RecordCalls adds per-minute counts (see store.Call).
	RecordCalls(ctx context.Context, calls []store.Call) error
	// PruneCalls deletes the counts of minutes before cutoff, about
	// limit rows at most, and says how many went.
	PruneCalls(ctx context.Context, cutoff time.Time, limit int) (int64, error)
}

// CallLog queues decisions for the call log's per-minute counts. Adding
// never blocks a request: when the queue is full, in entries or in bytes,
// the call is dropped and counted, and the writer reports the count. A
// single goroutine (Run) takes calls off the queue, sums them per key and
// minute (callTally) and writes the sums, so a busy gateway costs a few
// rows per write rather than a row per call; the same goroutine prunes
// minutes older than the retention (SetRetention). Its memory is bounded
// whatever callers send: every field is capped (see maxLoggedWorkflow) and
// so are the queued bytes and the keys summed between two writes.
type CallLog struct {
	queue     chan store.Call
	rec       Recorder
	log       *slog.Logger
	maxBytes  int64
	retention time.Duration // 0: keep every minute
	queued    atomic.Int64  // bytes of the calls in the queue (see callBytes)
	dropped   atomic.Uint64 // queue full, or the batch failed to write
	written   atomic.Uint64
}

// Default sizes of the call log: the queue absorbs about a second of a busy
// gateway's calls while a batch is written.
const (
	DefaultCallQueue = 16384
	// maxBatch is how many keys the writer sums before it writes, even
	// if batchLinger has not passed.
	maxBatch = 2000
	// batchLinger is how long the writer sums calls after the first one
	// of a batch: calls reach the table at most this late, and a busy
	// gateway writes a few small transactions a second, whatever its
	// rate.
	batchLinger = 100 * time.Millisecond
	// queuedBytesPerCall sizes the byte bound of the queue: size calls of
	// this many bytes each (typical calls take about 150). A queue of
	// calls with every field at its cap fills by bytes first.
	queuedBytesPerCall = 256
)

// Retention: the writer prunes once a minute, a bounded number of rows at
// a time, so that pruning a long backlog (a shorter retention, a restart
// after months) never holds the queue up for long; while there is more to
// prune it comes back every pruneAgain.
const (
	pruneInterval = time.Minute
	pruneAgain    = time.Second
	pruneChunk    = 2000
)

// callBytes is what a queued call holds in memory: the struct and its
// strings.
func callBytes(c *store.Call) int64 {
	return int64(unsafe.Sizeof(*c)) + int64(len(c.Workflow)+len(c.TokenID)+len(c.LinkID)+len(c.Via)+len(c.Code)+len(c.RemoteAddr))
}

// boundCall caps every field of a call (see maxLoggedWorkflow), so what
// one call stores is bounded whatever it came from.
func boundCall(c store.Call) store.Call {
	c.Workflow = capped(c.Workflow, maxLoggedWorkflow)
	c.TokenID = capped(c.TokenID, maxLoggedTokenID)
	c.LinkID = capped(c.LinkID, maxLoggedTokenID)
	c.Via = capped(c.Via, maxLoggedCode)
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

// SetRetention makes Run prune the minutes older than d (0, the default,
// keeps them all). Call it before Run.
func (l *CallLog) SetRetention(d time.Duration) { l.retention = d }

// Add queues one call decided at c.At, its fields capped, without
// blocking; it reports false if it was dropped because the queue is full.
// The queue keeps c's strings as given: pass copies rather than slices of
// a large buffer such as a request header (the checker does), or the bound
// holds the buffer too.
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

// Run sums queued calls and writes the sums until ctx is done, then writes
// what is still queued and returns: call it in its own goroutine and wait
// for it on shutdown so the last calls are kept. With a retention it also
// prunes old minutes, between two writes: at once, then every minute.
func (l *CallLog) Run(ctx context.Context) {
	tally := newCallTally()
	var reported uint64
	linger := time.NewTimer(batchLinger)
	linger.Stop()
	prune := time.NewTimer(0)
	defer prune.Stop()
	if l.retention <= 0 {
		prune.Stop()
	}
	for {
		select {
		case c := <-l.queue:
			if tally.empty() {
				linger.Reset(batchLinger)
			}
			tally.add(l.take(c))
			if !tally.full() {
				continue
			}
			linger.Stop()
		case <-linger.C:
		case <-prune.C:
			prune.Reset(l.prune())
			continue
		case <-ctx.Done():
			linger.Stop()
			l.drain(tally)
			return
		}
		l.write(tally)
		reported = l.reportDrops(reported)
	}
}

// reportDrops logs the calls dropped since the last report, and returns
// the new total.
func (l *CallLog) reportDrops(reported uint64) uint64 {
	if d := l.dropped.Load(); d != reported {
		l.log.Warn("call log dropped calls", "dropped_since_last_report", d-reported, "dropped_total", d)
		return d
	}
	return reported
}

// drain writes everything still queued at shutdown.
func (l *CallLog) drain(tally *callTally) {
	for {
		select {
		case c := <-l.queue:
			if tally.add(l.take(c)); tally.full() {
				l.write(tally)
			}
		default:
			l.write(tally)
			if d := l.dropped.Load(); d > 0 {
				l.log.Warn("call log finished with dropped calls", "dropped_total", d)
			}
			return
		}
	}
}

// write stores the tally and empties it; a failure drops its calls
// (counted) rather than holding back the queue behind a broken database.
func (l *CallLog) write(tally *callTally) {
	if tally.empty() {
		return
	}
	defer tally.reset()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := l.rec.RecordCalls(ctx, tally.rows); err != nil {
		l.dropped.Add(tally.calls)
		l.log.Error("call log write failed", "calls", tally.calls, "error", err.Error())
		return
	}
	l.written.Add(tally.calls)
}

// prune deletes one bounded step of minutes older than the retention and
// says when to prune next: soon while there is a backlog. A failure is
// logged and retried at the next interval; it loses no call.
func (l *CallLog) prune() time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, err := l.rec.PruneCalls(ctx, time.Now().Add(-l.retention), pruneChunk)
	if err != nil {
		l.log.Error("call log prune failed", "error", err.Error())
		return pruneInterval
	}
	if n > 0 {
		l.log.Debug("call log pruned old minutes", "rows", n, "retention", l.retention.String())
	}
	if n >= pruneChunk {
		return pruneAgain
	}
	return pruneInterval
}
