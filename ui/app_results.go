package ui

import (
	"errors"
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
	"flowgate/store"
)

// confirmRevokeMsg answers the revoke question.
type confirmRevokeMsg struct{ tok store.Token }

// handleResult turns the answers of commands and dialogs into state.
func (m Model) handleResult(msg tea.Msg) (Model, tea.Cmd) {
	switch msg := msg.(type) {
	case pollMsg:
		m.polls++
		cmds := []tea.Cmd{generationCmd(m.ctx, m.store)}
		// Calls do not bump the generation; refresh them about once a second
		// while they are on screen.
		if m.view == viewCalls && m.polls%4 == 0 {
			cmds = append(cmds, m.loadCalls())
		}
		return m, tea.Batch(cmds...)

	case generationMsg:
		next := tickCmd(m.opts.PollInterval)
		if msg.err != nil {
			m.setStatus(statusError, msg.err.Error())
			return m, next
		}
		if m.loading || msg.gen == m.gen && m.loaded {
			return m, next // nothing new (a failed first read is retried)
		}
		cmds := []tea.Cmd{next, m.reload()}
		switch m.view {
		case viewTokens, viewCalls:
			cmds = append(cmds, m.loadTokens())
		case viewHistory:
			cmds = append(cmds, m.loadHistory())
		}
		return m, tea.Batch(cmds...)

	case workflowsLoadedMsg:
		if msg.seq != m.loadSeq {
			return m, nil // an answer to an older question
		}
		m.loading = false
		if msg.err != nil {
			m.setStatus(statusError, msg.err.Error())
			return m, nil
		}
		first := !m.loaded
		m.loaded, m.gen = true, msg.gen
		var cmd tea.Cmd
		if m.ws.load(msg.list) || first {
			cmd = m.list.rebuild(&m.ws)
		} else {
			cmd = m.list.refreshAll(&m.ws)
		}
		m.syncPanel()
		if m.view == viewReview {
			m.refreshReview()
		}
		return m, cmd

	case savedMsg:
		return m.saved(msg)

	case confirmQuitMsg:
		if msg.save {
			return m, m.save(true)
		}
		return m, tea.Quit

	case nameChosenMsg:
		if msg.purpose == promptNew {
			return m, createCmd(m.ctx, m.store, model.NewWorkflow(msg.name), 0)
		}
		e := m.ws.entries[msg.id]
		if e == nil {
			return m, nil
		}
		w := e.effective()
		old := w.Name
		w.Name = msg.name
		m.ws.edit(w)
		cmd := m.list.refresh(e)
		m.syncPanel()
		m.setStatus(statusInfo, fmt.Sprintf("Renamed %s to %s (unsaved: ctrl+s saves).", old, msg.name))
		return m, cmd

	case createdMsg:
		if msg.err != nil {
			m.setStatus(statusError, "Not created: "+msg.err.Error())
			return m, nil
		}
		if msg.replaces != 0 {
			m.ws.remove(msg.replaces)
			m.setStatus(statusOK, fmt.Sprintf("Recreated %s from your version.", msg.w.Name))
		} else {
			m.setStatus(statusOK, fmt.Sprintf("Created %s: scheduled-only until you make it public.", msg.w.Name))
		}
		m.ws.add(msg.w)
		cmd := m.list.rebuild(&m.ws)
		m.list.showID(msg.w.ID)
		m.syncPanel()
		m.focusPanel(true)
		return m, tea.Batch(cmd, m.reload())

	case confirmDeleteMsg:
		e := m.ws.entries[msg.id]
		if e == nil {
			return m, nil
		}
		if e.gone { // already deleted elsewhere: only the draft was left
			m.ws.remove(msg.id)
			m.setStatus(statusInfo, "Dropped "+e.effective().Name+", already deleted elsewhere.")
			return m, m.list.rebuild(&m.ws)
		}
		return m, deleteCmd(m.ctx, m.store, e.stored)

	case deletedMsg:
		var conflict *store.ConflictError
		switch {
		case errors.As(msg.err, &conflict):
			m.setStatus(statusError, fmt.Sprintf("Not deleted: %s was changed by someone else meanwhile; look again, then delete.", msg.name))
			return m, m.reload()
		case msg.err != nil:
			m.setStatus(statusError, "Not deleted: "+msg.err.Error())
			return m, nil
		}
		m.ws.remove(msg.id)
		m.setStatus(statusOK, "Deleted "+msg.name+".")
		cmd := m.list.rebuild(&m.ws)
		m.syncPanel()
		if len(m.ws.order) == 0 {
			m.focusList()
		}
		return m, tea.Batch(cmd, m.reload())

	case overwriteMsg:
		e := m.ws.entries[msg.id]
		if e == nil || e.draft == nil {
			return m, nil
		}
		if msg.theirs == nil {
			return m, createCmd(m.ctx, m.store, *e.draft, msg.id)
		}
		e.draft.Version, e.stale = msg.theirs.Version, false
		cmd := m.list.refresh(e)
		m.saving = true
		m.setStatus(statusInfo, "Saving your version of "+e.draft.Name+"…")
		return m, tea.Batch(cmd, saveCmd(m.ctx, m.store, []pendingSave{{w: *e.draft, rev: e.rev}}, false))

	case takeTheirsMsg:
		name := ""
		if e := m.ws.entries[msg.id]; e != nil {
			name = e.effective().Name
		}
		m.ws.takeTheirs(msg.id, msg.theirs)
		m.setStatus(statusInfo, "Dropped your edits to "+name+" and loaded the database's version.")
		cmd := m.list.rebuild(&m.ws)
		m.syncPanel()
		return m, cmd

	case historyLoadedMsg:
		if msg.seq != m.history.seq {
			return m, nil
		}
		if msg.err != nil {
			m.setStatus(statusError, msg.err.Error())
		}
		m.history.set(msg.name, msg.changes)

	case tokensLoadedMsg:
		if msg.seq != m.tokens.seq {
			return m, nil
		}
		if msg.err != nil {
			m.setStatus(statusError, msg.err.Error())
			return m, nil
		}
		m.tokens.set(msg.tokens)
		m.calls.set(m.calls.calls, m.tokens.names())

	case callsLoadedMsg:
		if msg.seq != m.calls.seq {
			return m, nil
		}
		if msg.err != nil {
			m.setStatus(statusError, msg.err.Error())
			return m, nil
		}
		m.calls.set(msg.calls, m.tokens.names())

	case createTokenMsg:
		return m, createTokenCmd(m.ctx, m.store, msg.nt)

	case tokenCreatedMsg:
		if msg.err != nil {
			if f, ok := m.dialog.(tokenForm); ok {
				m.dialog = f.failed(msg.err)
			} else {
				m.setStatus(statusError, "Token not created: "+msg.err.Error())
			}
			return m, nil
		}
		m.dialog = secretDialog{st: m.st, km: m.keys, secret: msg.secret, tok: msg.tok}
		m.setStatus(statusOK, fmt.Sprintf("Created token %s (%s).", msg.tok.Name, msg.tok.ID))
		return m, m.loadTokens()

	case confirmRevokeMsg:
		return m, revokeTokenCmd(m.ctx, m.store, msg.tok)

	case tokenRevokedMsg:
		if msg.err != nil {
			m.setStatus(statusError, "Not revoked: "+msg.err.Error())
			return m, nil
		}
		m.setStatus(statusOK, "Revoked token "+msg.name+": calls with it are refused.")
		return m, m.loadTokens()

	default:
		// Anything else (such as a text cursor's message) belongs to whatever
		// is being typed into.
		var cmd tea.Cmd
		if m.list.filtering() {
			m.list, cmd = m.list.Update(msg)
		} else if m.panel.editing {
			m.panel, cmd = m.panel.Update(msg, &m.keys)
		}
		return m, cmd
	}
	return m, nil
}

// save writes every draft; quit leaves once all of them are saved.
func (m *Model) save(quit bool) tea.Cmd {
	pending := m.ws.drafts()
	if len(pending) == 0 {
		if quit {
			return tea.Quit
		}
		m.setStatus(statusInfo, "Nothing to save.")
		return nil
	}
	if m.saving {
		m.setStatus(statusInfo, "Still saving…")
		return nil
	}
	m.saving = true
	m.setStatus(statusInfo, "Saving…")
	return saveCmd(m.ctx, m.store, pending, quit)
}

// saved applies save results: saved drafts become the saved rows, the first
// conflict opens the two-version dialog, errors go to the status line.
func (m Model) saved(msg savedMsg) (Model, tea.Cmd) {
	m.saving = false
	var saved, failed []string
	var conflict *store.ConflictError
	var conflictID int64
	var cmds []tea.Cmd
	for _, r := range msg.results {
		var ce *store.ConflictError
		switch {
		case r.err == nil:
			m.ws.recordSave(r.id, r.rev, r.w)
			saved = append(saved, fmt.Sprintf("%s (version %d)", r.w.Name, r.w.Version))
		case errors.As(r.err, &ce):
			if conflict == nil {
				conflict, conflictID = ce, r.id
			}
			if e := m.ws.entries[r.id]; e != nil {
				e.stale = true
			}
		default:
			failed = append(failed, r.err.Error())
		}
		if e := m.ws.entries[r.id]; e != nil {
			cmds = append(cmds, m.list.refresh(e))
		}
	}
	m.syncPanel()
	switch {
	case len(failed) > 0:
		m.setStatus(statusError, "Not saved: "+strings.Join(failed, "; "))
	case conflict != nil:
		m.setStatus(statusError, conflict.Error())
	case len(saved) == 1:
		m.setStatus(statusOK, "Saved "+saved[0]+".")
	default:
		m.setStatus(statusOK, fmt.Sprintf("Saved %d workflows.", len(saved)))
	}
	if conflict != nil {
		if e := m.ws.entries[conflictID]; e != nil && e.draft != nil {
			m.dialog = conflictDialog{st: m.st, km: m.keys, mine: *e.draft, theirs: conflict.Current}
		}
	}
	if msg.quit && len(failed) == 0 && conflict == nil {
		return m, tea.Quit
	}
	if len(saved) == 0 && conflict == nil {
		return m, tea.Batch(cmds...) // nothing changed; keep the error on screen
	}
	return m, tea.Batch(append(cmds, m.reload())...)
}
