package ui

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

// Golden screens: the real program (teatest) at a fixed 100×30 with the
// ASCII colour profile (set in TestMain), compared as plain text with
// testdata/<TestName>.golden. Update them with `go test ./ui/ -update`.

// goldenApp is a small fixed app covering each exposure.
func goldenApp(t *testing.T, s *store.Store) {
	create(t, s, spec{name: "export-customers", public: true, auth: model.AuthAdmin, method: model.MethodGET,
		privacy: true, desc: "CSV export of every customer"})
	create(t, s, spec{name: "login", public: true, auth: model.AuthNone, desc: "Sends a sign-in code",
		params: []model.Parameter{body("email", "text")}})
	create(t, s, spec{name: "nightly-cleanup", auth: model.AuthAdmin, desc: "Deletes expired sessions"})
	create(t, s, spec{name: "send-invoice", public: true, auth: model.AuthUser, desc: "Sends an invoice by email",
		params: []model.Parameter{body("invoice_id", "text"), {Key: "cc", Type: "text", In: model.ParamInBody, IsList: true, Optional: true}}})
	create(t, s, spec{name: "update-profile", public: true, auth: model.AuthUser, privacy: true})
}

// screen runs the editor on s, waits for the first frame, lets steps drive
// it, then quits and returns the final screen as plain text.
func screen(t *testing.T, s *store.Store, steps func(tm *teatest.TestModel)) string {
	t.Helper()
	return screenWith(t, s, Options{}, steps)
}

// screenWith is screen with other options (a clock).
func screenWith(t *testing.T, s *store.Store, opts Options, steps func(tm *teatest.TestModel)) string {
	t.Helper()
	tm := teatest.NewTestModel(t, New(context.Background(), s, opts), teatest.WithInitialTermSize(100, 30))
	// The first workflow is selected, and the panel's "Callable by" has
	// had its own read of the tokens (one wait: each reads the output on).
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte("Workflows 1/")) && callersRead.Match(b)
	}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
	if steps != nil {
		steps(tm)
	}
	require.NoError(t, tm.Quit())
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	return ansi.Strip(final.View())
}

// waitFor waits until text has been drawn.
func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(text)) },
		teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
}

func press(tm *teatest.TestModel, keys ...string) {
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
}

// settle waits for the answer of a command a key started (keys themselves
// are handled in order before the quit message, so need no waiting).
func settle(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	waitFor(t, tm, text)
}

var (
	callersRead = regexp.MustCompile(`Callable by: [a-z0-9]`)
	datePattern = regexp.MustCompile(`\d{4}-\d{2}-\d{2}`)
	timePattern = regexp.MustCompile(`\d{2}:\d{2}:\d{2}`)
)

// normalize replaces what changes from run to run with fixed text of the
// same width, so columns stay aligned.
func normalize(s string, replace map[string]string) string {
	for from, to := range replace {
		s = strings.ReplaceAll(s, from, to)
	}
	s = datePattern.ReplaceAllString(s, "YYYY-MM-DD")
	return timePattern.ReplaceAllString(s, "hh:mm:ss")
}

func TestGoldenListAndPanel(t *testing.T) {
	s := openStore(t)
	goldenApp(t, s)
	out := screen(t, s, func(tm *teatest.TestModel) {
		// update-profile: apply privacy rules again (an unsaved edit), then
		// back to the list through the fields, and up to send-invoice.
		press(tm, "j", "j", "j", "j", "tab", "down", "down", "space", "k", "tab", "tab", "tab", "tab", "up")
	})
	golden.RequireEqual(t, []byte(out))
}

func TestGoldenDropdownOpen(t *testing.T) {
	s := openStore(t)
	goldenApp(t, s)
	out := screen(t, s, func(tm *teatest.TestModel) {
		press(tm, "j", "j", "j", "tab", "down", "enter")
	})
	golden.RequireEqual(t, []byte(out))
}

func TestGoldenScheduledOnly(t *testing.T) {
	s := openStore(t)
	goldenApp(t, s)
	out := screen(t, s, func(tm *teatest.TestModel) {
		press(tm, "j", "j")
	})
	golden.RequireEqual(t, []byte(out))
}

func TestGoldenReview(t *testing.T) {
	s := openStore(t)
	goldenApp(t, s)
	w := model.NewWorkflow("legacy-refund")
	w.Public, w.Auth, w.AuthMigrated = true, model.LegacyAuth(false), true
	_, err := s.CreateWorkflow(context.Background(), w, store.SourceImport)
	require.NoError(t, err)
	create(t, s, spec{name: "stripe-webhook", public: true, auth: model.AuthNone, privacy: true,
		params: []model.Parameter{body("secret", "text")}})
	out := screen(t, s, func(tm *teatest.TestModel) {
		press(tm, "2", "j")
	})
	golden.RequireEqual(t, []byte(out))
}

func TestGoldenTokens(t *testing.T) {
	s := openStore(t)
	goldenApp(t, s)
	ctx := context.Background()
	_, admin, err := s.CreateToken(ctx, store.NewToken{Kind: model.TokenAdmin, Name: "ci-deploy"})
	require.NoError(t, err)
	_, user, err := s.CreateToken(ctx, store.NewToken{Kind: model.TokenUser, Name: "mobile-app", UserID: "u_1042"})
	require.NoError(t, err)
	require.NoError(t, s.RevokeToken(ctx, user.ID))
	out := screen(t, s, func(tm *teatest.TestModel) {
		press(tm, "4")
		settle(t, tm, "mobile-app")
	})
	out = normalize(out, map[string]string{
		admin.Prefix: "fga_XXXX", user.Prefix: "fgu_XXXX", admin.ID: "tok_XXXXXXXXXXXX", user.ID: "tok_YYYYYYYYYYYY",
	})
	golden.RequireEqual(t, []byte(out))
}

func TestGoldenWelcome(t *testing.T) {
	s := openStore(t)
	tm := teatest.NewTestModel(t, New(context.Background(), s, Options{}), teatest.WithInitialTermSize(100, 30))
	waitFor(t, tm, "Welcome to flowgate")
	require.NoError(t, tm.Quit())
	final := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(Model)
	golden.RequireEqual(t, []byte(ansi.Strip(final.View())))
}

// A burst of typed keys arrives as one message and still counts as keys.
func TestKeyBurstIsSeveralKeystrokes(t *testing.T) {
	s := openStore(t)
	goldenApp(t, s)
	d := newDriver(t, s)
	d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjj")})
	require.Equal(t, "send-invoice", d.workflows().panel.w.Name)
}

// TestGoldenMigrated shows an imported workflow whose auth came from the
// legacy checkbox: a "?" mark on its row and a hint to confirm the choice.
func TestGoldenMigrated(t *testing.T) {
	s := openStore(t)
	goldenApp(t, s)
	w := model.NewWorkflow("legacy-refund")
	w.Public, w.Auth, w.AuthMigrated = true, model.LegacyAuth(false), true
	_, err := s.CreateWorkflow(context.Background(), w, store.SourceImport)
	require.NoError(t, err)
	out := screen(t, s, func(tm *teatest.TestModel) {
		press(tm, "j")
	})
	golden.RequireEqual(t, []byte(out))
}

// TestGoldenMarkedRows shows three workflows marked for a bulk edit and
// set to Admin only as one draft: the marks, the header's count and the
// panel that edits them together.
func TestGoldenMarkedRows(t *testing.T) {
	s := openStore(t)
	goldenApp(t, s)
	out := screen(t, s, func(tm *teatest.TestModel) {
		// Mark export-customers, send-invoice and update-profile (m marks
		// and moves down), then choose Admin only for all three.
		press(tm, "m", "j", "j", "m", "m", "tab", "down", "enter", "down", "down", "enter")
	})
	golden.RequireEqual(t, []byte(out))
}
