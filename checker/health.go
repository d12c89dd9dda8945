package checker

import (
	"net/http"
	"time"
)

// healthReport is /_flowgate/healthz on a listener that does not face
// callers (the gateway listener, or --listen without an upstream): what an
// operator of a fleet needs to see which build runs, on which settings, and
// how fresh they are. It says nothing about how many workflows or tokens
// exist. Its keys are a contract with monitoring.
type healthReport struct {
	// Status is "ok"; "stale" while the store cannot be read and calls
	// are still decided from the last good snapshot (answered 200: the
	// checker works); or "unavailable" (503) when no snapshot is loaded or
	// the last successful check is older than the maximum staleness.
	Status     string `json:"status"`
	Version    string `json:"version"`
	Backend    string `json:"backend"`
	Generation int64  `json:"generation"`
	// SnapshotAgeSeconds is the time since the last successful check of
	// the store, which confirmed the loaded snapshot current; null while
	// none is loaded.
	SnapshotAgeSeconds *float64 `json:"snapshot_age_seconds"`
	// LastCheck is that check's time (RFC 3339, UTC); null while none.
	LastCheck *time.Time `json:"last_check"`
	// MaxStalenessSeconds is the limit on SnapshotAgeSeconds while the
	// store cannot be read; null for none.
	MaxStalenessSeconds *float64 `json:"max_staleness_seconds"`
	CallsDropped        uint64   `json:"calls_dropped"`
}

// health reports the checker's state and the HTTP status that goes with
// it.
func (c *Checker) health() (healthReport, int) {
	h := healthReport{Status: "ok", Version: c.version, Backend: c.backend, Generation: c.Generation()}
	status := http.StatusOK
	if c.fresh.max > 0 {
		h.MaxStalenessSeconds = seconds(c.fresh.max)
	}
	if c.calls != nil {
		h.CallsDropped = c.calls.Dropped()
	}
	if h.Generation < 0 {
		h.Status = "unavailable"
		return h, http.StatusServiceUnavailable
	}
	h.SnapshotAgeSeconds = seconds(c.snapshotAge())
	last := time.Unix(0, c.fresh.checkedWall.Load()).UTC()
	h.LastCheck = &last
	switch {
	case c.tooStale():
		h.Status, status = "unavailable", http.StatusServiceUnavailable
	case c.fresh.failing.Load():
		h.Status = "stale"
	}
	return h, status
}

// seconds is d in seconds to the millisecond, for JSON.
func seconds(d time.Duration) *float64 {
	s := float64(d.Milliseconds()) / 1000
	return &s
}
