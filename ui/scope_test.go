package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

// Token scopes in the editor: the form's scope fields with their live
// count, and the panel's "Callable by" from model.WhoCan.

func createToken(t testing.TB, s *store.Store, nt store.NewToken) store.Token {
	t.Helper()
	_, tok, err := s.CreateToken(context.Background(), nt)
	require.NoError(t, err)
	return tok
}

func scopeOf(workflows []string, files ...string) *model.Scope {
	return &model.Scope{Workflows: workflows, Files: append([]string{}, files...)}
}

func TestTheScopeCountUpdatesAsPatternsAreTyped(t *testing.T) {
	s := openStore(t)
	for _, n := range []string{"send-invoice", "send-reminder", "login", "export"} {
		create(t, s, spec{name: n})
	}
	addPrefix(t, s, "/fileupload/", "")
	d := newDriver(t, s).keys("4", "n")
	assert.Contains(t, d.view(), "matches 4 workflows (of 4 today)", "the default scope, spelled out")
	assert.Contains(t, d.view(), "none: the token may read no private file")

	d.typeText("ocr").keys("tab", "tab", "backspace") // the workflows field, emptied
	assert.Contains(t, d.view(), "none: the token may call no workflow")
	d.typeText("send")
	assert.Contains(t, d.view(), "matches no workflow today")
	d.typeText("-*")
	assert.Contains(t, d.view(), "matches 2 workflows (of 4 today)")
	d.typeText(", LOGIN")
	assert.Contains(t, d.view(), "matches 3 workflows (of 4 today)", "names match ignoring case")
	d.typeText(",")
	assert.Contains(t, d.view(), "an item is", "the mistake, inline")
	d.keys("enter")
	assert.IsType(t, tokenForm{}, d.m.dialog, "not created")
	d.keys("backspace")

	d.keys("tab").typeText("/elsewhere/")
	assert.Contains(t, d.view(), "/elsewhere/ is under no protected prefix")
	for range len("/elsewhere/") {
		d.keys("backspace")
	}
	d.typeText("/fileupload/../x")
	assert.Contains(t, d.view(), "invalid file pattern")
	for range len("../x") {
		d.keys("backspace")
	}
	d.typeText("ocr/")
	assert.Contains(t, d.view(), "1 pattern under the protected prefixes")
	d.keys("enter")
	require.IsType(t, secretDialog{}, d.m.dialog)

	toks, err := s.ListTokens(context.Background())
	require.NoError(t, err)
	require.Len(t, toks, 1)
	assert.Equal(t, model.Scope{Workflows: []string{"send-*", "LOGIN"}, Files: []string{"/fileupload/ocr/"}}, toks[0].Scope)
	d.keys("enter")
	assert.Contains(t, d.view(), "wf: send-*,LOGIN", "the list shows the scope")
	assert.Contains(t, d.view(), "may call: send-*,LOGIN · may read: /fileupload/ocr/")
}

func TestATokenCreatedWithoutTouchingTheScopeGetsTheDefault(t *testing.T) {
	s := openStore(t)
	d := newDriver(t, s).keys("4", "n").typeText("ci").keys("enter")
	require.IsType(t, secretDialog{}, d.m.dialog)
	toks, err := s.ListTokens(context.Background())
	require.NoError(t, err)
	require.Len(t, toks, 1)
	assert.Equal(t, model.DefaultScope(), toks[0].Scope)
}

func TestThePanelSaysWhoCanCallTheWorkflow(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "send-invoice", public: true, auth: model.AuthUser})
	create(t, s, spec{name: "login", public: true, auth: model.AuthNone})
	createToken(t, s, store.NewToken{Kind: model.TokenAdmin, Name: "ci-deploy"})
	createToken(t, s, store.NewToken{Kind: model.TokenUser, Name: "mobile", UserID: "u_1", Scope: scopeOf([]string{"send-*"})})
	createToken(t, s, store.NewToken{Kind: model.TokenUser, Name: "login-only", UserID: "u_2", Scope: scopeOf([]string{"login"})})
	gone := createToken(t, s, store.NewToken{Kind: model.TokenAdmin, Name: "old-admin"})
	require.NoError(t, s.RevokeToken(context.Background(), gone.ID))
	c := &clock{t: time.Now()}
	soon := c.t.Add(time.Hour)
	createToken(t, s, store.NewToken{Kind: model.TokenAdmin, Name: "temp", ExpiresAt: &soon, Scope: scopeOf([]string{"login"})})

	d := newDriverWith(t, s, Options{PollInterval: -1, Now: c.now}).selectName("send-invoice")
	assert.Contains(t, d.view(), "Callable by: 1 admin token · 1 user token")
	assert.NotContains(t, d.view(), "ci-deploy", "folded")
	assert.Contains(t, d.view(), "w who can call", "the key is in the help")

	d.keys("w")
	v := d.view()
	assert.Contains(t, v, "ci-deploy  admin")
	assert.Contains(t, v, "mobile  user u_1")
	assert.NotContains(t, v, "login-only", "out of scope")
	assert.NotContains(t, v, "old-admin", "revoked")
	assert.Contains(t, v, "w hide callers")

	// A token created elsewhere shows once the database says it changed.
	createToken(t, s, store.NewToken{Kind: model.TokenUser, Name: "web", UserID: "u_3"})
	d.send(pollMsg{})
	assert.Contains(t, d.view(), "Callable by: 1 admin token · 2 user tokens")
	assert.Contains(t, d.view(), "web  user u_3")

	// The line follows the draft, like the preview above it.
	d.keys("tab", "space")
	assert.Contains(t, d.view(), "Callable by: nobody (scheduled-only)")
	assert.False(t, d.m.keys.Callers.Enabled(), "nothing to list: the key is not offered")
	assert.NotContains(t, d.view(), "who can call")

	d.selectName("login")
	assert.Contains(t, d.view(), "Callable by: anyone")
	d.keys("esc") // back to the list
	assert.Contains(t, d.view(), "temp  admin", "the tokens in scope are listed on an open workflow too")

	// Tokens expire as time passes: the clock counts them again.
	c.t = c.t.Add(2 * time.Hour)
	d.send(pollMsg{})
	assert.NotContains(t, d.view(), "temp  admin")
}

// The help line with the callers key fits 80 columns. bubbles' help runs
// past its width when its "…" would not fit after the last key that does,
// which this screen hit exactly.
func TestHelpLineWithTheCallersKeyFitsTheScreen(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "send-invoice", public: true, auth: model.AuthUser})
	createToken(t, s, store.NewToken{Kind: model.TokenAdmin, Name: "ci-deploy"})
	d := newDriver(t, s)
	d.send(teaSize(80, 24))
	d.selectName("send-invoice").keys("w", "tab")
	require.True(t, d.m.keys.Callers.Enabled())
	lines := strings.Split(d.view(), "\n")
	require.Len(t, lines, 24)
	for _, l := range lines {
		assert.LessOrEqual(t, ansi.StringWidth(l), 80, l)
	}
	assert.Contains(t, lines[23], "w hide callers")
}
