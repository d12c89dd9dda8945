package checker

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/internal/pgtest"
	"flowgate/model"
	"flowgate/store"
)

// changer makes random changes of every kind through the real store: the
// workflows, tokens, links and prefixes it made are remembered so that it
// can change and remove them again.
type changer struct {
	t         *testing.T
	s         *store.Store
	rnd       *rand.Rand
	workflows []string
	tokens    []string
	links     []string
	prefixes  []string
	n         int
}

// names is a small pool, so that names are given up and taken again (also
// in another case) within one reload.
var names = []string{"alpha", "Alpha-2", "beta", "gamma", "delta", "Send-Invoice", "send-x", "reset-pw"}

func (c *changer) pick(list []string) (int, string) {
	i := c.rnd.IntN(len(list))
	return i, list[i]
}

// change makes one random change; a change the store refuses (a name
// taken, a link under a prefix just removed) is skipped.
func (c *changer) change() {
	c.t.Helper()
	c.n++
	var err error
	switch op := c.rnd.IntN(12); {
	case op == 0 || len(c.workflows) == 0:
		w := model.NewWorkflow(names[c.rnd.IntN(len(names))])
		w.Public = c.rnd.IntN(2) == 0
		if _, err = c.s.CreateWorkflow(ctx, w, store.SourceCLI); err == nil {
			c.workflows = append(c.workflows, w.Name)
		}
	case op <= 2:
		i, name := c.pick(c.workflows)
		var w model.Workflow
		if w, err = c.s.GetWorkflow(ctx, name); err != nil {
			break
		}
		w.Auth = []model.Auth{model.AuthNone, model.AuthUser, model.AuthAdmin}[c.rnd.IntN(3)]
		w.Public = !w.Public
		if c.rnd.IntN(2) == 0 {
			w.Name = names[c.rnd.IntN(len(names))]
		}
		if _, err = c.s.UpdateWorkflow(ctx, w, store.SourceCLI); err == nil {
			c.workflows[i] = w.Name
		}
	case op == 3:
		i, name := c.pick(c.workflows)
		var w model.Workflow
		if w, err = c.s.GetWorkflow(ctx, name); err == nil {
			err = c.s.DeleteWorkflow(ctx, w, store.SourceCLI)
			c.workflows = append(c.workflows[:i], c.workflows[i+1:]...)
		}
	case op == 4 || len(c.tokens) == 0:
		nt := store.NewToken{Kind: model.TokenUser, Name: fmt.Sprintf("t%d", c.n), UserID: fmt.Sprintf("user-%d", c.n)}
		if c.rnd.IntN(3) == 0 {
			nt.Kind, nt.UserID = model.TokenAdmin, ""
		}
		var tok store.Token
		if _, tok, err = c.s.CreateToken(ctx, nt); err == nil {
			c.tokens = append(c.tokens, tok.ID)
		}
	case op == 5:
		_, id := c.pick(c.tokens)
		_, _, err = c.s.RotateToken(ctx, id, time.Duration(c.rnd.IntN(2))*time.Hour)
	case op == 6:
		_, id := c.pick(c.tokens)
		_, err = c.s.SetTokenScope(ctx, id, model.Scope{Workflows: []string{names[c.rnd.IntN(len(names))]}, Files: []string{}})
	case op == 7:
		i, id := c.pick(c.tokens)
		err = c.s.RevokeToken(ctx, id)
		c.tokens = append(c.tokens[:i], c.tokens[i+1:]...)
	case op == 8 || len(c.prefixes) == 0:
		p := fmt.Sprintf("/files-%d/", c.rnd.IntN(4))
		if _, err = c.s.AddPrefix(ctx, p, ""); err == nil {
			c.prefixes = append(c.prefixes, p)
		}
	case op == 9:
		i, p := c.pick(c.prefixes)
		err = c.s.RemovePrefix(ctx, p)
		c.prefixes = append(c.prefixes[:i], c.prefixes[i+1:]...)
	case op == 10 || len(c.links) == 0:
		_, p := c.pick(c.prefixes)
		var l store.Link
		if _, l, err = c.s.CreateLink(ctx, store.NewLink{Path: p + "report.pdf"}); err == nil {
			c.links = append(c.links, l.ID)
		}
	default:
		i, id := c.pick(c.links)
		err = c.s.RevokeLink(ctx, id)
		c.links = append(c.links[:i], c.links[i+1:]...)
	}
	if err != nil && !errors.Is(err, store.ErrNotFound) && !errors.Is(err, store.ErrNameTaken) &&
		!errors.Is(err, store.ErrExists) && !errors.Is(err, store.ErrAlreadyRevoked) {
		c.t.Logf("change %d refused: %v", c.n, err)
	}
}

// TestIncrementalReloadsAgreeWithAFullLoad makes hundreds of random changes
// through the real store, reloads incrementally after every few, and
// compares the snapshot built change by change with a fresh full load: a
// change the delta misses shows up as a difference.
func TestIncrementalReloadsAgreeWithAFullLoad(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { incrementalAgreesWithFull(t, newFixture(t)) })
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.FreshDatabase(t)
		_, _, err := store.Migrate(ctx, url)
		require.NoError(t, err)
		incrementalAgreesWithFull(t, newFixtureAt(t, url))
	})
}

// incrementalAgreesWithFull makes random changes through the real store and,
// after each reload, compares the incrementally built snapshot with a full
// load of the same store.
func incrementalAgreesWithFull(t *testing.T, f *fixture) {
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	ch := &changer{t: t, s: f.store, rnd: rand.New(rand.NewPCG(seed, 1)), prefixes: []string{filesPrefix}}
	c := New(Options{})
	require.NoError(t, c.Load(ctx, f.store))
	replaced := false
	for round := range 150 {
		for range 1 + ch.rnd.IntN(4) {
			ch.change()
		}
		require.NoError(t, c.reloadIfChanged(ctx, f.store, &replaced))
		full, err := f.store.ReadSnapshot(ctx)
		require.NoError(t, err)
		if !assertSameSnapshot(t, newSnapshot(full), c.snap.Load()) {
			t.Fatalf("round %d (after %d changes): the incremental snapshot differs from a full load", round, ch.n)
		}
	}
}

// assertSameSnapshot compares two snapshots entry by entry (scopes and
// workflows by value).
func assertSameSnapshot(t *testing.T, want, got *snapshot) bool {
	t.Helper()
	ok := assert.Equal(t, want.generation, got.generation, "generation") &&
		assert.Equal(t, want.prefixes, got.prefixes, "prefixes")
	w, g := snapshotContents(t, want), snapshotContents(t, got)
	for _, part := range []string{"workflows", "tokens", "links"} {
		ok = assert.Equal(t, w[part], g[part], part) && ok
	}
	return ok
}

// snapshotContents flattens a snapshot's shards into comparable maps,
// checking that every entry sits in the shard its key picks.
func snapshotContents(t *testing.T, s *snapshot) map[string]map[string]string {
	out := map[string]map[string]string{"workflows": {}, "tokens": {}, "links": {}}
	for i := range shardCount {
		for k, w := range s.workflows[i] {
			out["workflows"][fmt.Sprintf("%s@%d", k, workflowShard(k))] = fmt.Sprintf("%d %s %v %s %s", w.ID, w.Name, w.Public, w.Auth, w.Method)
		}
		for _, e := range shardEntries(t, s.tokens[i]) {
			out["tokens"][fmt.Sprintf("%x@%d", e.hash, i)] = fmt.Sprintf("%s %s %d %d %v",
				e.value.id(), e.value.userID(), e.value.kind, e.value.expires, *e.value.scope)
		}
		for _, e := range shardEntries(t, s.links[i]) {
			out["links"][fmt.Sprintf("%x@%d", e.hash, i)] = fmt.Sprintf("%s %s %d", e.value.id, e.value.path, e.value.expires)
		}
	}
	return out
}

// shardEntries are the entries of a shard, checked to be in order, with
// prefixes that match: a lookup relies on both.
func shardEntries[V any](t *testing.T, s *hashShard[V]) []hashed[V] {
	t.Helper()
	if s == nil {
		return nil
	}
	assert.NotEmpty(t, s.entries, "an empty shard is nil")
	assert.Len(t, s.prefixes, len(s.entries))
	assert.True(t, slices.IsSortedFunc(s.entries, compareHashes[V]), "a shard is sorted")
	for i := range s.entries {
		assert.Equal(t, hashPrefix(&s.entries[i].hash), s.prefixes[i])
		if i > 0 {
			assert.NotEqual(t, s.entries[i-1].hash, s.entries[i].hash, "a shard holds a hash once")
		}
	}
	return s.entries
}

func TestARevocationCopiesOneTokenShardAndSharesTheRest(t *testing.T) {
	f := newFixture(t)
	c := New(Options{})
	require.NoError(t, c.Load(ctx, f.store))
	before := c.snap.Load()
	require.NoError(t, f.store.RevokeToken(ctx, f.userID))
	replaced := false
	require.NoError(t, c.reloadIfChanged(ctx, f.store, &replaced))
	after := c.snap.Load()
	require.NotSame(t, before, after)

	user := model.HashToken(f.user)
	_, ok := after.token(user)
	assert.False(t, ok, "revoked")
	_, ok = before.token(user)
	assert.True(t, ok, "the old snapshot, which a decision may still hold, is untouched")
	var copied []int
	for i := range shardCount {
		if before.tokens[i] != after.tokens[i] {
			copied = append(copied, i)
		}
		assert.Equal(t, reflect.ValueOf(before.workflows[i]).UnsafePointer(), reflect.ValueOf(after.workflows[i]).UnsafePointer())
	}
	assert.Equal(t, []int{int(user[0])}, copied, "only the revoked token's shard is copied")
}
