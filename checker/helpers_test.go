package checker

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

var ctx = context.Background()

// fixture is a real database file with workflows for every state and one
// token of each kind, plus an expired and a revoked one; scoped tokens, a
// rotated token, the protected prefix /fileupload/ and share links (see
// addScopesAndLinks).
type fixture struct {
	store            *store.Store
	path             string
	admin, user      string // secrets
	adminID, userID  string // token ids
	expired, revoked string
	expiredID        string

	// Scoped tokens: secret and id of each.
	userGlob, userGlobID string // user-7: workflows table-*, public-*, send-*
	userOut, userOutID   string // user-9: workflows nothing-*, files /fileupload/shared/
	adminOut, adminOutID string // admin: no workflows, files /fileupload/
	reader, readerID     string // user-5: workflows *, files /fileupload/shared/
	// rotated is an admin token rotated with a day's overlap: both
	// secrets work; rotatedGone was rotated with none: its old secret
	// no longer works.
	rotatedOld, rotatedNew, rotatedID string
	rotatedGone                       string
	// Share links to sharedFile (link: valid for a day; expiredLink: an
	// hour, past under the fixture's clock; revokedLink: revoked).
	link, linkID             string
	expiredLink, revokedLink string
}

// The fixture's protected prefix and the file its links open.
const (
	filesPrefix = "/fileupload/"
	sharedFile  = "/fileupload/shared/report.pdf"
)

// workflowStates are the workflows every fixture has: "<exposure>-<auth>-<method>".
var workflowStates = []struct {
	name   string
	public bool
	auth   model.Auth
	method model.Method
}{
	{"scheduled-none-post", false, model.AuthNone, model.MethodPOST},
	{"scheduled-user-get", false, model.AuthUser, model.MethodGET},
	{"public-none-post", true, model.AuthNone, model.MethodPOST},
	{"public-none-get", true, model.AuthNone, model.MethodGET},
	{"public-user-post", true, model.AuthUser, model.MethodPOST},
	{"public-user-get", true, model.AuthUser, model.MethodGET},
	{"public-admin-post", true, model.AuthAdmin, model.MethodPOST},
	{"public-admin-get", true, model.AuthAdmin, model.MethodGET},
	{"Send-Invoice", true, model.AuthUser, model.MethodPOST},
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureAt(t, filepath.Join(t.TempDir(), "flowgate.db"))
}

// newFixtureAt is newFixture on the store at path, a SQLite file or the URL
// of a migrated PostgreSQL database.
func newFixtureAt(t testing.TB, path string) *fixture {
	t.Helper()
	s, err := store.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	for _, st := range workflowStates {
		w := model.NewWorkflow(st.name)
		w.Public, w.Auth, w.Method = st.public, st.auth, st.method
		_, err := s.CreateWorkflow(ctx, w, store.SourceCLI)
		require.NoError(t, err)
	}
	f := &fixture{store: s, path: path}
	var tok store.Token
	f.admin, tok, err = s.CreateToken(ctx, store.NewToken{Kind: model.TokenAdmin, Name: "ci"})
	require.NoError(t, err)
	f.adminID = tok.ID
	f.user, tok, err = s.CreateToken(ctx, store.NewToken{Kind: model.TokenUser, Name: "app", UserID: "user-42"})
	require.NoError(t, err)
	f.userID = tok.ID
	soon := time.Now().Add(time.Hour)
	f.expired, tok, err = s.CreateToken(ctx, store.NewToken{Kind: model.TokenAdmin, Name: "temp", ExpiresAt: &soon})
	require.NoError(t, err)
	f.expiredID = tok.ID
	f.revoked, tok, err = s.CreateToken(ctx, store.NewToken{Kind: model.TokenAdmin, Name: "gone"})
	require.NoError(t, err)
	require.NoError(t, s.RevokeToken(ctx, tok.ID))
	f.addScopesAndLinks(t)
	return f
}

// addScopesAndLinks creates the fixture's scoped and rotated tokens, its
// protected prefix and its share links, all through the store.
func (f *fixture) addScopesAndLinks(t testing.TB) {
	t.Helper()
	s := f.store
	n := 0 // active tokens need names of their own
	scoped := func(kind model.TokenKind, user string, workflows, files []string) (string, string) {
		n++
		secret, tok, err := s.CreateToken(ctx, store.NewToken{Kind: kind, Name: "scoped-" + strconv.Itoa(n), UserID: user,
			Scope: &model.Scope{Workflows: workflows, Files: files}})
		require.NoError(t, err)
		return secret, tok.ID
	}
	f.userGlob, f.userGlobID = scoped(model.TokenUser, "user-7", []string{"table-*", "public-*", "send-*"}, []string{})
	f.userOut, f.userOutID = scoped(model.TokenUser, "user-9", []string{"nothing-*"}, []string{"/fileupload/shared/"})
	f.adminOut, f.adminOutID = scoped(model.TokenAdmin, "", []string{}, []string{filesPrefix})
	f.reader, f.readerID = scoped(model.TokenUser, "user-5", []string{"*"}, []string{"/fileupload/shared/"})

	var err error
	f.rotatedOld, f.rotatedID = scoped(model.TokenAdmin, "", []string{"*"}, []string{})
	f.rotatedNew, _, err = s.RotateToken(ctx, f.rotatedID, 24*time.Hour)
	require.NoError(t, err)
	var goneID string
	f.rotatedGone, goneID = scoped(model.TokenAdmin, "", []string{"*"}, []string{})
	_, _, err = s.RotateToken(ctx, goneID, 0)
	require.NoError(t, err)

	_, err = s.AddPrefix(ctx, filesPrefix, "uploads")
	require.NoError(t, err)
	link := func(hours time.Duration) (string, store.Link) {
		secret, l, err := s.CreateLink(ctx, store.NewLink{Path: sharedFile, Name: "for the auditor",
			ExpiresAt: time.Now().Add(hours * time.Hour)})
		require.NoError(t, err)
		return secret, l
	}
	var l store.Link
	f.link, l = link(24)
	f.linkID = l.ID
	f.expiredLink, _ = link(1)
	f.revokedLink, l = link(24)
	require.NoError(t, s.RevokeLink(ctx, l.ID))
}

// checker returns a loaded Checker whose clock is two hours ahead, so the
// "expired" token (valid for one hour) is past its expiry.
func (f *fixture) checker(t testing.TB, opts Options) *Checker {
	t.Helper()
	if opts.Now == nil {
		opts.Now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	}
	c := New(opts)
	require.NoError(t, c.Load(ctx, f.store))
	return c
}

// server serves a checker loaded from f (see checker) with every gateway
// endpoint and no upstream, until the test ends.
func (f *fixture) server(t testing.TB, opts Options) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(f.checker(t, opts).Handler(nil))
	t.Cleanup(srv.Close)
	return srv
}
