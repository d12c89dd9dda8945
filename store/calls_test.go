package store

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// callsEpoch is on a minute boundary, so offsets read as "second s of
// minute m".
var callsEpoch = time.Date(2030, 5, 6, 7, 8, 0, 0, time.UTC)

func TestCallsAreCountedPerMinuteAndKey(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		at := func(m, sec int) time.Time {
			return callsEpoch.Add(time.Duration(m)*time.Minute + time.Duration(sec)*time.Second)
		}
		ok := Call{Workflow: "send-invoice", TokenID: "tok_a", Via: "proxy", Status: 200}
		denied := Call{Workflow: "send-invoice", TokenID: "tok_a", Via: "proxy", Status: 403, Code: "insufficient_scope"}
		var batch []Call
		for i := range 5 {
			c := ok
			c.At, c.RemoteAddr = at(0, 10+i), fmt.Sprintf("10.0.0.%d", i)
			batch = append(batch, c)
		}
		viaAuth := ok
		viaAuth.At, viaAuth.Via, viaAuth.RemoteAddr = at(0, 30), "auth", "10.0.1.1"
		next := ok
		next.At, next.RemoteAddr = at(1, 0), "10.0.2.2"
		batch = append(batch, viaAuth, next)
		require.NoError(t, s.RecordCalls(ctx, batch))

		// A second batch adds to the same keys: a summed count, an earlier
		// first call arriving late (its remote is not the last), a later one.
		late := ok
		late.At, late.RemoteAddr, late.Count, late.FirstAt, late.LastAt = at(0, 0), "10.9.9.9", 3, at(0, 1), at(0, 5)
		d := denied
		d.At, d.RemoteAddr = at(0, 40), "10.0.3.3"
		require.NoError(t, s.RecordCalls(ctx, []Call{late, d}))
		require.NoError(t, s.RecordCalls(ctx, nil))

		all, err := s.ListCalls(ctx, CallFilter{})
		require.NoError(t, err)
		m0, m1 := callsEpoch, callsEpoch.Add(time.Minute)
		withCount := func(c Call, minute time.Time, n int64, first, last time.Time, remote string) Call {
			c.At, c.Count, c.FirstAt, c.LastAt, c.RemoteAddr = minute, n, first, last, remote
			return c
		}
		assert.Equal(t, []Call{
			withCount(ok, m1, 1, at(1, 0), at(1, 0), "10.0.2.2"),
			withCount(denied, m0, 1, at(0, 40), at(0, 40), "10.0.3.3"),
			withCount(viaAuth, m0, 1, at(0, 30), at(0, 30), "10.0.1.1"),
			withCount(ok, m0, 8, at(0, 1), at(0, 14), "10.0.0.4"),
		}, all, "newest first; within a minute the key called last first; one row per key and minute")

		byWorkflow, err := s.ListCalls(ctx, CallFilter{Workflow: "SEND-INVOICE", Since: at(1, 30)})
		require.NoError(t, err)
		assert.Equal(t, []Call{all[0]}, byWorkflow, "case ignored; Since keeps the minute holding it")
		none, err := s.ListCalls(ctx, CallFilter{TokenID: "tok_b"})
		require.NoError(t, err)
		assert.Empty(t, none)
		limited, err := s.ListCalls(ctx, CallFilter{TokenID: "tok_a", Limit: 2})
		require.NoError(t, err)
		assert.Equal(t, all[:2], limited)
	})
}

func TestPruneCallsDropsOldMinutesInBoundedSteps(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		_, tok, err := s.CreateToken(ctx, NewToken{Kind: "admin", Name: "ci"})
		require.NoError(t, err)
		var batch []Call
		for m := range 10 {
			for _, wf := range []string{"a", "b", "c"} {
				batch = append(batch, Call{At: callsEpoch.Add(time.Duration(m) * time.Minute), Workflow: wf, TokenID: tok.ID, Status: 200})
			}
		}
		require.NoError(t, s.RecordCalls(ctx, batch))
		gen, err := s.Generation(ctx)
		require.NoError(t, err)

		cutoff := callsEpoch.Add(6*time.Minute + 30*time.Second) // minutes 0-5 go
		n, err := s.PruneCalls(ctx, cutoff, 4)
		require.NoError(t, err)
		assert.EqualValues(t, 6, n, "whole minutes: the fourth row's minute goes entirely")
		n, err = s.PruneCalls(ctx, cutoff, 100)
		require.NoError(t, err)
		assert.EqualValues(t, 12, n, "the rest before the cutoff")
		n, err = s.PruneCalls(ctx, cutoff, 100)
		require.NoError(t, err)
		assert.Zero(t, n)

		left, err := s.ListCalls(ctx, CallFilter{})
		require.NoError(t, err)
		require.Len(t, left, 12)
		assert.Equal(t, callsEpoch.Add(6*time.Minute), left[len(left)-1].At, "the minute holding the cutoff stays")
		toks, err := s.ListTokens(ctx)
		require.NoError(t, err)
		require.NotNil(t, toks[0].LastUsedAt)
		assert.Equal(t, callsEpoch.Add(9*time.Minute), *toks[0].LastUsedAt, "pruning never makes a token look unused")
		after, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Equal(t, gen, after)
	})
}

func BenchmarkRecordCalls256(b *testing.B) {
	s, err := Open(b.TempDir() + "/bench.db")
	require.NoError(b, err)
	defer s.Close()
	batch := make([]Call, 256)
	for i := range batch {
		batch[i] = Call{At: time.Now(), Workflow: fmt.Sprintf("wf-%d", i), TokenID: "tok_abcdefghijkl", Via: "proxy",
			Status: 200, RemoteAddr: "127.0.0.1", Count: 100}
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := s.RecordCalls(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
}

func TestCallsOfOneInstantAreListedInKeyOrderOnEveryBackend(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		at := callsEpoch.Add(time.Second)
		for _, wf := range []string{"c", "a", "b"} { // one batch each: stored in this order
			require.NoError(t, s.RecordCalls(ctx, []Call{{At: at, Workflow: wf, Via: "proxy", Status: 200}}))
		}
		calls, err := s.ListCalls(ctx, CallFilter{})
		require.NoError(t, err)
		var got []string
		for _, c := range calls {
			got = append(got, c.Workflow)
		}
		assert.Equal(t, []string{"a", "b", "c"}, got)
	})
}
