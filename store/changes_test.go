package store

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

func TestEveryKindOfWriteIsInTheTrailWithItsGeneration(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		as := WithActor(ctx, "dana")
		w, err := s.CreateWorkflow(as, model.NewWorkflow("send-invoice"), SourceEditor)
		require.NoError(t, err)
		genWorkflow, err := s.Generation(ctx)
		require.NoError(t, err)
		_, tok, err := s.CreateToken(as, NewToken{Kind: model.TokenAdmin, Name: "ci"})
		require.NoError(t, err)
		require.NoError(t, s.RevokeToken(as, tok.ID))
		_, err = s.AddPrefix(as, "/fileupload/", "")
		require.NoError(t, err)
		_, l, err := s.CreateLink(as, NewLink{Path: "/fileupload/a.pdf"})
		require.NoError(t, err)
		final, err := s.Generation(ctx)
		require.NoError(t, err)

		all, err := s.HistoryOf(ctx, "", "")
		require.NoError(t, err)
		type row struct {
			kind     SubjectKind
			id       string
			field    string
			source   Source
			actor    string
			workflow string
		}
		var got []row
		for _, c := range all {
			got = append(got, row{c.SubjectKind, c.SubjectID, c.Field, c.Source, c.Actor, c.Workflow})
		}
		assert.Equal(t, []row{
			{SubjectLink, l.ID, "link", SourceCLI, "dana", ""},
			{SubjectPrefix, "/fileupload/", "files-prefix", SourceCLI, "dana", ""},
			{SubjectToken, tok.ID, "revoked", SourceCLI, "dana", ""},
			{SubjectToken, tok.ID, "token", SourceCLI, "dana", ""},
			{SubjectWorkflow, "1", "workflow", SourceEditor, "dana", "send-invoice"},
		}, got)
		assert.Equal(t, final, all[0].Generation, "the last write produced the current generation")
		assert.Equal(t, genWorkflow, all[4].Generation)
		for i := 1; i < len(all); i++ {
			assert.Greater(t, all[i-1].Generation, all[i].Generation, "each write produced a newer generation")
		}

		workflows, err := s.History(ctx, "")
		require.NoError(t, err)
		require.Len(t, workflows, 1, "History lists workflow changes only, as before")
		assert.Equal(t, w.Name, workflows[0].Workflow)
		tokens, err := s.HistoryOf(ctx, SubjectToken, "")
		require.NoError(t, err)
		assert.Len(t, tokens, 2)
	})
}

func TestAnUnprintableActorIsRefusedAndWritesNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		bad := WithActor(ctx, "eve\x1b[2J")
		_, err := s.CreateWorkflow(bad, model.NewWorkflow("x"), SourceCLI)
		assert.ErrorContains(t, err, "invalid actor: control character U+001B at position 4 is not allowed (use printable text on one line)")
		_, _, err = s.CreateToken(bad, NewToken{Kind: model.TokenAdmin, Name: "ci"})
		assert.ErrorContains(t, err, "invalid actor")
		all, err := s.HistoryOf(ctx, "", "")
		require.NoError(t, err)
		assert.Empty(t, all)
		toks, err := s.ListTokens(ctx)
		require.NoError(t, err)
		assert.Empty(t, toks)
		_, _, err = s.CreateToken(WithSource(ctx, Source("robot")), NewToken{Kind: model.TokenAdmin, Name: "ci"})
		assert.ErrorContains(t, err, `invalid change source "robot"`)
	})
}
