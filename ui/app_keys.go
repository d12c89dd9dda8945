package ui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// confirmQuitMsg answers the unsaved-edits question: quit now (dropping
// the edits) or save everything first.
type confirmQuitMsg struct{ save bool }

// keyBurst splits a burst of typed keys ("jjj" from key repeat), which
// arrives as one message, into its keystrokes.
func (m *Model) keyBurst(k tea.KeyMsg) tea.Cmd {
	if k.Type != tea.KeyRunes || len(k.Runes) < 2 || k.Paste {
		return m.handleKey(k)
	}
	cmds := make([]tea.Cmd, 0, len(k.Runes))
	for _, r := range k.Runes {
		cmds = append(cmds, m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt}))
		m.syncKeys()
	}
	return tea.Batch(cmds...)
}

// handleKey routes a key: an open dialog takes every key; then the page on
// screen when it is taking every key (a filter, a text field, the open
// dropdown); then the global shortcuts; then the page.
func (m *Model) handleKey(k tea.KeyMsg) tea.Cmd {
	if key.Matches(k, m.keys.ForceQuit) {
		if _, asking := m.dialog.(quitDialog); asking {
			return tea.Quit
		}
		return m.requestQuit()
	}
	if m.dialog != nil {
		var cmd tea.Cmd
		m.dialog, cmd = m.dialog.Update(k)
		return cmd
	}
	if !m.loaded {
		if key.Matches(k, m.keys.Quit) {
			return m.requestQuit()
		}
		return nil
	}
	if !m.pages[m.active].capturing() {
		if cmd, ok := m.globalKeys(k); ok {
			return cmd
		}
	}
	return m.deliver(m.active, k)
}

// globalKeys handles the keys that work on every page. It reports whether
// the key was one of them.
func (m *Model) globalKeys(k tea.KeyMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(k, m.keys.Quit):
		return m.requestQuit(), true
	case key.Matches(k, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.layout()
		return nil, true
	case key.Matches(k, m.keys.Save):
		return m.route(saveAllMsg{}), true
	}
	for i, b := range m.keys.Tabs {
		if key.Matches(k, b) {
			return m.switchTo(pageID(i)), true
		}
	}
	return nil, false
}

// quitDialog is the unsaved-edits question; a second ctrl+c while it is
// open quits without saving.
type quitDialog struct{ confirmDialog }

// requestQuit quits at once when nothing is unsaved, and asks otherwise.
func (m *Model) requestQuit() tea.Cmd {
	names := m.ws.unsavedNames()
	if len(names) == 0 {
		return tea.Quit
	}
	what := fmt.Sprintf("%d workflows have", len(names))
	if len(names) == 1 {
		what = "1 workflow has"
	}
	m.dialog = quitDialog{confirmDialog{st: m.st, title: "Quit with unsaved edits?",
		body: what + " unsaved edits: " + listNames(names) + ".\nQuitting now drops them.",
		choices: []choice{
			{withHelp(m.keys.SaveAndQuit, "save all, then quit"), confirmQuitMsg{save: true}},
			{withHelp(m.keys.Yes, "quit, dropping edits"), confirmQuitMsg{save: false}},
			{withHelp(m.keys.No, "stay"), nil},
		}}}
	return nil
}

func (d quitDialog) Update(msg tea.KeyMsg) (dialog, tea.Cmd) {
	next, cmd := d.confirmDialog.Update(msg)
	if next == nil {
		return nil, cmd
	}
	return d, cmd
}

// syncKeys enables exactly the bindings that do something now, so the help
// line tells the truth. It runs after every message: every page binding
// goes off, the page on screen turns on its own, then the global keys
// follow what is open.
func (m *Model) syncKeys() {
	k := &m.keys
	for _, b := range k.pageBindings() {
		b.SetEnabled(false)
	}
	p := m.pages[m.active]
	ready := m.loaded && m.dialog == nil
	k.Save.SetEnabled(ready && m.ws.unsavedCount() > 0)
	if ready {
		p.syncKeys()
	}
	top := ready && !p.capturing()
	for i := range k.Tabs {
		k.Tabs[i].SetEnabled(top && pageID(i) != m.active)
	}
	k.Help.SetEnabled(top || !m.loaded)
	k.Quit.SetEnabled(top || !m.loaded)
	if m.help.ShowAll {
		k.Help.SetHelp("?", "fewer keys")
	} else {
		k.Help.SetHelp("?", "more keys")
	}
}
