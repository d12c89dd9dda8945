package store

import (
	"context"
	"fmt"
	"time"

	"flowgate/model"
)

// Delta is what changed in the settings after a generation a reader had
// loaded, so that a checker holding a million token keys applies one
// revocation instead of reading them all again. A reader removes every
// key in the Removed lists, then adds or replaces what the other lists
// hold; the result equals a fresh snapshot at Generation.
type Delta struct {
	// Since is the generation the delta starts from; Generation the one
	// it brings the reader to.
	Since, Generation int64
	// Full reports that the changes since Since can no longer be told (the
	// tombstones of that time were pruned, or the store is behind Since,
	// as a restored backup is): the reader must read a whole snapshot. The
	// other fields are then empty.
	Full bool
	// RemovedWorkflows are old names of workflows renamed or deleted, or
	// updated in any way, as stored: a reader folds them (model.NameKey).
	RemovedWorkflows []string
	// RemovedTokens are old hashes and old previous hashes of tokens
	// revoked, rotated, deleted or updated in any way that decides requests.
	RemovedTokens []model.TokenHash
	// RemovedLinks are old hashes of links revoked, deleted or updated.
	RemovedLinks []model.TokenHash
	// Workflows, Tokens and Links are the current rows changed after
	// Since, filtered like a snapshot's (no revoked token or link).
	Workflows []model.Workflow
	Tokens    []TokenKey
	Links     []LinkKey
	// PrefixesChanged reports that some protected prefix changed; then
	// Prefixes is the whole list, sorted (prefixes are few).
	PrefixesChanged bool
	Prefixes        []string
}

// Empty reports a delta that changes nothing a reader holds.
func (d Delta) Empty() bool {
	return !d.Full && !d.PrefixesChanged && len(d.RemovedWorkflows)+len(d.RemovedTokens)+len(d.RemovedLinks)+
		len(d.Workflows)+len(d.Tokens)+len(d.Links) == 0
}

// TombstoneRetention is how long the keys removed by a change are kept for
// readers that have not caught up: a checker that loaded its settings
// longer ago than this reads them all again instead.
const TombstoneRetention = 24 * time.Hour

// ReadDelta reads what changed after generation since, in one read
// transaction like ReadSnapshot, so that a delta never holds half of a
// write. Every change stamps the rows it touches with its generation and
// records the keys it removes (migration 005), and a writer holds the
// write lock while it takes its generation, so generations are given in
// commit order and "after since" misses nothing.
func (s *Store) ReadDelta(ctx context.Context, since int64) (Delta, error) {
	d := Delta{Since: since}
	err := s.readTx(ctx, "read changes", func(q queryer) error {
		var pruned int64
		if err := q.QueryRowContext(ctx, "SELECT generation, pruned_generation FROM meta").Scan(&d.Generation, &pruned); err != nil {
			return fmt.Errorf("read generation: %w", err)
		}
		if since < pruned || since > d.Generation {
			d.Full = true
			return nil
		}
		if since == d.Generation {
			return nil
		}
		return d.read(ctx, q, since)
	})
	if err != nil {
		return Delta{}, err
	}
	return d, nil
}

// read fills the removals and additions after since.
func (d *Delta) read(ctx context.Context, q queryer, since int64) error {
	if err := d.readTombstones(ctx, q, since); err != nil {
		return fmt.Errorf("read removed keys: %w", err)
	}
	var err error
	if d.Workflows, err = readWorkflows(ctx, q, nil, `SELECT `+workflowColumns+` FROM workflows WHERE gen > ?`, since); err != nil {
		return fmt.Errorf("read changed workflows: %w", err)
	}
	at := now()
	if d.Tokens, err = readTokenKeys(ctx, q, nil, tokenKeyColumns+` AND gen > ?`, formatTime(at), since); err != nil {
		return fmt.Errorf("read changed tokens: %w", err)
	}
	if d.Links, err = readLinkKeys(ctx, q, linkKeyColumns+` AND gen > ?`, formatTime(at), since); err != nil {
		return fmt.Errorf("read changed links: %w", err)
	}
	if !d.PrefixesChanged {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM file_prefixes WHERE gen > ?`, since).Scan(&n); err != nil {
			return fmt.Errorf("read changed prefixes: %w", err)
		}
		d.PrefixesChanged = n > 0
	}
	if d.PrefixesChanged {
		if d.Prefixes, err = listPrefixStrings(ctx, q); err != nil {
			return fmt.Errorf("read protected prefixes: %w", err)
		}
	}
	return nil
}

// readTombstones collects the keys removed after since. A tombstone whose
// hash has the wrong size names no key a reader holds (a damaged hash is
// never loaded), so it is skipped.
func (d *Delta) readTombstones(ctx context.Context, q queryer, since int64) error {
	rows, err := q.QueryContext(ctx, `SELECT kind, key FROM tombstones WHERE gen > ? ORDER BY gen`, since)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var key []byte
		if err := rows.Scan(&kind, &key); err != nil {
			return err
		}
		var h model.TokenHash
		switch {
		case kind == "workflow":
			d.RemovedWorkflows = append(d.RemovedWorkflows, string(key))
		case kind == "prefix":
			d.PrefixesChanged = true
		case len(key) != len(h):
		case kind == "token":
			copy(h[:], key)
			d.RemovedTokens = append(d.RemovedTokens, h)
		case kind == "link":
			copy(h[:], key)
			d.RemovedLinks = append(d.RemovedLinks, h)
		default:
			return fmt.Errorf("unknown tombstone kind %q", kind)
		}
	}
	return rows.Err()
}

// pruneTombstones deletes the removed keys recorded before cutoff and
// moves the pruned horizon up to the newest generation deleted, so that a
// reader older than that reads everything again instead of missing a
// removal. The call log's upkeep calls it (through PruneCalls); it takes
// the write lock only when there is something to prune.
func (s *Store) pruneTombstones(ctx context.Context, cutoff time.Time) error {
	if err := s.writable(); err != nil {
		return err
	}
	var newest *int64
	if err := s.conn().QueryRowContext(ctx, `SELECT max(gen) FROM tombstones WHERE at < ?`, cutoff.Unix()).Scan(&newest); err != nil {
		return fmt.Errorf("%s: prune removed keys: %w", s.path, err)
	}
	if newest == nil {
		return nil
	}
	// The horizon moves with the deletion, in one transaction: a reader
	// never sees the keys gone and the horizon behind.
	return s.InTx(ctx, SourceCLI, func(tx *Tx) error {
		if _, err := tx.tx.ExecContext(ctx, `DELETE FROM tombstones WHERE gen <= ?`, *newest); err != nil {
			return fmt.Errorf("%s: prune removed keys: %w", s.path, err)
		}
		if _, err := tx.tx.ExecContext(ctx, `UPDATE meta SET pruned_generation = ? WHERE pruned_generation < ?`, *newest, *newest); err != nil {
			return fmt.Errorf("%s: prune removed keys: %w", s.path, err)
		}
		return nil
	})
}

// readWorkflows appends to out the workflows a query of workflowColumns
// returns.
func readWorkflows(ctx context.Context, q queryer, out []model.Workflow, query string, args ...any) ([]model.Workflow, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		w, err := scanWorkflow(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}
