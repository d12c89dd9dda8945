package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

// keyView is what a reader holds, as maps, so that a delta can be applied
// the way a checker applies it and compared with a fresh snapshot.
type keyView struct {
	generation int64
	workflows  map[string]model.Workflow
	tokens     map[model.TokenHash]TokenKey
	links      map[model.TokenHash]LinkKey
	prefixes   []string
}

func viewOf(s Snapshot) keyView {
	v := keyView{generation: s.Generation, workflows: map[string]model.Workflow{},
		tokens: map[model.TokenHash]TokenKey{}, links: map[model.TokenHash]LinkKey{}, prefixes: s.Prefixes}
	for _, w := range s.Workflows {
		v.workflows[model.NameKey(w.Name)] = w
	}
	for _, k := range s.Tokens {
		v.tokens[k.Hash] = k
	}
	for _, k := range s.Links {
		v.links[k.Hash] = k
	}
	return v
}

// apply applies d as a checker must: removals first, then additions.
func (v *keyView) apply(d Delta) {
	for _, n := range d.RemovedWorkflows {
		delete(v.workflows, model.NameKey(n))
	}
	for _, h := range d.RemovedTokens {
		delete(v.tokens, h)
	}
	for _, h := range d.RemovedLinks {
		delete(v.links, h)
	}
	for _, w := range d.Workflows {
		v.workflows[model.NameKey(w.Name)] = w
	}
	for _, k := range d.Tokens {
		v.tokens[k.Hash] = k
	}
	for _, k := range d.Links {
		v.links[k.Hash] = k
	}
	if d.PrefixesChanged {
		v.prefixes = d.Prefixes
	}
	v.generation = d.Generation
}

// deltaTracker follows a store through deltas and checks after each step
// that what it holds equals a fresh snapshot.
type deltaTracker struct {
	t    *testing.T
	s    *Store
	view keyView
}

func track(t *testing.T, s *Store) *deltaTracker {
	snap, err := s.ReadSnapshot(ctx)
	require.NoError(t, err)
	return &deltaTracker{t: t, s: s, view: viewOf(snap)}
}

// step reads the delta since the last step, applies it, compares the
// result with a fresh snapshot and returns the delta.
func (d *deltaTracker) step() Delta {
	d.t.Helper()
	delta, err := d.s.ReadDelta(ctx, d.view.generation)
	require.NoError(d.t, err)
	require.False(d.t, delta.Full, "a delta since %d", d.view.generation)
	d.view.apply(delta)
	snap, err := d.s.ReadSnapshot(ctx)
	require.NoError(d.t, err)
	assert.Equal(d.t, viewOf(snap), d.view, "the delta since %d brings the reader to the snapshot", delta.Since)
	return delta
}

func TestReadDeltaCarriesAWorkflowSetRenameAndDelete(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, _ string) {
		for _, n := range []string{"Send-Invoice", "reset-pw", "untouched"} {
			_, err := s.CreateWorkflow(ctx, model.NewWorkflow(n), SourceCLI)
			require.NoError(t, err)
		}
		tr := track(t, s)
		d := tr.step()
		assert.True(t, d.Empty(), "nothing changed since the snapshot")

		w, err := s.GetWorkflow(ctx, "send-invoice")
		require.NoError(t, err)
		w.Auth = model.AuthAdmin
		w, err = s.UpdateWorkflow(ctx, w, SourceCLI)
		require.NoError(t, err)
		d = tr.step()
		assert.Equal(t, []string{"Send-Invoice"}, d.RemovedWorkflows)
		require.Len(t, d.Workflows, 1, "only the changed workflow is read")
		assert.Equal(t, model.AuthAdmin, d.Workflows[0].Auth)

		w.Name = "send-invoice-v2"
		w, err = s.UpdateWorkflow(ctx, w, SourceCLI)
		require.NoError(t, err)
		d = tr.step()
		assert.Equal(t, []string{"Send-Invoice"}, d.RemovedWorkflows, "the old name goes")
		assert.NotContains(t, tr.view.workflows, "send-invoice")

		// A new workflow takes the old name in the same delta as a deletion.
		_, err = s.CreateWorkflow(ctx, model.NewWorkflow("SEND-INVOICE"), SourceCLI)
		require.NoError(t, err)
		require.NoError(t, s.DeleteWorkflow(ctx, w, SourceCLI))
		d = tr.step()
		assert.ElementsMatch(t, []string{"send-invoice-v2"}, d.RemovedWorkflows)
		assert.Contains(t, tr.view.workflows, "send-invoice")
		assert.Len(t, tr.view.workflows, 3)
	})
}

func TestReadDeltaRemovesRevokedTokensAndEveryRotatedOutSecret(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, _ string) {
		kept, _, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "kept"})
		require.NoError(t, err)
		first, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenUser, Name: "app", UserID: "u1"})
		require.NoError(t, err)
		tr := track(t, s)

		second, _, err := s.RotateToken(ctx, tok.ID, time.Hour)
		require.NoError(t, err)
		d := tr.step()
		assert.Equal(t, []model.TokenHash{model.HashToken(first)}, d.RemovedTokens)
		assert.Contains(t, tr.view.tokens, model.HashToken(first), "the first secret works during the overlap")

		third, _, err := s.RotateToken(ctx, tok.ID, time.Hour)
		require.NoError(t, err)
		tr.step()
		assert.NotContains(t, tr.view.tokens, model.HashToken(first), "rotating again ends the first secret's overlap")
		assert.Contains(t, tr.view.tokens, model.HashToken(second))
		assert.Contains(t, tr.view.tokens, model.HashToken(third))

		_, err = s.SetTokenScope(ctx, tok.ID, model.Scope{Workflows: []string{"send-*"}})
		require.NoError(t, err)
		tr.step()
		assert.Equal(t, []string{"send-*"}, tr.view.tokens[model.HashToken(third)].Scope.Workflows)

		require.NoError(t, s.RevokeToken(ctx, tok.ID))
		d = tr.step()
		assert.ElementsMatch(t, []model.TokenHash{model.HashToken(second), model.HashToken(third)}, d.RemovedTokens)
		assert.Empty(t, d.Tokens, "a revoked token is not added back")
		assert.Len(t, tr.view.tokens, 1)
		assert.Contains(t, tr.view.tokens, model.HashToken(kept))
	})
}

func TestRecordingCallsChangesNothingAReaderHolds(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, _ string) {
		_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "kept"})
		require.NoError(t, err)
		tr := track(t, s)
		require.NoError(t, s.RecordCalls(ctx, []Call{{At: time.Now(), Workflow: "-", TokenID: tok.ID, Via: "proxy", Status: 200}}))
		assert.True(t, tr.step().Empty(), "last_used_at is bookkeeping")
	})
}

func TestReadDeltaRemovesRevokedLinksAndRereadsChangedPrefixes(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, _ string) {
		_, err := s.AddPrefix(ctx, "/fileupload/", "")
		require.NoError(t, err)
		tr := track(t, s)

		secret, l, err := s.CreateLink(ctx, NewLink{Path: "/fileupload/u1/report.pdf"})
		require.NoError(t, err)
		d := tr.step()
		require.Len(t, d.Links, 1)
		assert.False(t, d.PrefixesChanged)

		require.NoError(t, s.RevokeLink(ctx, l.ID))
		d = tr.step()
		assert.Equal(t, []model.TokenHash{model.HashToken(secret)}, d.RemovedLinks)
		assert.Empty(t, tr.view.links)

		_, err = s.AddPrefix(ctx, "/private/", "")
		require.NoError(t, err)
		d = tr.step()
		assert.True(t, d.PrefixesChanged)
		assert.Equal(t, []string{"/fileupload/", "/private/"}, d.Prefixes)

		require.NoError(t, s.RemovePrefix(ctx, "/fileupload/"))
		d = tr.step()
		assert.True(t, d.PrefixesChanged, "a removal is a change too")
		assert.Equal(t, []string{"/private/"}, tr.view.prefixes)
	})
}

func TestEveryStampedGenerationIsAtMostTheCurrentOne(t *testing.T) {
	s, _ := openTemp(t)
	_, err := s.AddPrefix(ctx, "/fileupload/", "")
	require.NoError(t, err)
	_, err = s.CreateWorkflow(ctx, model.NewWorkflow("a"), SourceCLI)
	require.NoError(t, err)
	_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "t"})
	require.NoError(t, err)
	_, _, err = s.RotateToken(ctx, tok.ID, time.Hour)
	require.NoError(t, err)
	_, _, err = s.CreateLink(ctx, NewLink{Path: "/fileupload/x"})
	require.NoError(t, err)

	var gen, newest int64
	require.NoError(t, s.conn().QueryRowContext(ctx, `SELECT generation, max((SELECT max(gen) FROM workflows), (SELECT max(gen) FROM tokens),
		(SELECT max(gen) FROM links), (SELECT max(gen) FROM file_prefixes), (SELECT max(gen) FROM tombstones)) FROM meta`).Scan(&gen, &newest))
	assert.Equal(t, gen, newest, "the last change is stamped with the current generation, none beyond it")
	var distinct, rows int
	require.NoError(t, s.conn().QueryRowContext(ctx, `SELECT count(DISTINCT gen), count(*) FROM (SELECT gen FROM workflows UNION ALL
		SELECT gen FROM tokens UNION ALL SELECT gen FROM links UNION ALL SELECT gen FROM file_prefixes)`).Scan(&distinct, &rows))
	assert.Equal(t, rows, distinct, "every change has its own generation")
}

func TestAReaderOlderThanThePrunedRemovalsReadsEverything(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, _ string) {
		_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "t"})
		require.NoError(t, err)
		old, err := s.Generation(ctx)
		require.NoError(t, err)
		require.NoError(t, s.RevokeToken(ctx, tok.ID))
		recent, err := s.Generation(ctx)
		require.NoError(t, err)

		// Nothing is old enough yet: the revocation is kept.
		_, err = s.PruneCalls(ctx, time.Now(), 100)
		require.NoError(t, err)
		d, err := s.ReadDelta(ctx, old)
		require.NoError(t, err)
		assert.False(t, d.Full)
		assert.Len(t, d.RemovedTokens, 1)

		require.NoError(t, s.pruneTombstones(ctx, time.Now().Add(time.Hour)))
		d, err = s.ReadDelta(ctx, old)
		require.NoError(t, err)
		assert.True(t, d.Full, "the revocation is no longer recorded: a delta would miss it")
		assert.Empty(t, d.RemovedTokens)
		d, err = s.ReadDelta(ctx, recent)
		require.NoError(t, err)
		assert.False(t, d.Full, "a reader that saw the revocation needs nothing more")
		assert.True(t, d.Empty())

		d, err = s.ReadDelta(ctx, recent+1)
		require.NoError(t, err)
		assert.True(t, d.Full, "a store behind the reader (a restored backup) is read whole")
	})
}

func TestStep5KeepsEveryRowAndSendsOlderReadersToAFullRead(t *testing.T) {
	path, before := createAtVersion(t, 4, `
INSERT INTO workflows (id, name, created_at, updated_at)
	VALUES (1, 'send-invoice', '2024-01-01T00:00:00.000000000Z', '2024-01-01T00:00:00.000000000Z'),
	       (2, 'reset-pw', '2024-01-01T00:00:00.000000000Z', '2024-01-01T00:00:00.000000000Z');
INSERT INTO tokens (id, name, kind, user_id, prefix, hash, created_at) VALUES
	('tok_admin', 'ci', 'admin', '', 'fga_AAAA', randomblob(32), '2024-01-01T00:00:00.000000000Z'),
	('tok_user', 'app', 'user', 'u1', 'fgu_BBBB', randomblob(32), '2024-01-01T00:00:00.000000000Z');`)
	require.Positive(t, before)
	s, err := Open(path)
	require.NoError(t, err)
	defer s.Close()
	snap, err := s.ReadSnapshot(ctx)
	require.NoError(t, err)
	assert.Equal(t, before, snap.Generation, "migrating changes no setting")
	assert.Len(t, snap.Workflows, 2)
	assert.Len(t, snap.Tokens, 2)

	d, err := s.ReadDelta(ctx, before-1)
	require.NoError(t, err)
	assert.True(t, d.Full, "no removal before step 5 was recorded: a reader from then reads everything")
	d, err = s.ReadDelta(ctx, before)
	require.NoError(t, err)
	assert.True(t, d.Empty())

	_, err = s.CreateWorkflow(ctx, model.NewWorkflow("after"), SourceCLI)
	require.NoError(t, err)
	d, err = s.ReadDelta(ctx, before)
	require.NoError(t, err)
	require.Len(t, d.Workflows, 1, "the rows migrated are not read again")
	assert.Equal(t, "after", d.Workflows[0].Name)
}
