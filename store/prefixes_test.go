package store

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPrefixesAreValidatedSortedAndInTheSnapshot(t *testing.T) {
	eachStore(t, func(t *testing.T, s *Store, loc string) {
		before, err := s.Generation(ctx)
		require.NoError(t, err)
		for _, p := range []string{"/uploads/", "/fileupload/", "/fileupload/private/"} {
			_, err := s.AddPrefix(WithActor(ctx, "alice"), p, "files of "+p)
			require.NoError(t, err)
		}
		after, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Greater(t, after, before)

		list, err := s.ListPrefixes(ctx)
		require.NoError(t, err)
		var got []string
		for _, p := range list {
			got = append(got, p.Prefix)
			assert.Equal(t, "files of "+p.Prefix, p.Description)
			assert.False(t, p.CreatedAt.IsZero())
		}
		want := []string{"/fileupload/", "/fileupload/private/", "/uploads/"}
		assert.Equal(t, want, got)
		snap, err := s.ReadSnapshot(ctx)
		require.NoError(t, err)
		assert.Equal(t, want, snap.Prefixes)
		assert.Equal(t, after, snap.Generation)

		trail, err := s.HistoryOf(ctx, SubjectPrefix, "/uploads/")
		require.NoError(t, err)
		require.Len(t, trail, 1)
		assert.Equal(t, Change{ID: trail[0].ID, At: trail[0].At, SubjectKind: SubjectPrefix, SubjectID: "/uploads/",
			Field: "files-prefix", New: `added: description="files of /uploads/"`, Source: SourceCLI, Actor: "alice",
			Generation: trail[0].Generation}, trail[0])

		for _, c := range []struct{ prefix, description, want string }{
			{"/uploads/", "", "prefix /uploads/ already exists"},
			{"/UPLOADS/", "", "prefix /UPLOADS/ already exists as /uploads/"},
			{"/uploads", "", "it must end with /"},
			{"/a/../b/", "", ". or .. segment"},
			{"/api/1.1/wf/", "", "overlaps /api/1.1/wf/"},
			{"/ok/", "line\nbreak", "invalid description: control character U+000A at position 5 is not allowed (use printable text on one line)"},
		} {
			_, err := s.AddPrefix(ctx, c.prefix, c.description)
			assert.ErrorContains(t, err, c.want)
		}
		_, err = s.AddPrefix(ctx, "/uploads/", "")
		assert.ErrorIs(t, err, ErrExists)
		unchanged, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Equal(t, after, unchanged, "refused adds write nothing")

		require.NoError(t, s.RemovePrefix(ctx, "/uploads/"))
		snap, err = s.ReadSnapshot(ctx)
		require.NoError(t, err)
		assert.Equal(t, []string{"/fileupload/", "/fileupload/private/"}, snap.Prefixes)
		assert.Greater(t, snap.Generation, after)
		trail, err = s.HistoryOf(ctx, SubjectPrefix, "/uploads/")
		require.NoError(t, err)
		require.Len(t, trail, 2)
		assert.Equal(t, "removed", trail[0].New)
		assert.Equal(t, `description="files of /uploads/"`, trail[0].Old)

		err = s.RemovePrefix(ctx, "/uploads/")
		assert.ErrorIs(t, err, ErrNotFound)
		assert.ErrorContains(t, err, `no protected prefix "/uploads/"`)
		assert.ErrorIs(t, s.RemovePrefix(ctx, "/FILEUPLOAD/"), ErrNotFound, "removal compares exactly")
	})
}
