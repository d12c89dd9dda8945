package ui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

// The Authentication row is drawn only while public; the value survives
// being hidden, both in the editor and in the database.
func TestDropdownOnlyWhilePublicAndValueKept(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "hook", public: true, auth: model.AuthAdmin})
	d := newDriver(t, s).selectName("hook")
	assert.Contains(t, d.view(), "[Admin only ▾]")

	d.keys("tab") // focus "Expose as a public API workflow"
	d.keys("space")
	assert.NotContains(t, d.view(), "Authentication", "row not drawn while not public")
	assert.Contains(t, d.view(), "Scheduled-only: not callable over HTTP")
	assert.Equal(t, model.AuthAdmin, d.workflows().panel.w.Auth, "value kept in the draft")

	d.keys("ctrl+s")
	saved := get(t, s, "hook")
	assert.False(t, saved.Public)
	assert.Equal(t, model.AuthAdmin, saved.Auth, "value kept in the database")

	d.keys("space") // public again
	assert.Contains(t, d.view(), "[Admin only ▾]", "the kept value comes back")
	d.keys("ctrl+s")
	saved = get(t, s, "hook")
	assert.True(t, saved.Public)
	assert.Equal(t, model.AuthAdmin, saved.Auth)
	assert.Equal(t, int64(3), saved.Version)
}

func TestDropdownKeyOnlyInHelpWhilePublic(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "hook", public: true, auth: model.AuthUser})
	d := newDriver(t, s).selectName("hook")
	d.keys("tab", "down") // the Authentication field
	assert.True(t, d.m.keys.OpenDropdown.Enabled())
	assert.Contains(t, d.view(), "enter choose auth")
	d.keys("up", "space") // not public: the field and its key are gone
	assert.False(t, d.m.keys.OpenDropdown.Enabled())
	assert.NotContains(t, d.view(), "choose auth")
	d.keys("down")
	assert.Equal(t, fieldPrivacy, d.workflows().panel.field, "down skips the hidden field")
}

func TestDropdownChooseAndEscape(t *testing.T) {
	s := openStore(t)
	w := model.NewWorkflow("legacy")
	w.Public, w.Auth, w.AuthMigrated = true, model.AuthUser, true
	_, err := s.CreateWorkflow(context.Background(), w, store.SourceImport)
	require.NoError(t, err)
	d := newDriver(t, s).selectName("legacy")

	d.keys("tab", "down", "enter")
	v := d.view()
	for _, a := range model.Auths {
		assert.Contains(t, v, a.Label())
	}
	assert.Contains(t, v, "Anyone can trigger it")
	assert.Contains(t, v, "Only admin API tokens")
	assert.Contains(t, v, "(•) User and admin", "the current choice is marked")

	d.keys("down", "esc") // closes unchanged
	assert.False(t, d.workflows().panel.dropdown.open)
	assert.Nil(t, d.m.ws.entries[d.workflows().list.selectedID()].draft)

	d.keys("enter", "down", "enter")
	assert.Contains(t, d.view(), "[Admin only ▾]")
	assert.Contains(t, d.view(), "anonymous 401 · user 403 · admin 200", "live preview from Decide")
	d.keys("ctrl+s")
	saved := get(t, s, "legacy")
	assert.Equal(t, model.AuthAdmin, saved.Auth)
	assert.False(t, saved.AuthMigrated, "choosing confirms the migrated value")
}

func TestChoosingSameAuthConfirmsMigratedValue(t *testing.T) {
	s := openStore(t)
	w := model.NewWorkflow("legacy")
	w.Public, w.Auth, w.AuthMigrated = true, model.AuthNone, true
	_, err := s.CreateWorkflow(context.Background(), w, store.SourceImport)
	require.NoError(t, err)
	d := newDriver(t, s).selectName("legacy")
	d.keys("tab", "down", "enter", "enter", "ctrl+s")
	saved := get(t, s, "legacy")
	assert.Equal(t, model.AuthNone, saved.Auth)
	assert.False(t, saved.AuthMigrated)
}

func TestSaveWritesEditorChange(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "a-report"})
	create(t, s, spec{name: "send-invoice", public: true, auth: model.AuthUser, desc: "old"})
	d := newDriver(t, s).selectName("send-invoice")

	d.keys("tab", "down", "down", "space") // ignore privacy rules
	d.keys("down", "space")                // GET
	d.keys("down", "enter")                // edit the description
	for range 3 {
		d.keys("backspace")
	}
	d.typeText("Sends the invoice").keys("enter")
	assert.Contains(t, d.view(), "● unsaved")
	assert.Equal(t, []string{"send-invoice"}, d.m.ws.unsavedNames())

	d.keys("ctrl+s")
	saved := get(t, s, "send-invoice")
	assert.True(t, saved.IgnorePrivacyRules)
	assert.Equal(t, model.MethodGET, saved.Method)
	assert.Equal(t, "Sends the invoice", saved.Description)
	assert.Equal(t, int64(2), saved.Version)
	assert.Empty(t, d.m.ws.unsavedNames())
	assert.Contains(t, d.view(), "Saved send-invoice (version 2).")
	assert.Equal(t, int64(1), get(t, s, "a-report").Version, "other workflows untouched")

	changes, err := s.History(context.Background(), "send-invoice")
	require.NoError(t, err)
	fields := map[string]store.Source{}
	for _, c := range changes[:3] {
		fields[c.Field] = c.Source
	}
	assert.Equal(t, map[string]store.Source{"ignore_privacy_rules": "editor", "method": "editor", "description": "editor"}, fields)
}

func TestSaveWhileTypingKeepsTheText(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "wf"})
	d := newDriver(t, s).selectName("wf")
	d.keys("tab", "down", "down", "down", "enter").typeText("half").keys("ctrl+s")
	assert.Equal(t, "half", get(t, s, "wf").Description)
}

func TestDiscardRestoresSaved(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "wf", public: true, auth: model.AuthUser})
	d := newDriver(t, s).selectName("wf")
	d.keys("tab", "space")
	assert.False(t, d.workflows().panel.w.Public)
	d.keys("esc")
	assert.Contains(t, d.view(), "Discard the unsaved edits to wf?", "esc asks first")
	d.keys("n")
	assert.Equal(t, []string{"wf"}, d.m.ws.unsavedNames(), "no keeps the edits")
	assert.False(t, d.workflows().panel.w.Public)
	d.keys("esc", "esc")
	assert.Equal(t, []string{"wf"}, d.m.ws.unsavedNames(), "esc at the question keeps them too")
	d.keys("esc", "y")
	assert.True(t, d.workflows().panel.w.Public)
	assert.Empty(t, d.m.ws.unsavedNames())
	assert.NotContains(t, d.view(), "● unsaved")
	assert.Contains(t, d.view(), "Discarded the unsaved edits to wf.")
	assert.Equal(t, int64(1), get(t, s, "wf").Version)
}

func TestUndoingAnEditLeavesNothingUnsaved(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "wf"})
	d := newDriver(t, s).selectName("wf")
	d.keys("tab", "space", "space")
	assert.Empty(t, d.m.ws.unsavedNames())
	assert.False(t, d.m.keys.Save.Enabled(), "nothing to save: ctrl+s leaves the help")
}

func TestQuitAsksWhenUnsaved(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "wf"})

	d := newDriver(t, s).selectName("wf")
	d.keys("q")
	assert.True(t, d.quit, "nothing unsaved: q quits at once")

	d = newDriver(t, s).selectName("wf")
	d.keys("tab", "space", "q")
	assert.False(t, d.quit)
	assert.Contains(t, d.view(), "Quit with unsaved edits?")
	assert.Contains(t, d.view(), "1 workflow has unsaved edits: wf.")
	d.keys("n")
	assert.False(t, d.quit)
	assert.Equal(t, []string{"wf"}, d.m.ws.unsavedNames(), "staying keeps the edits")

	d.keys("q", "y")
	assert.True(t, d.quit)
	assert.False(t, get(t, s, "wf").Public, "quitting without saving writes nothing")

	d = newDriver(t, s).selectName("wf")
	d.keys("tab", "space", "ctrl+c")
	assert.False(t, d.quit, "ctrl+c asks too")
	d.keys("s")
	assert.True(t, d.quit)
	assert.True(t, get(t, s, "wf").Public, "save and quit saved")

	d = newDriver(t, s).selectName("wf")
	d.keys("tab", "space", "ctrl+c", "ctrl+c")
	assert.True(t, d.quit, "a second ctrl+c quits")
}

// Someone else saves the workflow while it is being edited: the save is
// refused, both versions are shown, and the user chooses.
func TestConflictOverwrite(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "wf", public: true, auth: model.AuthUser})
	d := newDriver(t, s).selectName("wf")
	d.keys("tab", "down", "enter", "down", "enter") // Admin only

	theirs := get(t, s, "wf")
	theirs.Auth, theirs.Description = model.AuthNone, "changed by the CLI"
	_, err := s.UpdateWorkflow(context.Background(), theirs, store.SourceCLI)
	require.NoError(t, err)

	d.keys("ctrl+s")
	v := d.view()
	assert.Contains(t, v, "Conflict: wf was changed by someone else (now version 2)")
	assert.Contains(t, v, "Admin only")
	assert.Contains(t, v, "None required")
	assert.Contains(t, v, "changed by the CLI")
	assert.Equal(t, model.AuthNone, get(t, s, "wf").Auth, "nothing written")

	d.keys("o")
	saved := get(t, s, "wf")
	assert.Equal(t, model.AuthAdmin, saved.Auth)
	assert.Equal(t, "", saved.Description, "overwrite saves the user's whole version")
	assert.Equal(t, int64(3), saved.Version)
	assert.Empty(t, d.m.ws.unsavedNames())
}

func TestConflictReloadTheirs(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "wf", public: true, auth: model.AuthUser})
	d := newDriver(t, s).selectName("wf")
	d.keys("tab", "space")

	theirs := get(t, s, "wf")
	theirs.Auth = model.AuthAdmin
	_, err := s.UpdateWorkflow(context.Background(), theirs, store.SourceCLI)
	require.NoError(t, err)

	d.keys("ctrl+s", "esc")
	assert.Nil(t, d.m.dialog, "esc keeps editing")
	assert.Equal(t, []string{"wf"}, d.m.ws.unsavedNames(), "and keeps the draft")

	d.keys("ctrl+s", "r")
	assert.Empty(t, d.m.ws.unsavedNames())
	assert.True(t, d.workflows().panel.w.Public)
	assert.Equal(t, model.AuthAdmin, d.workflows().panel.w.Auth)
	saved := get(t, s, "wf")
	assert.Equal(t, int64(2), saved.Version, "reloading writes nothing")
}

func TestConflictDeletedElsewhereRecreates(t *testing.T) {
	s := openStore(t)
	w := create(t, s, spec{name: "wf"})
	d := newDriver(t, s).selectName("wf")
	d.keys("tab", "space")
	require.NoError(t, s.DeleteWorkflow(context.Background(), w, store.SourceCLI))

	d.send(pollMsg{})
	assert.Contains(t, d.view(), "deleted elsewhere", "the draft survives the refresh")
	d.keys("ctrl+s")
	assert.Contains(t, d.view(), "was deleted by someone else")
	d.keys("o")
	assert.True(t, get(t, s, "wf").Public)
	assert.Empty(t, d.m.ws.unsavedNames())
}

// Changes made by other processes show up, except over the user's edits.
func TestRefreshKeepsDrafts(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "a"})
	create(t, s, spec{name: "b"})
	d := newDriver(t, s).selectName("a")
	d.keys("tab", "space") // draft on a

	for _, name := range []string{"a", "b"} {
		w := get(t, s, name)
		w.Description = "from the CLI"
		_, err := s.UpdateWorkflow(context.Background(), w, store.SourceCLI)
		require.NoError(t, err)
	}
	create(t, s, spec{name: "c", public: true, auth: model.AuthNone})
	d.send(pollMsg{})

	a := d.m.ws.entries[d.workflows().list.selectedID()]
	assert.Equal(t, "a", a.stored.Name)
	assert.True(t, a.draft.Public, "the draft is kept")
	assert.Empty(t, a.draft.Description)
	assert.True(t, a.stale)
	bID, _ := d.m.ws.byName("b")
	assert.Equal(t, "from the CLI", d.m.ws.entries[bID].stored.Description)
	assert.Contains(t, d.view(), "3 workflows · 1 open")
	assert.Contains(t, d.view(), "Changed outside the editor")
}

func TestStaleLoadIsDropped(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "a"})
	d := newDriver(t, s)
	d.send(workflowsLoadedMsg{seq: d.m.loadSeq - 1, list: nil})
	assert.Len(t, d.m.ws.order, 1)
}

func TestNewRenameDelete(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "existing"})
	d := newDriver(t, s)

	d.keys("n").typeText("bad name")
	assert.Contains(t, d.view(), `character ' ' at position 4`)
	d.keys("enter")
	assert.NotNil(t, d.m.dialog, "an invalid name is not accepted")
	for range 8 {
		d.keys("backspace")
	}
	d.typeText("EXISTING")
	assert.Contains(t, d.view(), "already exists")
	for range 8 {
		d.keys("backspace")
	}
	d.typeText("new-one").keys("enter")
	created := get(t, s, "new-one")
	assert.False(t, created.Public)
	assert.Equal(t, created.ID, d.workflows().list.selectedID(), "the new workflow is selected")
	assert.True(t, d.workflows().focus == panePanel, "ready to set it up")

	d.keys("r")
	for range 3 {
		d.keys("backspace")
	}
	d.typeText("two").keys("enter", "ctrl+s")
	assert.Equal(t, created.ID, get(t, s, "new-two").ID)

	d.keys("d")
	assert.Contains(t, d.view(), "Delete workflow new-two?")
	d.keys("n")
	d.keys("d", "y")
	_, err := s.GetWorkflow(context.Background(), "new-two")
	assert.ErrorIs(t, err, store.ErrNotFound)
	assert.Len(t, d.m.ws.order, 1)
}

func TestFilterOwnsKeys(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "alpha"})
	create(t, s, spec{name: "quota"})
	d := newDriver(t, s)
	d.keys("/").typeText("qu")
	assert.False(t, d.quit, "q typed into the filter does not quit")
	assert.Nil(t, d.m.dialog)
	d.keys("enter")
	assert.Equal(t, "quota", d.workflows().panel.w.Name)
	assert.Contains(t, d.view(), `matching "qu"`)
	d.keys("esc")
	assert.False(t, d.workflows().list.list.IsFiltered())
}

func TestTokensCreateShowsSecretOnceAndRevoke(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "wf"})
	d := newDriver(t, s)
	d.keys("4", "n").typeText("ci-deploy").keys("enter")
	dlg, ok := d.m.dialog.(secretDialog)
	require.True(t, ok, "the secret is shown")
	assert.True(t, strings.HasPrefix(dlg.secret, model.TokenPrefixAdmin))
	v := d.view()
	assert.Contains(t, v, dlg.secret)
	assert.Contains(t, v, "only time it is shown")
	secret := dlg.secret

	d.keys("enter")
	assert.Nil(t, d.m.dialog)
	assert.NotContains(t, d.view(), secret, "never shown again")
	assert.Contains(t, d.view(), "ci-deploy")

	d.keys("x")
	assert.Contains(t, d.view(), "Revoke token ci-deploy?")
	d.keys("y")
	toks, err := s.ListTokens(context.Background())
	require.NoError(t, err)
	require.Len(t, toks, 1)
	assert.NotNil(t, toks[0].RevokedAt)
	assert.Contains(t, d.view(), "revoked")
}

func TestUserTokenNeedsUserID(t *testing.T) {
	s := openStore(t)
	d := newDriver(t, s)
	d.keys("4", "n", "shift+tab", "space", "tab").typeText("mobile").keys("enter")
	assert.Contains(t, d.view(), "needs the id of the user")
	d.keys("tab").typeText("u_42").keys("tab").typeText("30x").keys("enter")
	assert.Contains(t, d.view(), `invalid lifetime "30x"`)
	for range 3 {
		d.keys("backspace")
	}
	d.typeText("30d").keys("enter")
	_, ok := d.m.dialog.(secretDialog)
	require.True(t, ok)
	toks, err := s.ListTokens(context.Background())
	require.NoError(t, err)
	require.Len(t, toks, 1)
	assert.Equal(t, "u_42", toks[0].UserID)
	assert.NotNil(t, toks[0].ExpiresAt)
}

func TestReviewJumpsToWorkflow(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "a-fine", public: true, auth: model.AuthAdmin})
	create(t, s, spec{name: "z-open", public: true, auth: model.AuthNone, privacy: true})
	d := newDriver(t, s)
	d.keys("2")
	assert.Contains(t, d.view(), "high")
	d.keys("enter")
	assert.Equal(t, pageWorkflows, d.m.active)
	assert.Equal(t, "z-open", d.workflows().panel.w.Name)
}

func TestHistoryAndCallsViews(t *testing.T) {
	s := openStore(t)
	w := create(t, s, spec{name: "wf"})
	w.Public = true
	_, err := s.UpdateWorkflow(context.Background(), w, store.SourceCLI)
	require.NoError(t, err)
	require.NoError(t, s.RecordCalls(context.Background(), []store.Call{{At: w.CreatedAt, Workflow: "wf", Status: 401, Code: "missing_token", RemoteAddr: "10.0.0.1"}}))
	d := newDriver(t, s)
	d.keys("3")
	v := d.view()
	assert.Contains(t, v, "History of wf")
	assert.Contains(t, v, "false → true")
	assert.Contains(t, v, "cli")
	d.keys("5")
	v = d.view()
	assert.Contains(t, v, "missing_token")
	assert.Contains(t, v, "anonymous")
	d.keys("esc")
	assert.Equal(t, pageWorkflows, d.m.active)
}

// 80×24 must be usable: everything fits and nothing wraps.
func TestSmallTerminalFits(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "a-rather-long-workflow-name-that-will-not-fit", public: true, auth: model.AuthUser,
		desc: strings.Repeat("long description ", 10)})
	d := newDriver(t, s)
	d.send(teaSize(80, 24))
	d.keys("tab", "down", "enter")
	lines := strings.Split(d.view(), "\n")
	assert.Len(t, lines, 24)
	for _, l := range lines {
		assert.LessOrEqual(t, ansi.StringWidth(l), 80, l)
	}
	assert.Contains(t, d.view(), "Admin only")
}

func TestWelcomeThenCreate(t *testing.T) {
	s := openStore(t)
	d := newDriver(t, s)
	assert.Contains(t, d.view(), "Welcome to flowgate")
	assert.Contains(t, d.view(), "flowgate import PATH")
	d.keys("n").typeText("first").keys("enter")
	assert.NotContains(t, d.view(), "Welcome to flowgate")
	assert.Contains(t, d.view(), "1 workflows · 0 open · 0 users · 0 admins · 1 scheduled")
	assert.Equal(t, "first", d.workflows().panel.w.Name)
}

func TestDatabaseErrorInStatusLine(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "wf"})
	d := newDriver(t, s).selectName("wf")
	d.keys("tab", "space")
	require.NoError(t, s.Close())
	d.keys("ctrl+s")
	assert.Contains(t, d.view(), "Not saved:")
	assert.Equal(t, []string{"wf"}, d.m.ws.unsavedNames(), "the edit is kept")
	d.send(pollMsg{})
	assert.Contains(t, d.view(), "read generation")
}

func TestResizeRelaysOut(t *testing.T) {
	s := openStore(t)
	create(t, s, spec{name: "wf"})
	d := newDriver(t, s)
	for _, size := range [][2]int{{80, 24}, {132, 43}, {100, 30}} {
		d.send(teaSize(size[0], size[1]))
		lines := strings.Split(d.view(), "\n")
		assert.Len(t, lines, size[1])
		for _, l := range lines {
			assert.LessOrEqual(t, ansi.StringWidth(l), size[0])
		}
	}
	d.send(teaSize(40, 10))
	assert.Contains(t, d.view(), "needs a terminal of at least 60×12")
}
