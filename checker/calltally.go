package checker

import (
	"time"

	"flowgate/store"
)

// callKey is what the call log counts calls by (see store.Call): calls with
// the same key in the same minute become one row.
type callKey struct {
	minute                               int64
	workflow, tokenID, linkID, via, code string
	status                               int
}

// callTally sums calls per key and minute between two writes, so a busy
// gateway writes a row per key rather than per call. It holds at most
// maxBatch keys (the writer flushes it when full); the keys are bounded
// anyway, as only names that exist are recorded (see callSubject).
type callTally struct {
	index map[callKey]int
	rows  []store.Call
	calls uint64 // how many calls the rows count
}

func newCallTally() *callTally {
	return &callTally{index: make(map[callKey]int, maxBatch), rows: make([]store.Call, 0, maxBatch)}
}

// add counts one call decided at c.At.
func (t *callTally) add(c store.Call) {
	at := c.At
	k := callKey{minute: store.MinuteOf(at), workflow: c.Workflow, tokenID: c.TokenID, linkID: c.LinkID,
		via: c.Via, code: c.Code, status: c.Status}
	t.calls++
	i, ok := t.index[k]
	if !ok {
		i = len(t.rows)
		t.index[k] = i
		c.At, c.Count, c.FirstAt, c.LastAt = time.Unix(k.minute, 0).UTC(), 0, at, at
		t.rows = append(t.rows, c)
	}
	row := &t.rows[i]
	row.Count++
	if at.Before(row.FirstAt) {
		row.FirstAt = at
	}
	if !at.Before(row.LastAt) {
		row.LastAt, row.RemoteAddr = at, c.RemoteAddr
	}
}

// full reports that the tally holds as many keys as one write takes.
func (t *callTally) full() bool { return len(t.rows) >= maxBatch }

// empty reports that no call is counted.
func (t *callTally) empty() bool { return len(t.rows) == 0 }

// reset forgets what was counted, keeping the memory for the next batch.
func (t *callTally) reset() {
	clear(t.index)
	clear(t.rows) // drop the strings the rows hold
	t.rows, t.calls = t.rows[:0], 0
}
