package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"flowgate/model"
)

// CallTallies sums the call record from the minute holding since onwards
// per workflow, caller (token or share link) and outcome code: what the
// impact preview and the tighten-from-traffic review rule replay through
// model.Decide. Thirty days of per-minute counts become one row per
// workflow and caller, summed by SQLite rather than read minute by minute.
// Only workflow names are summed: file prefixes (they start with /) and
// calls to no workflow ("-") are left out.
func (s *Store) CallTallies(ctx context.Context, since time.Time) ([]model.CallTally, error) {
	rows, err := s.conn().QueryContext(ctx, `SELECT max(workflow), token_id, link_id, code, CAST(sum(count) AS BIGINT) FROM calls
		WHERE minute >= ? AND workflow != '-' AND workflow NOT LIKE '/%'
		GROUP BY nocase(workflow), token_id, link_id, code
		ORDER BY nocase(max(workflow)), token_id, link_id, code`, MinuteOf(since))
	if err != nil {
		return nil, fmt.Errorf("%s: sum calls: %w", s.path, err)
	}
	defer rows.Close()
	var out []model.CallTally
	for rows.Next() {
		var c model.CallTally
		if err := rows.Scan(&c.Workflow, &c.TokenID, &c.LinkID, &c.Code, &c.Count); err != nil {
			return nil, fmt.Errorf("%s: sum calls: %w", s.path, err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("%s: sum calls: %w", s.path, err)
	}
	return out, nil
}

// CallRecordStart is the first minute the call record holds, for any
// workflow or file; ok is false when it holds no call. A record that starts
// later than the window an answer is about (a new install, a retention
// shorter than the window) covers only part of it, and the answer must say
// so rather than pass silence for safety.
func (s *Store) CallRecordStart(ctx context.Context) (start time.Time, ok bool, err error) {
	var minute sql.NullInt64
	if err := s.conn().QueryRowContext(ctx, `SELECT min(minute) FROM calls`).Scan(&minute); err != nil {
		return time.Time{}, false, fmt.Errorf("%s: read the call record's start: %w", s.path, err)
	}
	if !minute.Valid {
		return time.Time{}, false, nil
	}
	return time.Unix(minute.Int64, 0).UTC(), true, nil
}

// Traffic reads the call record of the window ending at now, ready to be
// replayed through model.Decide with the tokens given (their kind and
// scope as they are now): what `flowgate set`'s impact preview, `flowgate
// review`'s tighten-from-traffic rule and the editor's panel read alike.
func (s *Store) Traffic(ctx context.Context, tokens []model.TokenGrant, window time.Duration, now time.Time) (model.Traffic, error) {
	tallies, err := s.CallTallies(ctx, now.Add(-window))
	if err != nil {
		return model.Traffic{}, err
	}
	start, _, err := s.CallRecordStart(ctx)
	if err != nil {
		return model.Traffic{}, err
	}
	return model.NewTraffic(tallies, tokens, start, window, now), nil
}
