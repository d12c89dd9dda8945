package ui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// Bulk edits on the workflows page: m marks the workflow under the cursor
// (and moves on, so a run of workflows is marked with a run of m), M
// clears every mark. While any are marked the panel shows them all
// (panel_bulk.go) and its edits become drafts of each; ctrl+s saves every
// draft in one transaction (workflows_save.go).

// toggleMark marks or unmarks the workflow under the cursor, then moves
// the cursor down.
func (p *workflowsPage) toggleMark() tea.Cmd {
	sel := p.selected()
	if sel == nil {
		return nil
	}
	p.ws.toggleMark(sel.stored.ID)
	cmd := p.list.refresh(sel)
	p.list.list.CursorDown()
	p.syncPanel()
	return cmd
}

// unmarkAll clears every mark; the panel shows the workflow under the
// cursor again.
func (p *workflowsPage) unmarkAll() tea.Cmd {
	var cmds []tea.Cmd
	for _, e := range p.ws.unmarkAll() {
		cmds = append(cmds, p.list.refresh(e))
	}
	p.syncPanel()
	return tea.Batch(cmds...)
}

// applyBulk records the setting just changed in the panel as a draft of
// every marked workflow. A workflow that already had the value gets no
// draft (or loses one that is now undone).
func (p *workflowsPage) applyBulk() tea.Cmd {
	b := p.panel.bulk
	if sameSettings(p.panel.w, b.base) {
		return nil
	}
	marked := p.ws.markedEntries()
	cmds := make([]tea.Cmd, 0, len(marked))
	for _, e := range marked {
		w := e.effective()
		if changed := b.bulkChange(p.panel.w, w); !sameSettings(changed, w) {
			p.ws.edit(changed)
			cmds = append(cmds, p.list.refresh(e))
		}
	}
	p.panel.showBulk(marked)
	return tea.Batch(cmds...)
}

// editTargets are the entries the panel edits: the marked ones, or the
// one under the cursor.
func (p *workflowsPage) editTargets() []*entry {
	if p.ws.markCount > 0 {
		return p.ws.markedEntries()
	}
	if sel := p.selected(); sel != nil {
		return []*entry{sel}
	}
	return nil
}

// draftedTargets are the edit targets with unsaved edits.
func (p *workflowsPage) draftedTargets() []*entry {
	var out []*entry
	for _, e := range p.editTargets() {
		if e.draft != nil {
			out = append(out, e)
		}
	}
	return out
}
