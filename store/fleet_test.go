package store

import (
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

// The tests of this file run several stores on one database at once, as a
// fleet of checkers and editors does.

// seen is what one snapshot showed, reduced to what the trail can be
// checked against: each workflow's version and the tokens with a key.
type seen struct {
	generation int64
	versions   map[int64]int64
	tokens     map[string]bool
}

func summarize(snap Snapshot) seen {
	s := seen{generation: snap.Generation, versions: map[int64]int64{}, tokens: map[string]bool{}}
	for _, w := range snap.Workflows {
		s.versions[w.ID] = w.Version
	}
	for _, k := range snap.Tokens {
		s.tokens[k.ID] = true
	}
	return s
}

// expectedAt is what a snapshot at generation g must show according to the
// trail: every workflow at the version its changes up to g made (each
// change row here is one version), every token created and not revoked up
// to g. The trail is newest first, as HistoryOf returns it.
func expectedAt(trail []Change, g int64) seen {
	want := seen{generation: g, versions: map[int64]int64{}, tokens: map[string]bool{}}
	for i := len(trail) - 1; i >= 0; i-- {
		c := trail[i]
		if c.Generation > g {
			continue
		}
		switch c.SubjectKind {
		case SubjectWorkflow:
			id, _ := strconv.ParseInt(c.SubjectID, 10, 64)
			want.versions[id]++
		case SubjectToken:
			want.tokens[c.SubjectID] = c.Field == "token" // created; "revoked" ends it
		}
	}
	for id, live := range want.tokens {
		if !live {
			delete(want.tokens, id)
		}
	}
	return want
}

// writeALot is one writer of the fleet: rounds of creating a workflow,
// changing it, creating a token and revoking it, each in its own
// transaction.
func writeALot(s *Store, writer, rounds int) error {
	for r := range rounds {
		w, err := s.CreateWorkflow(ctx, model.NewWorkflow(fmt.Sprintf("w%d-%d", writer, r)), SourceCLI)
		if err != nil {
			return err
		}
		w.Public = true
		if _, err := s.UpdateWorkflow(ctx, w, SourceEditor); err != nil {
			return err
		}
		_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: fmt.Sprintf("t%d-%d", writer, r)})
		if err != nil {
			return err
		}
		if err := s.RevokeToken(ctx, tok.ID); err != nil {
			return err
		}
	}
	return nil
}

func TestConcurrentWritersNeverLeaveAGapBehindAGeneration(t *testing.T) {
	const writers, rounds = 4, 15
	eachBackend(t, func(t *testing.T, loc string) {
		reader := openAt(t, loc)
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			s := openAt(t, loc)
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = writeALot(s, i, rounds)
			}()
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()

		var snaps []seen
		for running := true; running; {
			select {
			case <-done:
				running = false
			default:
			}
			snap, err := reader.ReadSnapshot(ctx)
			require.NoError(t, err)
			snaps = append(snaps, summarize(snap))
		}
		for i, err := range errs {
			require.NoError(t, err, "writer %d", i)
		}

		trail, err := reader.HistoryOf(ctx, "", "")
		require.NoError(t, err)
		require.Len(t, trail, writers*rounds*4, "one change per transaction")
		for i := 1; i < len(trail); i++ { // newest first: ids and generations both fall
			assert.Greater(t, trail[i-1].Generation, trail[i].Generation,
				"changes %d and %d: generations rise in commit order, never shared", trail[i].ID, trail[i-1].ID)
		}
		last := snaps[len(snaps)-1]
		assert.Equal(t, trail[0].Generation, last.generation, "the last snapshot saw every write")
		var distinct int
		for i, got := range snaps {
			if i > 0 && got.generation == snaps[i-1].generation {
				continue
			}
			distinct++
			if i > 0 {
				require.GreaterOrEqual(t, got.generation, snaps[i-1].generation, "a reader never goes back")
			}
			require.Equal(t, expectedAt(trail, got.generation), got,
				"a snapshot at generation %d shows exactly the changes recorded up to it", got.generation)
		}
		t.Logf("%d snapshots at %d distinct generations checked against %d changes", len(snaps), distinct, len(trail))
	})
}

func TestCallCountsFromManyStoresAddUp(t *testing.T) {
	const stores, batches = 4, 30
	eachBackend(t, func(t *testing.T, loc string) {
		setup := openAt(t, loc)
		var tokenIDs []string
		for i := range 3 {
			_, tok, err := setup.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: fmt.Sprintf("ci-%d", i)})
			require.NoError(t, err)
			tokenIDs = append(tokenIDs, tok.ID)
		}
		// Every store sends batches over the same few keys (two minutes,
		// three workflows, three tokens, two outcomes), in its own order.
		var wg sync.WaitGroup
		errs := make([]error, stores)
		want := map[callKey]int64{}
		var mu sync.Mutex
		for i := range stores {
			s := openAt(t, loc)
			wg.Add(1)
			go func() {
				defer wg.Done()
				rng := rand.New(rand.NewPCG(uint64(i), 42))
				for range batches {
					var batch []Call
					for range 12 {
						c := Call{At: callsEpoch.Add(time.Duration(rng.IntN(120)) * time.Second),
							Workflow: fmt.Sprintf("wf-%d", rng.IntN(3)), TokenID: tokenIDs[rng.IntN(3)],
							Via: "proxy", Status: 200, Count: int64(1 + rng.IntN(5)), RemoteAddr: "10.0.0.1"}
						if rng.IntN(4) == 0 {
							c.Status, c.Code = 403, model.CodeInsufficientScope
						}
						batch = append(batch, c)
					}
					if errs[i] = s.RecordCalls(ctx, batch); errs[i] != nil {
						return
					}
					mu.Lock()
					for _, c := range batch {
						want[c.key()] += c.Count
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "store %d: no lost update, no deadlock", i)
		}
		calls, err := setup.ListCalls(ctx, CallFilter{})
		require.NoError(t, err)
		got := map[callKey]int64{}
		for _, c := range calls {
			got[c.key()] += c.Count
		}
		assert.Equal(t, want, got, "every store's counts add up, key by key")
	})
}

// waitForALockWait returns once a session of the database is waiting for a
// row lock.
func waitForALockWait(t *testing.T, raw *sql.DB) {
	t.Helper()
	for {
		var waiting int
		require.NoError(t, raw.QueryRow(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting))
		if waiting > 0 {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A writer that locks two links in the other order than the call log (as
// removing a prefix revokes links) deadlocks with it; PostgreSQL aborts one
// of the two, and a batch of calls must not be what is lost.
func TestCallsLoggedThroughADeadlockAreNotLost(t *testing.T) {
	loc := freshPostgres(t)
	s := openAt(t, loc)
	_, err := s.AddPrefix(ctx, "/fileupload/", "")
	require.NoError(t, err)
	var ids []string
	for _, p := range []string{"/fileupload/a.pdf", "/fileupload/b.pdf"} {
		_, l, err := s.CreateLink(ctx, NewLink{Path: p})
		require.NoError(t, err)
		ids = append(ids, l.ID)
	}
	slices.Sort(ids) // the order the call log marks them in
	raw := rawDB(t, loc)
	other, err := raw.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer other.Rollback()
	revoke := `UPDATE links SET revoked_at = '2030-01-01T00:00:00.000000000Z' WHERE id = $1`
	_, err = other.Exec(revoke, ids[1])
	require.NoError(t, err)

	at := time.Now().UTC()
	logged := make(chan error, 1)
	go func() {
		logged <- s.RecordCalls(ctx, []Call{{At: at, LinkID: ids[0], Status: 200}, {At: at, LinkID: ids[1], Status: 200}})
	}()
	waitForALockWait(t, raw) // the call log holds ids[0] and waits for ids[1]
	if _, err := other.Exec(revoke, ids[0]); err != nil {
		t.Logf("the other writer was the deadlock's victim: %v", err)
	}
	require.NoError(t, other.Rollback())
	require.NoError(t, <-logged, "the batch was written, not dropped")
	calls, err := s.ListCalls(ctx, CallFilter{})
	require.NoError(t, err)
	require.Len(t, calls, 2)
	assert.Equal(t, [2]int64{1, 1}, [2]int64{calls[0].Count, calls[1].Count}, "each call counted once")
}

// race runs fn once per store at the same moment and returns the errors.
func race(stores []*Store, fn func(i int, s *Store) error) []error {
	errs := make([]error, len(stores))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = fn(i, s)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// outcome counts the racers that won and those that lost as expected
// (lost says which errors are that), failing the test on any other error.
func outcome(t *testing.T, errs []error, lost func(error) bool) [2]int {
	t.Helper()
	var n [2]int
	for _, err := range errs {
		switch {
		case err == nil:
			n[0]++
		case lost(err):
			n[1]++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	return n
}

// Checks made before a write (is this name free? is the row still at the
// version read?) hold against writers in other processes at the same
// instant: exactly one of them wins, the others get the store's answer.
func TestRacingWritersOfOneNameOrOneVersionLeaveOneWinner(t *testing.T) {
	const racers = 6
	eachBackend(t, func(t *testing.T, loc string) {
		stores := make([]*Store, racers)
		for i := range stores {
			stores[i] = openAt(t, loc)
		}
		oneWinner := [2]int{1, racers - 1}

		errs := race(stores, func(i int, s *Store) error {
			name := []string{"Signup", "SIGNUP"}[i%2]
			_, err := s.CreateWorkflow(ctx, model.NewWorkflow(name), SourceCLI)
			return err
		})
		assert.Equal(t, oneWinner, outcome(t, errs, func(err error) bool { return errors.Is(err, ErrNameTaken) }),
			"one workflow of the name; the others are told it is taken")

		read, err := stores[0].GetWorkflow(ctx, "signup")
		require.NoError(t, err)
		errs = race(stores, func(i int, s *Store) error {
			w := read
			w.Description = fmt.Sprintf("edit %d", i)
			_, err := s.UpdateWorkflow(ctx, w, SourceEditor)
			return err
		})
		assert.Equal(t, oneWinner, outcome(t, errs, func(err error) bool { var c *ConflictError; return errors.As(err, &c) }),
			"one edit of version 1 lands; the others conflict")

		errs = race(stores, func(_ int, s *Store) error {
			_, _, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "deploy"})
			return err
		})
		assert.Equal(t, oneWinner, outcome(t, errs, func(err error) bool {
			return strings.Contains(err.Error(), `an active token named "deploy" already exists`)
		}), "one active token of the name")
	})
}
