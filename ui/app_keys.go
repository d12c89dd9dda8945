package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
)

// confirmQuitMsg answers the unsaved-edits question: quit now (dropping
// the edits) or save everything first.
type confirmQuitMsg struct{ save bool }

// confirmDeleteMsg answers the delete question for workflow id.
type confirmDeleteMsg struct{ id int64 }

// handleKey routes a key: an open dialog takes every key; then whatever is
// being typed into (the filter, a text field, the open dropdown); then the
// global shortcuts; then the focused child.
func (m Model) handleKey(k tea.KeyMsg) (Model, tea.Cmd) {
	if key.Matches(k, m.keys.ForceQuit) {
		if _, asking := m.dialog.(quitDialog); asking {
			return m, tea.Quit
		}
		return m.requestQuit()
	}
	if m.dialog != nil {
		var cmd tea.Cmd
		m.dialog, cmd = m.dialog.Update(k)
		return m, cmd
	}
	if !m.loaded {
		if key.Matches(k, m.keys.Quit) {
			return m.requestQuit()
		}
		return m, nil
	}
	if m.view == viewWorkflows {
		return m.workflowKeys(k)
	}
	if cmd, ok := m.globalKeys(k); ok {
		return m, cmd
	}
	return m.pageKeys(k)
}

// globalKeys handles the keys that work in every view. It reports whether
// the key was one of them; m is changed in place.
func (m *Model) globalKeys(k tea.KeyMsg) (tea.Cmd, bool) {
	switch {
	case key.Matches(k, m.keys.Quit):
		mm, cmd := m.requestQuit()
		*m = mm
		return cmd, true
	case key.Matches(k, m.keys.Help):
		m.help.ShowAll = !m.help.ShowAll
		m.layout()
		return nil, true
	case key.Matches(k, m.keys.Save):
		m.panel.commitText()
		cmd := m.applyPanel()
		return tea.Batch(cmd, m.save(false)), true
	}
	for i, b := range []key.Binding{m.keys.Workflows, m.keys.Review, m.keys.History, m.keys.Tokens, m.keys.Calls} {
		if key.Matches(k, b) {
			return m.switchView(viewID(i)), true
		}
	}
	return nil, false
}

// workflowKeys handles keys in the list-and-panel view.
func (m Model) workflowKeys(k tea.KeyMsg) (Model, tea.Cmd) {
	var cmd tea.Cmd
	switch {
	case m.list.filtering():
		m.list, cmd = m.list.Update(k)
		m.syncPanel()
		return m, cmd
	case m.panelFocused && m.panel.busy():
		if key.Matches(k, m.keys.Save) {
			cmd, _ := m.globalKeys(k)
			return m, cmd
		}
		m.panel, cmd = m.panel.Update(k, &m.keys)
		return m, tea.Batch(cmd, m.applyPanel())
	}
	if cmd, ok := m.globalKeys(k); ok {
		return m, cmd
	}
	sel := m.selected()
	switch {
	case key.Matches(k, m.keys.Discard):
		if sel != nil && m.ws.discard(sel.stored.ID) {
			m.setStatus(statusInfo, "Discarded the unsaved edits to "+sel.stored.Name+".")
			if _, still := m.ws.entries[sel.stored.ID]; still {
				cmd = m.list.refresh(sel)
			} else {
				cmd = m.list.rebuild(&m.ws)
			}
			m.syncPanel()
		}
		return m, cmd
	case key.Matches(k, m.keys.ClearFilter):
		m.list.list.ResetFilter()
		m.syncPanel()
		return m, nil
	case key.Matches(k, m.keys.Back):
		m.focusList()
		return m, nil
	case key.Matches(k, m.keys.New):
		ws := m.ws
		m.dialog = newNamePrompt(m.st, m.keys, promptNew, 0, "", func(name string) bool { return ws.nameTaken(name, 0) })
		return m, nil
	case key.Matches(k, m.keys.Rename):
		if sel != nil {
			id, ws := sel.stored.ID, m.ws
			m.dialog = newNamePrompt(m.st, m.keys, promptRename, id, sel.effective().Name,
				func(name string) bool { return ws.nameTaken(name, id) })
		}
		return m, nil
	case key.Matches(k, m.keys.Delete):
		if sel != nil {
			m.dialog = m.deleteDialog(sel)
		}
		return m, nil
	case key.Matches(k, m.keys.NextField):
		if !m.panelFocused {
			m.focusPanel(true)
		} else if !m.panel.step(1) {
			m.focusList()
		}
		return m, nil
	case key.Matches(k, m.keys.PrevField):
		if !m.panelFocused {
			m.focusPanel(false)
		} else if !m.panel.step(-1) {
			m.focusList()
		}
		return m, nil
	case key.Matches(k, m.keys.Filter):
		m.focusList()
	case !m.panelFocused && k.Type == tea.KeyEnter:
		m.focusPanel(true)
		return m, nil
	}
	if m.panelFocused {
		m.panel, cmd = m.panel.Update(k, &m.keys)
		return m, tea.Batch(cmd, m.applyPanel())
	}
	m.list, cmd = m.list.Update(k)
	m.syncPanel()
	return m, cmd
}

func (m *Model) focusList() {
	m.panelFocused, m.panel.focused = false, false
}

// focusPanel enters the panel at its first (or last) field.
func (m *Model) focusPanel(first bool) {
	if !m.panel.has {
		return
	}
	m.panelFocused = true
	if first {
		m.panel.focusFirst()
	} else {
		m.panel.focusLast()
	}
}

// pageKeys handles keys in the review, history, tokens and calls views.
func (m Model) pageKeys(k tea.KeyMsg) (Model, tea.Cmd) {
	if key.Matches(k, m.keys.Back) {
		return m, m.switchView(viewWorkflows)
	}
	switch m.view {
	case viewReview:
		if key.Matches(k, m.keys.Jump) {
			if f, ok := m.review.selected(); ok {
				if id, found := m.ws.byName(f.Workflow); found {
					cmd := m.switchView(viewWorkflows)
					m.list.showID(id)
					m.syncPanel()
					return m, cmd
				}
			}
			return m, nil
		}
		m.review.grid = m.review.grid.Update(k, &m.keys)
	case viewHistory:
		m.history.grid = m.history.grid.Update(k, &m.keys)
	case viewTokens:
		switch {
		case key.Matches(k, m.keys.NewToken):
			m.dialog = newTokenForm(m.st, m.keys, m.opts.Now)
		case key.Matches(k, m.keys.Revoke):
			if t, ok := m.tokens.selected(); ok && t.RevokedAt == nil {
				m.dialog = confirmDialog{st: m.st, title: "Revoke token " + t.Name + "?",
					body: fmt.Sprintf("Calls with %s… (%s) are refused from the next decision on. "+
						"The token stays listed as revoked; this cannot be undone.", t.Prefix, t.ID),
					choices: []choice{
						{withHelp(m.keys.Yes, "revoke"), confirmRevokeMsg{tok: t}},
						{withHelp(m.keys.No, "keep it"), nil},
					}}
			}
		default:
			m.tokens.grid = m.tokens.grid.Update(k, &m.keys)
		}
	case viewCalls:
		m.calls.grid = m.calls.grid.Update(k, &m.keys)
	}
	return m, nil
}

// switchView shows view v, asking the store for what it displays.
func (m *Model) switchView(v viewID) tea.Cmd {
	m.view = v
	switch v {
	case viewReview:
		m.refreshReview()
	case viewHistory:
		return m.loadHistory()
	case viewTokens:
		return m.loadTokens()
	case viewCalls:
		return tea.Batch(m.loadTokens(), m.loadCalls())
	}
	return nil
}

func (m *Model) refreshReview() {
	m.review.set(model.Review(m.ws.storedList()), m.ws.unsavedCount())
}

func (m *Model) loadHistory() tea.Cmd {
	sel := m.selected()
	if sel == nil || sel.gone {
		m.history.set("", nil)
		return nil
	}
	m.pageSeq++
	m.history.seq = m.pageSeq
	return historyCmd(m.ctx, m.store, m.pageSeq, sel.stored.Name)
}

func (m *Model) loadTokens() tea.Cmd {
	m.pageSeq++
	m.tokens.seq = m.pageSeq
	return tokensCmd(m.ctx, m.store, m.pageSeq)
}

func (m *Model) loadCalls() tea.Cmd {
	m.pageSeq++
	m.calls.seq = m.pageSeq
	return callsCmd(m.ctx, m.store, m.pageSeq)
}

// quitDialog is the unsaved-edits question; a second ctrl+c while it is
// open quits without saving.
type quitDialog struct{ confirmDialog }

// requestQuit quits at once when nothing is unsaved, and asks otherwise.
func (m Model) requestQuit() (Model, tea.Cmd) {
	names := m.ws.unsavedNames()
	if len(names) == 0 {
		return m, tea.Quit
	}
	what := fmt.Sprintf("%d workflows have", len(names))
	if len(names) == 1 {
		what = "1 workflow has"
	}
	shown := names
	if len(shown) > 5 {
		shown = append(shown[:5:5], fmt.Sprintf("and %d more", len(names)-5))
	}
	m.dialog = quitDialog{confirmDialog{st: m.st, title: "Quit with unsaved edits?",
		body: what + " unsaved edits: " + strings.Join(shown, ", ") + ".\nQuitting now drops them.",
		choices: []choice{
			{withHelp(m.keys.SaveAndQuit, "save all, then quit"), confirmQuitMsg{save: true}},
			{withHelp(m.keys.Yes, "quit, dropping edits"), confirmQuitMsg{save: false}},
			{withHelp(m.keys.No, "stay"), nil},
		}}}
	return m, nil
}

func (d quitDialog) Update(msg tea.KeyMsg) (dialog, tea.Cmd) {
	next, cmd := d.confirmDialog.Update(msg)
	if next == nil {
		return nil, cmd
	}
	return d, cmd
}

// deleteDialog asks before deleting: deletion is written at once.
func (m Model) deleteDialog(e *entry) dialog {
	body := "It is removed from the database at once; its change trail is kept."
	if e.draft != nil {
		body += " Its unsaved edits are dropped too."
	}
	return confirmDialog{st: m.st, title: "Delete workflow " + e.effective().Name + "?", body: body,
		choices: []choice{
			{withHelp(m.keys.Yes, "delete"), confirmDeleteMsg{id: e.stored.ID}},
			{withHelp(m.keys.No, "keep it"), nil},
		}}
}
