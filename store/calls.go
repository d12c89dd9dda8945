package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Call is what the call log knows of the calls that share a key (minute,
// workflow, token or link, status, code, entry point): how many there were,
// when, and from where the last came. The runtime checker produces one per
// decision (Count 0 stands for one call at At) and sums those of a minute
// before writing; ListCalls returns one per key and minute. It never holds
// the token itself.
type Call struct {
	// At is when the call was decided; in what ListCalls returns, the
	// first instant (UTC) of the minute counted.
	At time.Time
	// Workflow is the stored workflow name, the protected file prefix of a
	// file request (it starts with /), or "-" for anything else: the
	// checker records only names that exist. Calls logged before
	// schema 3 keep the name as it was requested.
	Workflow string
	TokenID  string // empty when no valid token was presented
	LinkID   string // the share link (lnk_…) presented; empty for none
	// Via is the entry point: proxy, middleware, auth or nginx-auth; "-"
	// for calls logged before entry points were recorded.
	Via    string
	Status int
	Code   string // empty when allowed
	// RemoteAddr is the caller's parsed IP; in what ListCalls returns, the
	// last caller of the minute.
	RemoteAddr string
	// Count is how many calls this is; 0 stands for 1.
	Count int64
	// FirstAt and LastAt are the first and last call counted; zero stands
	// for At.
	FirstAt, LastAt time.Time
}

// normal fills what a per-call Call leaves zero: its count and times.
func (c Call) normal() Call {
	c.Count = max(c.Count, 1)
	if c.FirstAt.IsZero() {
		c.FirstAt = c.At
	}
	if c.LastAt.IsZero() {
		c.LastAt = c.At
	}
	return c
}

// MinuteOf is the minute a call at t is counted in, as stored: Unix
// seconds of its first second.
func MinuteOf(t time.Time) int64 {
	s := t.Unix()
	return s - ((s%60)+60)%60
}

// callsPerInsert bounds the rows of one INSERT statement (SQLite allows
// 32766 bound parameters; eleven per row).
const callsPerInsert = 200

const insertCalls = `INSERT INTO calls (minute, workflow, token_id, link_id, status, code, via, count, first_at, last_at, last_remote) VALUES `

const callRow = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// addCounts adds a row's count to the one already stored for its key; the
// last remote is that of the latest call. (In DO UPDATE every column name
// is the stored row's value, whatever the order of the assignments.)
const addCounts = ` ON CONFLICT (minute, workflow, token_id, link_id, status, code, via) DO UPDATE SET
	count = calls.count + excluded.count,
	first_at = CASE WHEN excluded.first_at < calls.first_at THEN excluded.first_at ELSE calls.first_at END,
	last_remote = CASE WHEN excluded.last_at >= calls.last_at THEN excluded.last_remote ELSE calls.last_remote END,
	last_at = CASE WHEN excluded.last_at > calls.last_at THEN excluded.last_at ELSE calls.last_at END`

// RecordCalls adds a batch of calls to the per-minute counts in one
// transaction: a call whose key is already counted that minute costs no new
// row. The runtime checker sums a batch's calls per key first, so a busy
// gateway writes a few rows per flush, whatever its rate. The tokens and
// links presented get their last_used_at moved forward in the same
// transaction, at most once per clock minute each (see markUsed); that
// bookkeeping does not bump the generation.
//
// A transaction PostgreSQL aborts to break a deadlock with another
// process's (one that locks the same token or link rows in another order)
// wrote nothing, so it is tried again rather than losing the batch.
func (s *Store) RecordCalls(ctx context.Context, calls []Call) error {
	if len(calls) == 0 {
		return nil
	}
	if err := s.writable(); err != nil {
		return err
	}
	used, merged := lastUses(calls), mergeByKey(calls)
	for attempt := 1; ; attempt++ {
		err := s.recordCalls(ctx, merged, used)
		if isBusy(err) {
			return fmt.Errorf("database %s is locked by another process (waited %s); %d calls were not logged", s.path, s.lockWait(), countOf(calls))
		}
		if !isAbortedToRetry(err) || attempt == recordAttempts {
			return err
		}
	}
}

// recordAttempts bounds the tries of one batch.
const recordAttempts = 3

// recordCalls writes merged counts and marks uses in one transaction.
func (s *Store) recordCalls(ctx context.Context, calls []Call, used uses) error {
	tx, err := s.conn().BeginTx(ctx, nil)
	if isBusy(err) {
		return err
	}
	if err != nil {
		return fmt.Errorf("%s: log calls: %w", s.path, err)
	}
	defer tx.Rollback()
	// Multi-row INSERTs: one statement per chunk instead of one per row.
	for rest := calls; len(rest) > 0; {
		n := min(len(rest), callsPerInsert)
		args := make([]any, 0, n*11)
		for _, c := range rest[:n] {
			args = append(args, MinuteOf(c.At), c.Workflow, c.TokenID, c.LinkID, c.Status, c.Code, c.Via,
				c.Count, formatTime(c.FirstAt), formatTime(c.LastAt), c.RemoteAddr)
		}
		query := insertCalls + callRow + strings.Repeat(", "+callRow, n-1) + addCounts
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("%s: log calls: %w", s.path, err)
		}
		rest = rest[n:]
	}
	if err := used.mark(ctx, tx); err != nil {
		return fmt.Errorf("%s: log calls: %w", s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: log calls: %w", s.path, err)
	}
	return nil
}

// callKey is what one stored count is kept under.
type callKey struct {
	minute                               int64
	workflow, tokenID, linkID, code, via string
	status                               int
}

func (c Call) key() callKey {
	return callKey{MinuteOf(c.At), c.Workflow, c.TokenID, c.LinkID, c.Code, c.Via, c.Status}
}

// mergeByKey sums the calls of a batch that share a key and sorts them by
// key. PostgreSQL refuses an upsert that meets one key twice, and checkers
// writing the same keys in one order never deadlock on each other's rows.
func mergeByKey(calls []Call) []Call {
	byKey := make(map[callKey]int, len(calls))
	out := make([]Call, 0, len(calls))
	for _, c := range calls {
		c = c.normal()
		i, seen := byKey[c.key()]
		if !seen {
			byKey[c.key()] = len(out)
			out = append(out, c)
			continue
		}
		m := &out[i]
		m.Count += c.Count
		if c.FirstAt.Before(m.FirstAt) {
			m.FirstAt = c.FirstAt
		}
		if !c.LastAt.Before(m.LastAt) {
			m.LastAt, m.RemoteAddr = c.LastAt, c.RemoteAddr
		}
	}
	slices.SortFunc(out, func(a, b Call) int { return a.key().compare(b.key()) })
	return out
}

func (k callKey) compare(o callKey) int {
	return cmp.Or(cmp.Compare(k.minute, o.minute), strings.Compare(k.workflow, o.workflow),
		strings.Compare(k.tokenID, o.tokenID), strings.Compare(k.linkID, o.linkID),
		cmp.Compare(k.status, o.status), strings.Compare(k.code, o.code), strings.Compare(k.via, o.via))
}

// countOf is how many calls a batch holds.
func countOf(calls []Call) int64 {
	var n int64
	for _, c := range calls {
		n += c.normal().Count
	}
	return n
}

// CallFilter narrows ListCalls; zero fields do not filter.
type CallFilter struct {
	Workflow string // ignoring case
	TokenID  string
	LinkID   string
	// Since keeps the minutes that end after it (the minute holding Since
	// included).
	Since time.Time
	Limit int // <= 0: no limit
}

// ListCalls returns the per-minute counts matching f, newest first: the
// latest minute first and, within a minute, the key called last first.
// Each Call has At set to its minute, RemoteAddr to the last caller, and
// Count, FirstAt, LastAt and Via filled.
func (s *Store) ListCalls(ctx context.Context, f CallFilter) ([]Call, error) {
	if !s.dialect.canHold(f.Workflow, f.TokenID, f.LinkID) {
		return nil, nil // no call was logged under a name or id no row can hold
	}
	var where []string
	var args []any
	if f.Workflow != "" {
		where = append(where, "nocase(workflow) = nocase(?)")
		args = append(args, f.Workflow)
	}
	if f.TokenID != "" {
		where = append(where, "token_id = ? AND token_id != ''") // the second term lets the partial index serve
		args = append(args, f.TokenID)
	}
	if f.LinkID != "" {
		where = append(where, "link_id = ?")
		args = append(args, f.LinkID)
	}
	if !f.Since.IsZero() {
		where = append(where, "minute >= ?")
		args = append(args, MinuteOf(f.Since))
	}
	query := `SELECT minute, workflow, token_id, link_id, via, status, code, last_remote, count, first_at, last_at FROM calls`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	// The key breaks ties, so that both backends list in one order.
	query += " ORDER BY minute DESC, last_at DESC, workflow, token_id, link_id, status, code, via"
	if f.Limit > 0 {
		query += " LIMIT ?"
		args = append(args, f.Limit)
	}
	rows, err := s.conn().QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("%s: list calls: %w", s.path, err)
	}
	defer rows.Close()
	var out []Call
	for rows.Next() {
		var c Call
		var minute int64
		var first, last string
		if err := rows.Scan(&minute, &c.Workflow, &c.TokenID, &c.LinkID, &c.Via, &c.Status, &c.Code, &c.RemoteAddr,
			&c.Count, &first, &last); err != nil {
			return nil, fmt.Errorf("%s: list calls: %w", s.path, err)
		}
		c.At = time.Unix(minute, 0).UTC()
		if c.FirstAt, err = parseTime(first); err != nil {
			return nil, err
		}
		if c.LastAt, err = parseTime(last); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
