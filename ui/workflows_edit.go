package ui

import (
	"context"
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
	"flowgate/store"
)

// Creating, renaming and deleting workflows. A new workflow and a deletion
// are written at once (after a question); a rename is a draft like any
// other edit.

// confirmDeleteMsg answers the delete question for workflow id.
type confirmDeleteMsg struct{ id int64 }

// createdMsg answers createCmd. replaces is the id of a workflow deleted
// elsewhere that the user chose to recreate from their draft (0 for new).
type createdMsg struct {
	w        model.Workflow
	replaces int64
	err      error
}

// deletedMsg answers deleteCmd.
type deletedMsg struct {
	id   int64
	name string
	err  error
}

func (confirmDeleteMsg) owner() pageID { return pageWorkflows }
func (createdMsg) owner() pageID       { return pageWorkflows }
func (deletedMsg) owner() pageID       { return pageWorkflows }

func createCmd(ctx context.Context, s *store.Store, w model.Workflow, replaces int64) tea.Cmd {
	return func() tea.Msg {
		w.ID, w.Version = 0, 0
		created, err := s.CreateWorkflow(ctx, w, store.SourceEditor)
		return createdMsg{w: created, replaces: replaces, err: err}
	}
}

func deleteCmd(ctx context.Context, s *store.Store, w model.Workflow) tea.Cmd {
	return func() tea.Msg {
		return deletedMsg{id: w.ID, name: w.Name, err: s.DeleteWorkflow(ctx, w, store.SourceEditor)}
	}
}

// nameChosen answers the name prompt: create the workflow, or record the
// new name as a draft.
func (p *workflowsPage) nameChosen(msg nameChosenMsg) tea.Cmd {
	if msg.purpose == promptNew {
		return createCmd(p.ctx, p.store, model.NewWorkflow(msg.name), 0)
	}
	e := p.ws.entries[msg.id]
	if e == nil {
		return nil
	}
	w := e.effective()
	old := w.Name
	w.Name = msg.name
	p.ws.edit(w)
	cmd := p.list.refresh(e)
	p.syncPanel()
	p.setStatus(statusInfo, fmt.Sprintf("Renamed %s to %s (unsaved: ctrl+s saves).", old, msg.name))
	return cmd
}

// created selects the new workflow, ready to set it up.
func (p *workflowsPage) created(msg createdMsg) tea.Cmd {
	if msg.err != nil {
		p.setStatus(statusError, "Not created: "+msg.err.Error())
		return nil
	}
	if msg.replaces != 0 {
		p.ws.remove(msg.replaces)
		p.setStatus(statusOK, fmt.Sprintf("Recreated %s from your version.", msg.w.Name))
	} else {
		p.setStatus(statusOK, fmt.Sprintf("Created %s: scheduled-only until you make it public.", msg.w.Name))
	}
	p.ws.add(msg.w)
	cmd := p.list.rebuild(&p.ws)
	p.list.showID(msg.w.ID)
	p.syncPanel()
	p.focusPanel(true)
	return tea.Batch(cmd, p.reloadWorkflows())
}

// deleteDialog asks before deleting: deletion is written at once.
func (p *workflowsPage) deleteDialog(e *entry) dialog {
	body := "It is removed from the database at once; its change trail is kept."
	if e.draft != nil {
		body += " Its unsaved edits are dropped too."
	}
	return confirmDialog{st: p.st, title: "Delete workflow " + e.effective().Name + "?", body: body,
		choices: []choice{
			{withHelp(p.keys.Yes, "delete"), confirmDeleteMsg{id: e.stored.ID}},
			{withHelp(p.keys.No, "keep it"), nil},
		}}
}

func (p *workflowsPage) confirmDelete(msg confirmDeleteMsg) tea.Cmd {
	e := p.ws.entries[msg.id]
	if e == nil {
		return nil
	}
	if e.gone { // already deleted elsewhere: only the draft was left
		p.ws.remove(msg.id)
		p.setStatus(statusInfo, "Dropped "+e.effective().Name+", already deleted elsewhere.")
		return p.list.rebuild(&p.ws)
	}
	return deleteCmd(p.ctx, p.store, e.stored)
}

func (p *workflowsPage) deleted(msg deletedMsg) tea.Cmd {
	var conflict *store.ConflictError
	switch {
	case errors.As(msg.err, &conflict):
		p.setStatus(statusError, fmt.Sprintf("Not deleted: %s was changed by someone else meanwhile; look again, then delete.", msg.name))
		return p.reloadWorkflows()
	case msg.err != nil:
		p.setStatus(statusError, "Not deleted: "+msg.err.Error())
		return nil
	}
	p.ws.remove(msg.id)
	p.setStatus(statusOK, "Deleted "+msg.name+".")
	cmd := p.list.rebuild(&p.ws)
	p.syncPanel()
	if len(p.ws.order) == 0 {
		p.focusList()
	}
	return tea.Batch(cmd, p.reloadWorkflows())
}
