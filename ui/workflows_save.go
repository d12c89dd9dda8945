package ui

import (
	"context"
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
	"flowgate/store"
)

// saveAllMsg asks the workflows page to save every draft: ctrl+s on any
// page, or "save all, then quit" (quit: leave once all are saved). ctrl+s
// first keeps the text being typed; the quit question counted only the
// drafts, so that answer saves just those.
type saveAllMsg struct{ quit bool }

// savedMsg answers saveCmd: pending were saved as saved (in the same
// order), or, with err, none of them was. quit asks to leave once
// everything is saved.
type savedMsg struct {
	pending []pendingSave
	saved   []model.Workflow
	err     error
	quit    bool
}

func (saveAllMsg) owner() pageID { return pageWorkflows }
func (savedMsg) owner() pageID   { return pageWorkflows }

// saveCmd saves the drafts in one transaction, each through the optimistic
// check: all of them or none, so a bulk edit never lands half-way. When
// some workflows changed elsewhere the store names every one of them.
func saveCmd(ctx context.Context, s *store.Store, pending []pendingSave, quit bool) tea.Cmd {
	return func() tea.Msg {
		ws := make([]model.Workflow, len(pending))
		for i, p := range pending {
			ws[i] = p.w
		}
		saved, err := s.UpdateWorkflows(ctx, ws, store.SourceEditor)
		return savedMsg{pending: pending, saved: saved, err: err, quit: quit}
	}
}

// saveAll answers saveAllMsg.
func (p *workflowsPage) saveAll(msg saveAllMsg) tea.Cmd {
	if msg.quit {
		return p.save(true)
	}
	p.panel.commitText()
	cmd := p.applyPanel()
	return tea.Batch(cmd, p.save(false))
}

// save writes every draft; quit leaves once all of them are saved.
func (p *workflowsPage) save(quit bool) tea.Cmd {
	pending := p.ws.drafts()
	if len(pending) == 0 {
		if quit {
			return tea.Quit
		}
		p.setStatus(statusInfo, "Nothing to save.")
		return nil
	}
	if p.saving {
		p.setStatus(statusInfo, "Still saving…")
		return nil
	}
	p.saving = true
	p.setStatus(statusInfo, "Saving…")
	return saveCmd(p.ctx, p.store, pending, quit)
}

// applySaveResults: saved drafts become the stored rows; a refusal keeps
// every draft, and conflicts open the dialog that shows them.
func (p *workflowsPage) applySaveResults(msg savedMsg) tea.Cmd {
	p.saving = false
	var conflicts *store.ConflictsError
	switch {
	case errors.As(msg.err, &conflicts):
		p.conflicted(msg.pending, conflicts.Conflicts)
		return p.reloadWorkflows()
	case msg.err != nil:
		p.setStatus(statusError, "Not saved: "+msg.err.Error())
		return nil
	}
	cmds := make([]tea.Cmd, 0, len(msg.saved)+1)
	for i, w := range msg.saved {
		id := msg.pending[i].w.ID
		p.ws.recordSave(id, msg.pending[i].rev, w)
		if e := p.ws.entries[id]; e != nil {
			cmds = append(cmds, p.list.refresh(e))
		}
	}
	p.syncPanel()
	if len(msg.saved) == 1 {
		p.setStatus(statusOK, fmt.Sprintf("Saved %s (version %d).", msg.saved[0].Name, msg.saved[0].Version))
	} else {
		p.setStatus(statusOK, fmt.Sprintf("Saved %d workflows in one transaction.", len(msg.saved)))
	}
	if msg.quit {
		return tea.Quit
	}
	return tea.Batch(append(cmds, p.reloadWorkflows())...)
}

// conflicted marks the drafts that conflict as stale and opens the dialog:
// both versions side by side for one workflow, the list for several.
func (p *workflowsPage) conflicted(pending []pendingSave, conflicts []*store.ConflictError) {
	var items []conflictItem
	for _, c := range conflicts {
		id, ok := conflictID(pending, c)
		e := p.ws.entries[id]
		if !ok || e == nil || e.draft == nil {
			continue
		}
		e.stale = true
		p.list.refresh(e) // the name is unchanged: no command
		items = append(items, conflictItem{id: id, mine: *e.draft, theirs: c.Current})
	}
	p.syncPanel()
	switch len(items) {
	case 0:
		p.setStatus(statusError, (&store.ConflictsError{Conflicts: conflicts}).Error())
	case 1:
		p.setStatus(statusError, (&store.ConflictError{Workflow: items[0].mine.Name, Current: items[0].theirs}).Error())
		p.dialog = conflictDialog{st: p.st, km: p.keys, item: items[0]}
	default:
		p.setStatus(statusError, fmt.Sprintf("Nothing was saved: %d workflows were changed by someone else.", len(items)))
		p.dialog = conflictListDialog{st: p.st, km: p.keys, items: items}
	}
}

// conflictID finds which draft a conflict is about: by id when the
// workflow still exists, else by the draft's name, which the store
// reports for a deleted one.
func conflictID(pending []pendingSave, c *store.ConflictError) (int64, bool) {
	if c.Current != nil {
		return c.Current.ID, true
	}
	for _, p := range pending {
		if p.w.Name == c.Workflow {
			return p.w.ID, true
		}
	}
	return 0, false
}

// overwrite answers "keep mine": each draft is based on their version
// now, and every draft is saved again in one transaction (nothing was
// written the first time); a workflow deleted meanwhile is recreated from
// the draft.
func (p *workflowsPage) overwrite(msg overwriteMsg) tea.Cmd {
	var cmds []tea.Cmd
	recreate := map[int64]bool{}
	for _, it := range msg.items {
		e := p.ws.entries[it.id]
		if e == nil || e.draft == nil {
			continue
		}
		if it.theirs == nil {
			recreate[it.id] = true
			cmds = append(cmds, createCmd(p.ctx, p.store, *e.draft, it.id))
			continue
		}
		e.draft.Version, e.stale = it.theirs.Version, false
		cmds = append(cmds, p.list.refresh(e))
	}
	var pending []pendingSave
	for _, d := range p.ws.drafts() {
		if !recreate[d.w.ID] {
			pending = append(pending, d)
		}
	}
	if len(pending) > 0 {
		p.saving = true
		p.setStatus(statusInfo, "Saving your version…")
		cmds = append(cmds, saveCmd(p.ctx, p.store, pending, false))
	}
	return tea.Batch(cmds...)
}

// takeTheirs answers "reload theirs": drop the drafts of the workflows
// that changed elsewhere and take the database's versions.
func (p *workflowsPage) takeTheirs(msg takeTheirsMsg) tea.Cmd {
	var names []string
	for _, it := range msg.items {
		if e := p.ws.entries[it.id]; e != nil {
			names = append(names, e.effective().Name)
		}
		p.ws.takeTheirs(it.id, it.theirs)
	}
	p.setStatus(statusInfo, "Dropped your edits to "+listNames(names)+" and loaded the database's version.")
	cmd := p.list.rebuild(&p.ws)
	p.syncPanel()
	return cmd
}
