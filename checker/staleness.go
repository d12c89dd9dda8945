package checker

import (
	"sync/atomic"
	"time"

	"flowgate/model"
)

// freshness is what the checker knows about its last successful check of
// the store. Decisions read deadline alone (one atomic load and one clock
// reading); Watch and Load write it.
type freshness struct {
	// born is the clock reading every instant below counts from: with
	// time.Now it carries Go's monotonic clock, so a wall-clock step does
	// not stretch or cut the allowed staleness.
	born time.Time
	// max is Options.MaxStaleness; 0 means no limit.
	max time.Duration
	// checked is when the store was last checked successfully, in
	// nanoseconds since born, and checkedWall the same instant as Unix
	// nanoseconds, for /_flowgate/healthz.
	checked, checkedWall atomic.Int64
	// deadline is checked+max: from then on every call is refused. Zero
	// when there is no limit.
	deadline atomic.Int64
	// failing reports that the last check of the store failed.
	failing atomic.Bool
}

// tooStale is the decision once the store has gone unchecked for longer
// than MaxStaleness: fail closed.
var tooStale = model.Decision{Status: 503, Code: model.CodeUnavailable,
	Message: "flowgate has not been able to read its settings store for longer than its maximum staleness; refusing every call until it can"}

// sinceBorn is the clock's reading in nanoseconds since the checker was
// made.
func (c *Checker) sinceBorn() int64 { return int64(c.now().Sub(c.fresh.born)) }

// markChecked records a successful check of the store, which pushes the
// fail-closed deadline MaxStaleness further.
func (c *Checker) markChecked() {
	now := c.now()
	at := int64(now.Sub(c.fresh.born))
	c.fresh.checked.Store(at)
	c.fresh.checkedWall.Store(now.UnixNano())
	if c.fresh.max > 0 {
		c.fresh.deadline.Store(at + int64(c.fresh.max))
	}
}

// tooStale reports that the store has gone unchecked for longer than
// MaxStaleness, so decisions must fail closed.
func (c *Checker) tooStale() bool {
	d := c.fresh.deadline.Load()
	return d != 0 && c.sinceBorn() >= d
}

// snapshotAge is how long ago the store was last checked successfully.
func (c *Checker) snapshotAge() time.Duration {
	return time.Duration(c.sinceBorn() - c.fresh.checked.Load())
}

// storeWatch is what Watch remembers between polls to log transitions
// only: one line when checks start failing, one when decisions start
// failing closed, one when checks work again, however many polls fail in
// between.
type storeWatch struct {
	failingSince time.Time
	closedLogged bool
}

// noteCheck records the outcome of one poll of the store and logs the
// transitions.
func (c *Checker) noteCheck(w *storeWatch, err error) {
	if err == nil {
		c.markChecked()
		if c.fresh.failing.Swap(false) {
			c.log.Info("reload works again", "generation", c.Generation(),
				"failed_for", c.now().Sub(w.failingSince).Round(time.Millisecond).String())
		}
		w.closedLogged = false
		return
	}
	if !c.fresh.failing.Swap(true) {
		w.failingSince = c.now()
		c.log.Error("reload failed; keeping the last good settings", "generation", c.Generation(), "error", err.Error(),
			"snapshot_age", c.snapshotAge().Round(time.Millisecond).String(), "max_staleness", maxStalenessName(c.fresh.max))
	}
	if !w.closedLogged && c.tooStale() {
		w.closedLogged = true
		c.log.Error("the settings store has not been readable for longer than the maximum staleness; refusing every call with 503 until it is",
			"generation", c.Generation(), "snapshot_age", c.snapshotAge().Round(time.Millisecond).String(), "max_staleness", maxStalenessName(c.fresh.max))
	}
}

// maxStalenessName is the limit for the log: a duration, or "none".
func maxStalenessName(d time.Duration) string {
	if d <= 0 {
		return "none"
	}
	return d.String()
}

// DefaultMaxStaleness is serve's --max-staleness: long enough to ride out a
// database restart or failover, short enough that a revocation made during
// an outage is enforced (by refusing everything) within minutes.
const DefaultMaxStaleness = 5 * time.Minute
