package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
)

// withPrefix opens the store at loc protecting /fileupload/ with the clock pinned.
func withPrefix(t *testing.T, loc string, t0 time.Time) (*Store, *time.Time) {
	t.Helper()
	clock := pinClock(t, t0)
	s := openAt(t, loc)
	_, err := s.AddPrefix(ctx, "/fileupload/", "")
	require.NoError(t, err)
	return s, clock
}

var linkEpoch = time.Date(2030, 6, 1, 8, 0, 0, 0, time.UTC)

func TestCreateLinkOnlyForPathsUnderAPrefix(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		s, _ := withPrefix(t, loc, linkEpoch)
		secret, l, err := s.CreateLink(WithActor(ctx, "bob"), NewLink{Path: "/fileupload/u1/report.pdf", Name: "for the LLM"})
		require.NoError(t, err)
		assert.True(t, model.WellFormedLink(secret))
		assert.Regexp(t, `^lnk_[0-9A-Za-z]{12}$`, l.ID)
		assert.Equal(t, Link{ID: l.ID, Name: "for the LLM", Path: "/fileupload/u1/report.pdf", CreatedAt: linkEpoch,
			ExpiresAt: linkEpoch.Add(model.DefaultLinkLifetime)}, l, "an hour unless asked otherwise")

		listed, err := s.ListLinks(ctx)
		require.NoError(t, err)
		assert.Equal(t, []Link{l}, listed)
		snap, err := s.ReadSnapshot(ctx)
		require.NoError(t, err)
		assert.Equal(t, []LinkKey{{Hash: model.HashToken(secret), ID: l.ID, Path: l.Path, ExpiresAt: l.ExpiresAt}}, snap.Links)

		trail, err := s.HistoryOf(ctx, SubjectLink, l.ID)
		require.NoError(t, err)
		require.Len(t, trail, 1)
		assert.Equal(t, `created: path="/fileupload/u1/report.pdf" name="for the LLM" expires=2030-06-01T09:00:00Z`, trail[0].New)
		assert.Equal(t, "bob", trail[0].Actor)
		assert.Equal(t, snap.Generation, trail[0].Generation)

		for _, c := range []struct {
			nl   NewLink
			want string
		}{
			{NewLink{Path: "/private/a.pdf"}, "path /private/a.pdf is not under a protected prefix (add one with 'flowgate files add PREFIX')"},
			{NewLink{Path: "/fileupload"}, "path /fileupload is not under a protected prefix"},
			{NewLink{Path: "/fileupload/"}, "not a folder"},
			{NewLink{Path: "/fileupload/../etc/passwd"}, ". or .. segment"},
			{NewLink{Path: "/fileupload/*.pdf"}, "* is not allowed"},
			{NewLink{Path: "fileupload/a.pdf"}, "absolute path"},
			{NewLink{Path: "/fileupload/a.pdf", Name: "a\x1b[2Jb"}, "control character"},
		} {
			_, _, err := s.CreateLink(ctx, c.nl)
			assert.ErrorContains(t, err, c.want)
		}
		listed, err = s.ListLinks(ctx)
		require.NoError(t, err)
		assert.Len(t, listed, 1, "refused links write nothing")

		_, upper, err := s.CreateLink(ctx, NewLink{Path: "/FileUpload/x.pdf"})
		require.NoError(t, err, "prefixes are matched ignoring case, as the checker matches requests")
		assert.Equal(t, "/FileUpload/x.pdf", upper.Path)
	})
}

func TestLinkExpiryIsCappedAtSevenDays(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		s, _ := withPrefix(t, loc, linkEpoch)
		_, l, err := s.CreateLink(ctx, NewLink{Path: "/fileupload/a.pdf", ExpiresAt: linkEpoch.Add(model.MaxLinkLifetime)})
		require.NoError(t, err, "exactly seven days is allowed")
		assert.Equal(t, linkEpoch.Add(7*24*time.Hour), l.ExpiresAt)
		for _, c := range []struct {
			expires time.Time
			want    string
		}{
			{linkEpoch.Add(model.MaxLinkLifetime + time.Nanosecond), "a share link lasts at most 7d"},
			{linkEpoch, "it is not in the future"},
			{linkEpoch.Add(-time.Hour), "it is not in the future"},
		} {
			_, _, err := s.CreateLink(ctx, NewLink{Path: "/fileupload/a.pdf", ExpiresAt: c.expires})
			assert.ErrorContains(t, err, c.want)
		}
		links, err := s.ListLinks(ctx)
		require.NoError(t, err)
		assert.Len(t, links, 1)
	})
}

func TestRevokedAndExpiredLinksAreAbsentFromTheSnapshot(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		s, clock := withPrefix(t, loc, linkEpoch)
		_, revoked, err := s.CreateLink(ctx, NewLink{Path: "/fileupload/a.pdf"})
		require.NoError(t, err)
		_, short, err := s.CreateLink(ctx, NewLink{Path: "/fileupload/b.pdf", ExpiresAt: linkEpoch.Add(time.Minute)})
		require.NoError(t, err)
		_, kept, err := s.CreateLink(ctx, NewLink{Path: "/fileupload/c.pdf"})
		require.NoError(t, err)

		gen, err := s.Generation(ctx)
		require.NoError(t, err)
		require.NoError(t, s.RevokeLink(WithActor(ctx, "carol"), revoked.ID))
		after, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Greater(t, after, gen, "revoking bumps the generation so checkers drop the link")

		*clock = linkEpoch.Add(time.Minute)
		snap, err := s.ReadSnapshot(ctx)
		require.NoError(t, err)
		require.Len(t, snap.Links, 1)
		assert.Equal(t, kept.ID, snap.Links[0].ID)

		links, err := s.ListLinks(ctx)
		require.NoError(t, err)
		require.Len(t, links, 3, "link list shows revoked and expired links too")
		byID := map[string]Link{}
		for _, l := range links {
			byID[l.ID] = l
		}
		require.NotNil(t, byID[revoked.ID].RevokedAt)
		assert.Equal(t, linkEpoch, *byID[revoked.ID].RevokedAt)
		assert.Nil(t, byID[short.ID].RevokedAt)
		assert.Equal(t, short.ExpiresAt, byID[short.ID].ExpiresAt)

		trail, err := s.HistoryOf(ctx, SubjectLink, revoked.ID)
		require.NoError(t, err)
		require.Len(t, trail, 2)
		assert.Equal(t, []string{"revoked", "revoked", "carol"}, []string{trail[0].Field, trail[0].New, trail[0].Actor})

		err = s.RevokeLink(ctx, revoked.ID)
		assert.ErrorIs(t, err, ErrAlreadyRevoked)
		assert.ErrorContains(t, err, "link "+revoked.ID+" was revoked at 2030-06-01T08:00:00Z")
		err = s.RevokeLink(ctx, "lnk_nope")
		assert.ErrorIs(t, err, ErrNotFound)
		assert.ErrorContains(t, err, `no link with id "lnk_nope"`)
		same, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Equal(t, after, same, "refused revocations write nothing")
	})
}

func TestRemovingAPrefixRevokesTheLinksItCovered(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		s, _ := withPrefix(t, loc, linkEpoch)
		_, err := s.AddPrefix(ctx, "/fileupload/shared/", "")
		require.NoError(t, err)
		_, err = s.AddPrefix(ctx, "/other/", "")
		require.NoError(t, err)
		_, inShared, err := s.CreateLink(ctx, NewLink{Path: "/fileupload/shared/a.pdf"})
		require.NoError(t, err)
		_, inOther, err := s.CreateLink(ctx, NewLink{Path: "/other/b.pdf"})
		require.NoError(t, err)

		require.NoError(t, s.RemovePrefix(ctx, "/fileupload/shared/"))
		require.NoError(t, s.RemovePrefix(ctx, "/other/"))
		snap, err := s.ReadSnapshot(ctx)
		require.NoError(t, err)
		require.Len(t, snap.Links, 1, "a link still covered by another prefix stays")
		assert.Equal(t, inShared.ID, snap.Links[0].ID)

		// Adding the prefix back does not bring the revoked link back.
		_, err = s.AddPrefix(ctx, "/other/", "")
		require.NoError(t, err)
		snap, err = s.ReadSnapshot(ctx)
		require.NoError(t, err)
		assert.Len(t, snap.Links, 1)
		trail, err := s.HistoryOf(ctx, SubjectLink, inOther.ID)
		require.NoError(t, err)
		assert.Equal(t, "revoked: no protected prefix covers /other/b.pdf any more", trail[0].New)
	})
}

func TestLinkCallsAreLoggedAndMarkTheLinkUsedWithoutABump(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		s, _ := withPrefix(t, loc, linkEpoch)
		_, l, err := s.CreateLink(ctx, NewLink{Path: "/fileupload/a.pdf"})
		require.NoError(t, err)
		gen, err := s.Generation(ctx)
		require.NoError(t, err)
		used := linkEpoch.Add(10 * time.Minute)
		require.NoError(t, s.RecordCalls(ctx, []Call{
			{At: used.Add(-time.Minute), Workflow: "", LinkID: l.ID, Status: 200},
			{At: used, LinkID: l.ID, Status: 200},
			{At: used, Workflow: "wf", TokenID: "tok_x", Status: 200},
		}))
		require.NoError(t, s.RecordCalls(ctx, []Call{{At: used.Add(-5 * time.Minute), LinkID: l.ID, Status: 200}}))

		links, err := s.ListLinks(ctx)
		require.NoError(t, err)
		require.NotNil(t, links[0].LastUsedAt)
		assert.Equal(t, used, *links[0].LastUsedAt, "the latest use, never moved back by a late batch")
		after, err := s.Generation(ctx)
		require.NoError(t, err)
		assert.Equal(t, gen, after, "bookkeeping must not make every checker reload")

		calls, err := s.ListCalls(ctx, CallFilter{LinkID: l.ID})
		require.NoError(t, err)
		require.Len(t, calls, 3, "one count per minute")
		late := used.Add(-5 * time.Minute)
		assert.Equal(t, Call{At: late, LinkID: l.ID, Status: 200, Count: 1, FirstAt: late, LastAt: late}, calls[2],
			"newest first: the late batch's minute comes last")
	})
}

func TestLinkAndRotatedSecretsAreNeverStoredInTheClear(t *testing.T) {
	eachBackend(t, func(t *testing.T, loc string) {
		s, _ := withPrefix(t, loc, linkEpoch)
		link, l, err := s.CreateLink(ctx, NewLink{Path: "/fileupload/a.pdf"})
		require.NoError(t, err)
		_, tok, err := s.CreateToken(ctx, NewToken{Kind: model.TokenAdmin, Name: "ci"})
		require.NoError(t, err)
		rotated, _, err := s.RotateToken(ctx, tok.ID, time.Hour)
		require.NoError(t, err)
		require.NoError(t, s.Close())
		assertStoredAsHashOnly(t, loc, `SELECT hash FROM links WHERE id = ?`, l.ID, link, rotated)
	})
}
