package ui

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/require"

	"flowgate/model"
	"flowgate/store"
)

func TestMain(m *testing.M) {
	// Fixed colour profile: goldens and assertions see plain text.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

// newLocation names where openStore puts a fresh database: a file in a
// temporary folder, unless TestTheEditorOnPostgreSQL points it at the test
// cluster for the tests it runs again there.
var newLocation = func(t testing.TB) string { return filepath.Join(t.TempDir(), "flowgate.db") }

// openStore opens a fresh database (see newLocation).
func openStore(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(newLocation(t))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// spec describes a workflow to create: "name public auth method [privacy]".
type spec struct {
	name    string
	public  bool
	auth    model.Auth
	method  model.Method
	privacy bool
	desc    string
	params  []model.Parameter
}

func create(t testing.TB, s *store.Store, sp spec) model.Workflow {
	t.Helper()
	w := model.NewWorkflow(sp.name)
	w.Public, w.IgnorePrivacyRules, w.Description = sp.public, sp.privacy, sp.desc
	if sp.auth != "" {
		w.Auth = sp.auth
	}
	if sp.method != "" {
		w.Method = sp.method
	}
	if sp.params != nil {
		w.Parameters = sp.params
	}
	created, err := s.CreateWorkflow(context.Background(), w, store.SourceCLI)
	require.NoError(t, err)
	return created
}

func get(t testing.TB, s *store.Store, name string) model.Workflow {
	t.Helper()
	w, err := s.GetWorkflow(context.Background(), name)
	require.NoError(t, err)
	return w
}

// driver runs a Model the way the Bubble Tea runtime would, but
// synchronously: every command a message returns is run and its message
// fed back, so a test sees the state after all I/O finished. Polling is
// off; tests send pollMsg themselves.
type driver struct {
	t    testing.TB
	m    Model
	quit bool
}

func newDriver(t testing.TB, s *store.Store) *driver {
	t.Helper()
	return newDriverWith(t, s, Options{PollInterval: -1})
}

// newDriverWith is newDriver with other options (a clock).
func newDriverWith(t testing.TB, s *store.Store, opts Options) *driver {
	t.Helper()
	d := &driver{t: t, m: New(context.Background(), s, opts)}
	d.send(tea.WindowSizeMsg{Width: 100, Height: 30})
	d.run(d.m.Init())
	require.True(t, d.m.loaded, "first load")
	return d
}

func (d *driver) send(msgs ...tea.Msg) *driver {
	d.t.Helper()
	for _, msg := range msgs {
		next, cmd := d.m.Update(msg)
		d.m = next.(Model)
		d.run(cmd)
	}
	return d
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	case tea.QuitMsg:
		d.quit = true
	default:
		d.send(msg)
	}
}

// workflows is the workflows page, for looking inside it.
func (d *driver) workflows() *workflowsPage {
	return d.m.pages[pageWorkflows].(*workflowsPage)
}

// keys sends key presses by name: "j", "tab", "ctrl+s", "space", "enter"...
func (d *driver) keys(names ...string) *driver {
	d.t.Helper()
	for _, n := range names {
		d.send(keyMsg(n))
	}
	return d
}

// typeText types literal text.
func (d *driver) typeText(s string) *driver {
	for _, r := range s {
		d.send(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	return d
}

func keyMsg(name string) tea.KeyMsg {
	switch name {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEscape}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "ctrl+s":
		return tea.KeyMsg{Type: tea.KeyCtrlS}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(name)}
}

// view is the screen as plain text.
func (d *driver) view() string { return ansi.Strip(d.m.View()) }

// selectName moves the list cursor to the workflow called name.
func (d *driver) selectName(name string) *driver {
	d.t.Helper()
	id, ok := d.m.ws.byName(name)
	require.True(d.t, ok, "no workflow %s", name)
	d.workflows().list.showID(id)
	d.workflows().syncPanel()
	d.m.syncKeys()
	return d
}

func teaSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

// body is a body parameter of the given type.
func body(key, typ string) model.Parameter {
	return model.Parameter{Key: key, Type: typ, In: model.ParamInBody}
}
