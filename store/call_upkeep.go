package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"
)

// uses is the latest call of each token and link in a batch.
type uses struct {
	tokens, links map[string]time.Time
}

// lastUses finds the latest call of each token and link in a batch.
func lastUses(calls []Call) uses {
	var u uses
	note := func(m *map[string]time.Time, id string, at time.Time) {
		if id == "" {
			return
		}
		if *m == nil {
			*m = map[string]time.Time{}
		}
		if t, ok := (*m)[id]; !ok || at.After(t) {
			(*m)[id] = at
		}
	}
	for _, c := range calls {
		at := c.normal().LastAt
		note(&u.tokens, c.TokenID, at)
		note(&u.links, c.LinkID, at)
	}
	return u
}

// Moving last_used_at forward: only when the stored value is older than the
// minute of the new use, so a token called all day is written at most once
// per clock minute (and last_used_at is at most a minute behind), and never
// back (batches from several checkers may arrive out of order). Neither
// statement bumps the generation (see migrations 002 and 003).
const (
	markTokenUsed = `UPDATE tokens SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?3)`
	markLinkUsed  = `UPDATE links SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?3)`
)

// mark moves the last_used_at of every token and link in u forward.
func (u uses) mark(ctx context.Context, tx txHandle) error {
	for _, set := range []struct {
		query string
		last  map[string]time.Time
	}{{markTokenUsed, u.tokens}, {markLinkUsed, u.links}} {
		// In id order, so that two checkers marking the same tokens lock
		// their rows in the same order.
		for _, id := range slices.Sorted(maps.Keys(set.last)) {
			at := set.last[id]
			minute := time.Unix(MinuteOf(at), 0)
			if _, err := tx.ExecContext(ctx, set.query, formatTime(at), id, formatTime(minute)); err != nil {
				return err
			}
		}
	}
	return nil
}

// PruneCalls deletes the counts of minutes before cutoff, oldest first, at
// most about limit rows (whole minutes: the last minute deleted goes
// entirely), and returns how many rows went. It is bounded so that the
// call log's writer, which calls it, is never held up for long: call it
// again while it returns limit or more. Tokens' and links' last_used_at
// live on their rows and are untouched. It also prunes the keys removed by
// changes older than TombstoneRetention.
func (s *Store) PruneCalls(ctx context.Context, cutoff time.Time, limit int) (int64, error) {
	if err := s.writable(); err != nil {
		return 0, err
	}
	// The minute of the limit-th oldest row bounds the delete; with fewer
	// rows than that before the cutoff, the cutoff does.
	res, err := s.conn().ExecContext(ctx, `DELETE FROM calls WHERE minute < ?1 AND minute <= coalesce(
		(SELECT minute FROM calls WHERE minute < ?1 ORDER BY minute LIMIT 1 OFFSET ?2), ?1)`,
		MinuteOf(cutoff), max(limit, 1)-1)
	if isBusy(err) {
		return 0, fmt.Errorf("database %s is locked by another process (waited %s); old calls were not pruned", s.path, s.lockWait())
	}
	if err != nil {
		return 0, fmt.Errorf("%s: prune calls: %w", s.path, err)
	}
	// The keys removed by old changes go with the old calls (see ReadDelta).
	if err := s.pruneTombstones(ctx, now().Add(-TombstoneRetention)); err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
