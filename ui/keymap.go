package ui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every key the editor answers to. It is the single source for
// both behaviour and the help line: syncKeys enables only the bindings that
// apply to what is on screen, and the help view skips disabled ones, so the
// help never offers a key that would do nothing.
type KeyMap struct {
	Up, Down             key.Binding
	PageUp, PageDown     key.Binding // grids
	Top, Bottom          key.Binding // grids
	NextField, PrevField key.Binding
	Filter, ClearFilter  key.Binding

	// Panel fields.
	Toggle       key.Binding // checkboxes and the method
	OpenDropdown key.Binding // the Authentication dropdown, only while public
	Choose       key.Binding // pick the highlighted dropdown option
	CloseMenu    key.Binding // close the dropdown unchanged
	EditText     key.Binding // start editing the description
	AcceptText   key.Binding
	CancelText   key.Binding

	// Workflow actions.
	New, Rename, Delete, Save, Discard key.Binding
	// Mark marks (or unmarks) the workflow under the list cursor for a
	// bulk edit; UnmarkAll clears every mark.
	Mark, UnmarkAll key.Binding

	// Pages: Tabs[i] shows pageList[i].
	Tabs []key.Binding
	Back key.Binding
	Jump key.Binding // review: go to the finding's workflow
	// Fix drafts the Review finding's suggested fix; Waive waives it.
	Fix, Waive key.Binding
	// AllWorkflows switches the History page between the selected
	// workflow's trail and every workflow's.
	AllWorkflows key.Binding

	// Callers expands (or folds) the panel's "Callable by" line into the
	// names of the tokens that can call the workflow; only while some can.
	Callers key.Binding

	// Tokens and Files pages: Revoke serves both.
	NewToken, Revoke key.Binding
	NewLink          key.Binding

	// Dialogs.
	NextInput, PrevInput  key.Binding // the token form's fields
	SwitchKind            key.Binding // the token form: admin or user
	Yes, No, SaveAndQuit  key.Binding
	Overwrite, TakeTheirs key.Binding
	Accept, Cancel        key.Binding

	Help, Quit key.Binding
	// ForceQuit is ctrl+c: it reaches the root even while text is being
	// typed, where q is just a letter. It still asks when edits are unsaved.
	ForceQuit key.Binding
}

// DefaultKeyMap returns the editor's keys.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:          key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "page up")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "page down")),
		Top:         key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first")),
		Bottom:      key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last")),
		NextField:   key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "next field")),
		PrevField:   key.NewBinding(key.WithKeys("shift+tab"), key.WithHelp("shift+tab", "prev field")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),

		Toggle:       key.NewBinding(key.WithKeys(" ", "enter"), key.WithHelp("space", "toggle")),
		OpenDropdown: key.NewBinding(key.WithKeys("enter", " "), key.WithHelp("enter", "choose auth")),
		Choose:       key.NewBinding(key.WithKeys("enter", " "), key.WithHelp("enter", "choose")),
		CloseMenu:    key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		EditText:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "edit")),
		AcceptText:   key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "done")),
		CancelText:   key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),

		New:     key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new")),
		Rename:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "rename")),
		Delete:  key.NewBinding(key.WithKeys("d"), key.WithHelp("d", "delete")),
		Save:    key.NewBinding(key.WithKeys("ctrl+s"), key.WithHelp("ctrl+s", "save")),
		Discard: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "discard edits")),
		// m and M are free on the list: bubbles' own list keys are arrows,
		// j/k, g/G, / and esc here (see newWorkflowList).
		Mark:      key.NewBinding(key.WithKeys("m"), key.WithHelp("m", "mark")),
		UnmarkAll: key.NewBinding(key.WithKeys("M"), key.WithHelp("M", "unmark all")),

		Tabs: tabKeys(),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Jump: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "go to workflow")),

		Fix:          key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "draft the fix")),
		Waive:        key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "waive")),
		AllWorkflows: key.NewBinding(key.WithKeys("a"), key.WithHelp("a", "all workflows")),

		NewToken: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new token")),
		Revoke:   key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "revoke")),
		NewLink:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "new link")),
		Callers:  key.NewBinding(key.WithKeys("w"), key.WithHelp("w", "who can call")),

		NextInput:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab", "next")),
		PrevInput:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab", "previous")),
		SwitchKind:  key.NewBinding(key.WithKeys(" ", "left", "right"), key.WithHelp("space", "admin/user")),
		Yes:         key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "yes")),
		No:          key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "no")),
		SaveAndQuit: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "save all and quit")),
		Overwrite:   key.NewBinding(key.WithKeys("o"), key.WithHelp("o", "overwrite with yours")),
		TakeTheirs:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "reload theirs (drop yours)")),
		Accept:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "ok")),
		Cancel:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),

		Help: key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		Quit: key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),

		ForceQuit: key.NewBinding(key.WithKeys("ctrl+c")),
	}
}

// pageBindings are the bindings that belong to pages. The root switches
// them all off after every message and the page on screen switches on
// what applies (page.syncKeys); the global and dialog keys are the root's.
func (k *KeyMap) pageBindings() []*key.Binding {
	return []*key.Binding{
		&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom,
		&k.NextField, &k.PrevField, &k.Filter, &k.ClearFilter,
		&k.Toggle, &k.OpenDropdown, &k.Choose, &k.CloseMenu, &k.EditText, &k.AcceptText, &k.CancelText,
		&k.New, &k.Rename, &k.Delete, &k.Discard, &k.Mark, &k.UnmarkAll, &k.Back, &k.Jump, &k.NewToken, &k.Revoke,
		&k.NewLink, &k.Callers, &k.Fix, &k.Waive, &k.AllWorkflows,
	}
}
