package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
	"flowgate/store"
)

// saveAllMsg asks the workflows page to save every draft: ctrl+s on any
// page, or "save all, then quit" (quit: leave once all are saved). ctrl+s
// first keeps the text being typed; the quit question counted only the
// drafts, so that answer saves just those.
type saveAllMsg struct{ quit bool }

// saveResult is the outcome of saving one draft.
type saveResult struct {
	id   int64
	rev  int
	name string
	w    model.Workflow
	err  error
}

// savedMsg answers saveCmd; quit asks to leave once everything is saved.
type savedMsg struct {
	results []saveResult
	quit    bool
}

func (saveAllMsg) owner() pageID { return pageWorkflows }
func (savedMsg) owner() pageID   { return pageWorkflows }

// saveCmd saves each draft in its own transaction, through the optimistic
// check, so a conflict on one workflow holds back only that one.
func saveCmd(ctx context.Context, s *store.Store, pending []pendingSave, quit bool) tea.Cmd {
	return func() tea.Msg {
		out := make([]saveResult, 0, len(pending))
		for _, p := range pending {
			w, err := s.UpdateWorkflow(ctx, p.w, store.SourceEditor)
			out = append(out, saveResult{id: p.w.ID, rev: p.rev, name: p.w.Name, w: w, err: err})
		}
		return savedMsg{results: out, quit: quit}
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

// applySaveResults: saved drafts become the stored rows, the
// first conflict opens the two-version dialog, errors go to the status line.
func (p *workflowsPage) applySaveResults(msg savedMsg) tea.Cmd {
	p.saving = false
	var names, failed []string
	var conflict *store.ConflictError
	var conflictID int64
	var cmds []tea.Cmd
	for _, r := range msg.results {
		var ce *store.ConflictError
		switch {
		case r.err == nil:
			p.ws.recordSave(r.id, r.rev, r.w)
			names = append(names, fmt.Sprintf("%s (version %d)", r.w.Name, r.w.Version))
		case errors.As(r.err, &ce):
			if conflict == nil {
				conflict, conflictID = ce, r.id
			}
			if e := p.ws.entries[r.id]; e != nil {
				e.stale = true
			}
		default:
			failed = append(failed, r.err.Error())
		}
		if e := p.ws.entries[r.id]; e != nil {
			cmds = append(cmds, p.list.refresh(e))
		}
	}
	p.syncPanel()
	switch {
	case len(failed) > 0:
		p.setStatus(statusError, "Not saved: "+strings.Join(failed, "; "))
	case conflict != nil:
		p.setStatus(statusError, conflict.Error())
	case len(names) == 1:
		p.setStatus(statusOK, "Saved "+names[0]+".")
	default:
		p.setStatus(statusOK, fmt.Sprintf("Saved %d workflows.", len(names)))
	}
	if conflict != nil {
		if e := p.ws.entries[conflictID]; e != nil && e.draft != nil {
			p.dialog = conflictDialog{st: p.st, km: p.keys, mine: *e.draft, theirs: conflict.Current}
		}
	}
	if msg.quit && len(failed) == 0 && conflict == nil {
		return tea.Quit
	}
	if len(names) == 0 && conflict == nil {
		return tea.Batch(cmds...) // nothing changed; keep the error on screen
	}
	return tea.Batch(append(cmds, p.reloadWorkflows())...)
}

// overwrite answers the conflict dialog's "keep mine": save the draft over
// their version, or recreate the workflow when it was deleted.
func (p *workflowsPage) overwrite(msg overwriteMsg) tea.Cmd {
	e := p.ws.entries[msg.id]
	if e == nil || e.draft == nil {
		return nil
	}
	if msg.theirs == nil {
		return createCmd(p.ctx, p.store, *e.draft, msg.id)
	}
	e.draft.Version, e.stale = msg.theirs.Version, false
	cmd := p.list.refresh(e)
	p.saving = true
	p.setStatus(statusInfo, "Saving your version of "+e.draft.Name+"…")
	return tea.Batch(cmd, saveCmd(p.ctx, p.store, []pendingSave{{w: *e.draft, rev: e.rev}}, false))
}

// takeTheirs answers the conflict dialog's "reload theirs": drop the draft.
func (p *workflowsPage) takeTheirs(msg takeTheirsMsg) tea.Cmd {
	name := ""
	if e := p.ws.entries[msg.id]; e != nil {
		name = e.effective().Name
	}
	p.ws.takeTheirs(msg.id, msg.theirs)
	p.setStatus(statusInfo, "Dropped your edits to "+name+" and loaded the database's version.")
	cmd := p.list.rebuild(&p.ws)
	p.syncPanel()
	return cmd
}
