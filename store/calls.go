package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// Call is one decision the runtime checker made: which token called which
// workflow, and what it got. It never holds the token itself.
type Call struct {
	At         time.Time
	Workflow   string // as requested; empty when the path named no workflow
	TokenID    string // empty when no valid token was presented
	LinkID     string // the share link (lnk_…) presented; empty for none
	Status     int
	Code       string // empty when allowed
	RemoteAddr string
}

// callsPerInsert bounds the rows of one INSERT statement (SQLite allows
// 32766 bound parameters; seven per row).
const callsPerInsert = 200

const insertCalls = `INSERT INTO calls (at, workflow, token_id, link_id, status, code, remote_addr) VALUES (?, ?, ?, ?, ?, ?, ?)`

// RecordCalls appends a batch of calls in one transaction: the checker
// queues decisions and writes them in batches, so a busy gateway costs one
// write per batch rather than one per request. The links presented get
// their last_used_at moved forward in the same transaction (once per link
// per batch); that bookkeeping does not bump the generation.
func (s *Store) RecordCalls(ctx context.Context, calls []Call) error {
	if len(calls) == 0 {
		return nil
	}
	if err := s.writable(); err != nil {
		return err
	}
	tx, err := s.conn().BeginTx(ctx, nil)
	if isBusy(err) {
		return fmt.Errorf("database %s is locked by another process (waited %s); %d calls were not logged", s.path, busyTimeout, len(calls))
	}
	if err != nil {
		return fmt.Errorf("%s: log calls: %w", s.path, err)
	}
	defer tx.Rollback()
	lastUse := linksLastUse(calls)
	// Multi-row INSERTs: one statement per chunk instead of one per call
	// roughly halves the cost of a batch.
	for len(calls) > 0 {
		n := min(len(calls), callsPerInsert)
		args := make([]any, 0, n*7)
		for _, c := range calls[:n] {
			args = append(args, formatTime(c.At), c.Workflow, c.TokenID, c.LinkID, c.Status, c.Code, c.RemoteAddr)
		}
		query := insertCalls + strings.Repeat(", (?, ?, ?, ?, ?, ?, ?)", n-1)
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return fmt.Errorf("%s: log calls: %w", s.path, err)
		}
		calls = calls[n:]
	}
	if err := markLinksUsed(ctx, tx, lastUse); err != nil {
		return fmt.Errorf("%s: log calls: %w", s.path, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: log calls: %w", s.path, err)
	}
	return nil
}

// CallFilter narrows ListCalls; zero fields do not filter.
type CallFilter struct {
	Workflow string // ignoring case
	TokenID  string
	LinkID   string
	Limit    int // <= 0: no limit
}

// ListCalls returns logged calls matching f, newest first.
func (s *Store) ListCalls(ctx context.Context, f CallFilter) ([]Call, error) {
	var where []string
	var args []any
	if f.Workflow != "" {
		where = append(where, "workflow = ? COLLATE NOCASE")
		args = append(args, f.Workflow)
	}
	if f.TokenID != "" {
		where = append(where, "token_id = ?")
		args = append(args, f.TokenID)
	}
	if f.LinkID != "" {
		where = append(where, "link_id = ?")
		args = append(args, f.LinkID)
	}
	query := `SELECT at, workflow, token_id, link_id, status, code, remote_addr FROM calls`
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	query += " ORDER BY id DESC"
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
		var at string
		if err := rows.Scan(&at, &c.Workflow, &c.TokenID, &c.LinkID, &c.Status, &c.Code, &c.RemoteAddr); err != nil {
			return nil, fmt.Errorf("%s: list calls: %w", s.path, err)
		}
		if c.At, err = parseTime(at); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// linksLastUse finds the latest call of each link in a batch.
func linksLastUse(calls []Call) map[string]time.Time {
	var last map[string]time.Time
	for _, c := range calls {
		if c.LinkID == "" {
			continue
		}
		if last == nil {
			last = map[string]time.Time{}
		}
		if t, ok := last[c.LinkID]; !ok || c.At.After(t) {
			last[c.LinkID] = c.At
		}
	}
	return last
}

// markLinksUsed moves each link's last_used_at forward to its latest call
// (never back: batches from several checkers may arrive out of order).
func markLinksUsed(ctx context.Context, tx *sql.Tx, last map[string]time.Time) error {
	for id, at := range last {
		_, err := tx.ExecContext(ctx, `UPDATE links SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?1)`,
			formatTime(at), id)
		if err != nil {
			return err
		}
	}
	return nil
}
