package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
)

// promptPurpose says what a chosen name is for.
type promptPurpose int

const (
	promptNew promptPurpose = iota
	promptRename
)

// nameChosenMsg is a name prompt's answer: a valid, free name.
type nameChosenMsg struct {
	purpose promptPurpose
	id      int64 // the workflow being renamed
	name    string
}

func (nameChosenMsg) owner() pageID { return pageWorkflows }

// namePrompt asks for a workflow name and checks it as it is typed, with the
// model's rules (the error names the bad character and its position) and
// against the names already in use, so enter can only accept a name the
// store will take.
type namePrompt struct {
	st      *Styles
	km      KeyMap
	purpose promptPurpose
	id      int64
	title   string
	input   textinput.Model
	taken   func(name string) bool
	err     error
	// shown: the user typed or tried to accept, so err is shown. An empty
	// new name is not an error before anything was typed.
	shown bool
}

func newNamePrompt(st *Styles, km KeyMap, purpose promptPurpose, id int64, current string, taken func(string) bool) namePrompt {
	ti := textinput.New()
	ti.Prompt = "Name: "
	ti.PromptStyle = st.FocusLabel
	ti.CharLimit = model.MaxNameLength + 1 // one over, so "too long" is said, not silently cut
	staticCursor(&ti)
	ti.SetValue(current)
	ti.CursorEnd()
	ti.Focus()
	title := "New workflow"
	if purpose == promptRename {
		title = "Rename " + current
	}
	p := namePrompt{st: st, km: km, purpose: purpose, id: id, title: title, input: ti, taken: taken}
	p.err = p.validate()
	return p
}

// validate applies the name rules and the uniqueness check.
func (p namePrompt) validate() error {
	name := p.input.Value()
	if err := model.ValidateName(name); err != nil {
		return err
	}
	if p.taken(name) {
		return fmt.Errorf("a workflow named %q already exists (names are unique ignoring case)", name)
	}
	return nil
}

func (p namePrompt) Update(msg tea.KeyMsg) (dialog, tea.Cmd) {
	switch {
	case key.Matches(msg, p.km.Cancel):
		return nil, msgCmd(closeDialogMsg{})
	case key.Matches(msg, p.km.Accept):
		if p.err != nil {
			p.shown = true
			return p, nil
		}
		return nil, msgCmd(nameChosenMsg{purpose: p.purpose, id: p.id, name: p.input.Value()})
	}
	var cmd tea.Cmd
	before := p.input.Value()
	p.input, cmd = p.input.Update(msg)
	p.err = p.validate()
	p.shown = p.shown || p.input.Value() != before
	return p, cmd
}

func (p namePrompt) View(width int) string {
	p.input.Width = max(10, width-len(p.input.Prompt)-1)
	hint := p.st.StatusOK.Render("✓ available")
	switch {
	case p.err != nil && p.shown:
		hint = p.st.StatusError.Render(ansiWrap(p.err.Error(), width))
	case p.err != nil:
		hint = ""
	}
	return p.st.DialogTitle.Render(p.title) + "\n\n" + p.input.View() + "\n\n" + hint + "\n" +
		p.st.Dim.Render("Letters, digits, - and _; up to 100 characters.")
}

func (p namePrompt) ShortHelp() []key.Binding {
	accept := withHelp(p.km.Accept, "create")
	if p.purpose == promptRename {
		accept = withHelp(p.km.Accept, "rename")
	}
	accept.SetEnabled(p.err == nil)
	return []key.Binding{accept, p.km.Cancel}
}

// staticCursor stops a text input's cursor from blinking: one less timer
// redrawing the screen twice a second, and screens that can be compared in
// tests.
func staticCursor(ti *textinput.Model) {
	ti.Cursor.SetMode(cursor.CursorStatic)
}
