package checker

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"flowgate/store"
)

// Source is where settings come from; *store.Store is one. Generation must
// be cheap: it is polled several times a second. ReadDelta is what changed
// after a generation, so that a reload costs what changed, not what is
// stored.
type Source interface {
	Generation(ctx context.Context) (int64, error)
	ReadSnapshot(ctx context.Context) (store.Snapshot, error)
	ReadDelta(ctx context.Context, since int64) (store.Delta, error)
}

// PollInterval is how often Watch looks for changes: a change saved in any
// process is enforced within about this long. A poll is one stat and one
// read of the generation, and a reload costs what changed (milliseconds
// among a million tokens), so polling often is cheap.
const PollInterval = 100 * time.Millisecond

// Notifier is a Source that says when the settings changed, so that Watch
// reloads at once rather than at its next poll: *store.Store on PostgreSQL,
// through LISTEN/NOTIFY. Changes returns nil when the source cannot say
// (a SQLite file): then Watch polls alone.
type Notifier interface {
	Changes() <-chan struct{}
}

// NotifiedPollInterval is how often Watch polls a Source that notifies: a
// safety net for a notification lost with its connection, and the check of
// the store that --max-staleness counts.
const NotifiedPollInterval = time.Second

// checkTimeout bounds a poll's check for a change (one row read), and
// reloadTimeout a whole poll, reading the changes included: a store that
// stops answering without closing its connections (a network partition)
// must count as a failed check within seconds, so that healthz and the log
// say so, not when TCP gives up a quarter of an hour later.
const (
	checkTimeout  = 2 * time.Second
	reloadTimeout = time.Minute
)

// Load reads a complete snapshot from src and makes it current, which
// counts as a successful check of the store (see Options.MaxStaleness). On
// error the previous snapshot (if any) stays in force.
func (c *Checker) Load(ctx context.Context, src Source) error {
	s, err := src.ReadSnapshot(ctx)
	if err != nil {
		return fmt.Errorf("load settings: %w", err)
	}
	snap := newSnapshot(s)
	prev := c.snap.Swap(snap)
	c.metrics.loaded(prev != nil)
	c.markChecked()
	if workflows, tokens, links := snap.sizes(); workflows+tokens+links >= largeSettings {
		// The rows read (and the previous snapshot) are garbage now, about
		// as large as the snapshot: hand them back to the system at once
		// rather than over the next minutes, so that the process's memory
		// is close to what it holds.
		debug.FreeOSMemory()
	}
	return nil
}

// largeSettings is the size of settings (workflows, token keys and links)
// from which a full load returns its garbage to the system at once.
const largeSettings = 100_000

// Watch polls src every interval and applies the changes whenever the
// generation differs from the loaded one, or the file was replaced (see
// Replaceable), until ctx is done. Every poll that reads the store, changed
// or not, counts as a successful check (see Options.MaxStaleness). A failed
// poll or reload keeps the last good snapshot and is retried at the next
// tick; the log says when polls start failing (and why), when decisions
// start failing closed, and when polls work again, one line each, so an
// outage does not flood it.
//
// A Source that is a Notifier (PostgreSQL) wakes Watch as soon as a change
// commits anywhere; the poll then only backs notifications up, every
// NotifiedPollInterval at most.
func (c *Checker) Watch(ctx context.Context, src Source, interval time.Duration) {
	var notified <-chan struct{}
	if n, ok := src.(Notifier); ok {
		if notified = n.Changes(); notified != nil {
			interval = max(interval, NotifiedPollInterval)
		}
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	var w storeWatch
	replaced := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-notified:
		}
		poll, cancel := context.WithTimeout(ctx, reloadTimeout)
		err := c.reloadIfChanged(poll, src, &replaced)
		cancel()
		c.metrics.polled(err)
		if err != nil && ctx.Err() != nil {
			return
		}
		c.noteCheck(&w, err)
	}
}

// Replaceable is a Source whose file can be replaced underneath it, such
// as a backup restored with `mv` while the checker runs; *store.Store is
// one. ReopenIfReplaced opens the new file and reports true, and is
// cheap when nothing changed.
type Replaceable interface {
	Source
	ReopenIfReplaced(ctx context.Context) (bool, error)
	Path() string
}

// reloadIfChanged applies the changes since the loaded generation if the
// database moved on (applyChanges), or loads everything when it was
// replaced by another file: then the new file is read whatever its
// generation says, since a restored backup's count may equal the old one.
// *replaced carries a replacement whose load failed over to the next poll.
func (c *Checker) reloadIfChanged(ctx context.Context, src Source, replaced *bool) error {
	r, replaceable := src.(Replaceable)
	if replaceable {
		now, err := r.ReopenIfReplaced(ctx)
		if err != nil {
			return err
		}
		*replaced = *replaced || now
	}
	if *replaced {
		if err := c.Load(ctx, src); err != nil {
			return err
		}
		*replaced = false
		c.log.Info("database file replaced; reloaded from "+r.Path(), "generation", c.Generation())
		return nil
	}
	check, cancel := context.WithTimeout(ctx, checkTimeout)
	gen, err := src.Generation(check)
	cancel()
	if err != nil {
		return err
	}
	cur := c.snap.Load()
	if cur != nil && gen == cur.generation {
		return nil
	}
	start := time.Now()
	applied, removed, added := "everything", 0, 0
	if cur == nil {
		err = c.Load(ctx, src)
	} else {
		applied, removed, added, err = c.applyChanges(ctx, src, cur)
	}
	if err != nil {
		return err
	}
	s := c.snap.Load()
	workflows, tokens, links := s.sizes()
	c.log.Info("settings reloaded", "generation", s.generation, "read", applied, "removed", removed, "added", added,
		"workflows", workflows, "tokens", tokens, "prefixes", len(s.prefixes), "links", links,
		"took", time.Since(start).Round(time.Microsecond).String())
	return nil
}

// applyChanges reads what changed since cur and makes cur with those
// changes current, or loads everything when the store can no longer tell
// the changes (see store.Delta.Full). It says which it read ("changes" or
// "everything") and how many keys the changes removed and added.
func (c *Checker) applyChanges(ctx context.Context, src Source, cur *snapshot) (applied string, removed, added int, err error) {
	d, err := src.ReadDelta(ctx, cur.generation)
	if err != nil {
		return "", 0, 0, fmt.Errorf("read changes: %w", err)
	}
	if d.Full {
		return "everything", 0, 0, c.Load(ctx, src)
	}
	// Only Watch swaps after the first load; should a Load have run in
	// between, the next poll reads the changes since it instead.
	if c.snap.CompareAndSwap(cur, cur.applyDelta(d)) {
		c.metrics.loaded(true)
	}
	removed, added = deltaSize(d)
	return "changes", removed, added, nil
}
