package checker

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

var ctx = context.Background()

// fixture is a real database file with workflows for every state and one
// token of each kind, plus an expired and a revoked one.
type fixture struct {
	store            *store.Store
	path             string
	admin, user      string // secrets
	adminID, userID  string // token ids
	expired, revoked string
	expiredID        string
}

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
	path := filepath.Join(t.TempDir(), "flowgate.db")
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
	return f
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
