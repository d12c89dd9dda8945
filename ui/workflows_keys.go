package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
)

// capturing: a filter being typed, or the panel's dropdown or text field
// open, takes every key (page).
func (p *workflowsPage) capturing() bool {
	return p.list.filtering() || p.focus == panePanel && p.panel.busy()
}

// handleKey handles a key on this page: whatever is being typed into
// first, then the page's shortcuts, then the focused pane.
func (p *workflowsPage) handleKey(k tea.KeyMsg) tea.Cmd {
	var cmd tea.Cmd
	switch {
	case p.list.filtering():
		p.list, cmd = p.list.Update(k)
		p.syncPanel()
		return cmd
	case p.focus == panePanel && p.panel.busy():
		if key.Matches(k, p.keys.Save) {
			return p.saveAll(saveAllMsg{})
		}
		p.panel, cmd = p.panel.Update(k, &p.keys)
		return tea.Batch(cmd, p.applyPanel())
	}
	sel := p.selected()
	switch {
	case key.Matches(k, p.keys.Discard):
		if drafted := p.draftedTargets(); len(drafted) > 0 {
			p.dialog = p.discardDialog(drafted)
		}
		return nil
	case key.Matches(k, p.keys.Mark):
		return p.toggleMark()
	case key.Matches(k, p.keys.UnmarkAll):
		return p.unmarkAll()
	case key.Matches(k, p.keys.ClearFilter):
		p.list.list.ResetFilter()
		p.syncPanel()
		return nil
	case key.Matches(k, p.keys.Back):
		p.focusList()
		return nil
	case key.Matches(k, p.keys.New):
		p.dialog = newNamePrompt(p.st, p.keys, promptNew, 0, "", func(name string) bool { return p.ws.nameTaken(name, 0) })
		return nil
	case key.Matches(k, p.keys.Rename):
		if sel != nil {
			id := sel.stored.ID
			p.dialog = newNamePrompt(p.st, p.keys, promptRename, id, sel.effective().Name,
				func(name string) bool { return p.ws.nameTaken(name, id) })
		}
		return nil
	case key.Matches(k, p.keys.Delete):
		if sel != nil {
			p.dialog = p.deleteDialog(sel)
		}
		return nil
	case key.Matches(k, p.keys.NextField):
		if p.focus == paneList {
			p.focusPanel(true)
		} else if !p.panel.step(1) {
			p.focusList()
		}
		return nil
	case key.Matches(k, p.keys.PrevField):
		if p.focus == paneList {
			p.focusPanel(false)
		} else if !p.panel.step(-1) {
			p.focusList()
		}
		return nil
	case key.Matches(k, p.keys.Callers):
		p.panel.callers.expanded = !p.panel.callers.expanded
		return nil
	case key.Matches(k, p.keys.Filter):
		p.focusList()
	case p.focus == paneList && k.Type == tea.KeyEnter:
		p.focusPanel(true)
		return nil
	}
	if p.focus == panePanel {
		p.panel, cmd = p.panel.Update(k, &p.keys)
		return tea.Batch(cmd, p.applyPanel())
	}
	p.list, cmd = p.list.Update(k)
	p.syncPanel()
	return cmd
}

// syncKeys enables the page's bindings that apply now (page).
func (p *workflowsPage) syncKeys() {
	k := &p.keys
	sel := p.selected()
	browsing := !p.capturing()
	inPanel := browsing && p.focus == panePanel && p.panel.has
	inList := browsing && p.focus == paneList
	hasDraft := len(p.draftedTargets()) > 0

	k.Up.SetEnabled(browsing && sel != nil || p.panel.dropdown.open)
	k.Down.SetEnabled(k.Up.Enabled())
	k.NextField.SetEnabled(browsing && sel != nil)
	k.PrevField.SetEnabled(browsing && sel != nil)
	k.Filter.SetEnabled(browsing && len(p.ws.order) > 0)
	k.New.SetEnabled(browsing)
	k.Rename.SetEnabled(browsing && sel != nil && !sel.gone)
	k.Delete.SetEnabled(browsing && sel != nil)
	k.Discard.SetEnabled(browsing && hasDraft)
	k.Mark.SetEnabled(inList && sel != nil)
	if sel != nil && sel.marked {
		k.Mark.SetHelp("m", "unmark")
	} else {
		k.Mark.SetHelp("m", "mark")
	}
	k.UnmarkAll.SetEnabled(inList && p.ws.markCount > 0)
	k.ClearFilter.SetEnabled(browsing && !hasDraft && p.list.list.IsFiltered())
	k.Back.SetEnabled(inPanel && !hasDraft)
	if p.panel.editing {
		k.Save.SetEnabled(true) // saving mid-sentence saves the sentence
	}

	k.Toggle.SetEnabled(inPanel && p.panel.field != fieldAuth && p.panel.field != fieldDescription)
	k.Toggle.SetHelp("space", toggleHelp(p.panel))
	// The dropdown, and its key in the help, exist only while public.
	k.OpenDropdown.SetEnabled(inPanel && p.panel.field == fieldAuth && p.panel.visible(fieldAuth))
	k.Choose.SetEnabled(p.panel.dropdown.open)
	k.CloseMenu.SetEnabled(p.panel.dropdown.open)
	k.EditText.SetEnabled(inPanel && p.panel.field == fieldDescription)
	k.AcceptText.SetEnabled(p.panel.editing)
	k.CancelText.SetEnabled(p.panel.editing)
	// Only while there are names to list (or to fold away again).
	k.Callers.SetEnabled(browsing && p.panel.has && p.panel.callers.expandable())
	if p.panel.callers.expanded {
		k.Callers.SetHelp("w", "hide callers")
	} else {
		k.Callers.SetHelp("w", "who can call")
	}
}

// ShortHelp is the one-line help: the filter's keys while one is typed,
// else the focused pane's (help.KeyMap).
func (p *workflowsPage) ShortHelp() []key.Binding {
	k := p.keys
	if p.list.filtering() {
		lk := p.list.list.KeyMap
		return []key.Binding{lk.AcceptWhileFiltering, lk.CancelWhileFiltering}
	}
	if p.focus == paneList && p.ws.markCount > 0 {
		return []key.Binding{k.Up, k.Down, k.Mark, k.UnmarkAll, withHelp(k.NextField, "edit marked"),
			k.Filter, k.ClearFilter, k.Save, k.Discard, k.Help, k.Quit}
	}
	if p.focus == paneList {
		// m is in the full help (?) until something is marked.
		return []key.Binding{k.Up, k.Down, withHelp(k.NextField, "settings"), k.Filter, k.ClearFilter,
			k.New, k.Callers, k.Save, k.Discard, k.Help, k.Quit}
	}
	return []key.Binding{k.Up, k.Down, k.Toggle, k.OpenDropdown, k.Choose, k.CloseMenu, k.EditText,
		k.AcceptText, k.CancelText, k.NextField, k.Callers, k.Save, k.Discard, k.Back, k.Help, k.Quit}
}

// FullHelp is the help shown with `?`, by column (help.KeyMap).
func (p *workflowsPage) FullHelp() [][]key.Binding {
	k := p.keys
	if p.capturing() {
		return [][]key.Binding{p.ShortHelp()}
	}
	return [][]key.Binding{
		{k.Up, k.Down, k.NextField, k.PrevField, k.Filter, k.ClearFilter},
		// Toggle and OpenDropdown are never on together: six rows at most.
		{k.Toggle, k.OpenDropdown, k.EditText, k.New, k.Rename, k.Delete, k.Callers},
		// Back is for the panel, Mark and UnmarkAll for the list.
		{k.Save, k.Discard, k.Back, k.Mark, k.UnmarkAll, k.Help, k.Quit},
		k.Tabs,
	}
}

// toggleHelp says what space would do to the focused field.
func toggleHelp(p panel) string {
	switch {
	case p.field == fieldPublic && p.w.Public:
		return "make scheduled-only"
	case p.field == fieldPublic:
		return "make public"
	case p.field == fieldPrivacy && p.w.IgnorePrivacyRules:
		return "apply privacy rules"
	case p.field == fieldPrivacy:
		return "ignore privacy rules"
	case p.field == fieldMethod && p.w.Method == model.MethodGET:
		return "switch to POST"
	}
	return "switch to GET"
}
