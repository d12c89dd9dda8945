package ui

import (
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// pane names the two halves of the workflows page; the one with focus
// gets the keys.
type pane int

const (
	paneList pane = iota
	panePanel
)

// workflowsPage is the list of workflows beside the property panel of the
// selected one: where settings are changed, drafts kept and saved (see
// workflows_keys.go, workflows_edit.go and workflows_save.go).
type workflowsPage struct {
	*common
	list  workflowList
	panel panel
	focus pane
	// saving: a save is on its way, so another waits for it.
	saving bool
	// grantsSeq numbers the reads of the tokens for the panel's
	// "Callable by"; only the answer to the latest is taken.
	grantsSeq int

	width, height int
	// Pre-sized frames, rebuilt on resize so View builds no style.
	listFrame, panelFrame [2]lipgloss.Style // [unfocused, focused]
}

func newWorkflowsPage(c *common) page {
	return &workflowsPage{common: c, list: newWorkflowList(c.st), panel: newPanel(c.st, c.now)}
}

// Update handles the page's keys, the answers to its commands and dialogs,
// and the root's notices.
func (p *workflowsPage) Update(msg tea.Msg) (page, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.KeyMsg:
		cmd = p.handleKey(msg)
	case workspaceLoadedMsg:
		if msg.rebuild {
			cmd = p.list.rebuild(&p.ws)
		} else {
			cmd = p.list.refreshAll(&p.ws)
		}
		p.syncPanel()
		// Tokens move the generation too: read them with every fresh read.
		p.grantsSeq++
		cmd = tea.Batch(cmd, grantsCmd(p.ctx, p.store, p.grantsSeq))
	case grantsLoadedMsg:
		if msg.seq != p.grantsSeq {
			break // an answer to an older question
		}
		if msg.err != nil {
			p.setStatus(statusError, msg.err.Error())
			break
		}
		p.panel.setGrants(msg.grants, msg.traffic)
		p.panel.refreshImpact(p.selected())
	case pollMsg:
		// Tokens expire as time passes.
		p.panel.countCallers()
	case storeChangedMsg:
		// Nothing here reads the store itself: the root's fresh read of
		// the workspace arrives as workspaceLoadedMsg.
	case shownMsg:
		// Another page may have chosen the workflow (the review's jump).
		p.list.showID(p.workflow)
		p.syncPanel()
	case filterResultMsg:
		p.list = p.list.filterResult(msg)
		p.syncPanel()
	case saveAllMsg:
		cmd = p.saveAll(msg)
	case savedMsg:
		cmd = p.applySaveResults(msg)
	case overwriteMsg:
		cmd = p.overwrite(msg)
	case takeTheirsMsg:
		cmd = p.takeTheirs(msg)
	case nameChosenMsg:
		cmd = p.nameChosen(msg)
	case createdMsg:
		cmd = p.created(msg)
	case confirmDiscardMsg:
		cmd = p.confirmDiscard(msg)
	case confirmDeleteMsg:
		cmd = p.confirmDelete(msg)
	case deletedMsg:
		cmd = p.deleted(msg)
	default:
		// Anything else (such as a text cursor's message) belongs to
		// whatever is being typed into.
		if p.list.filtering() {
			p.list, cmd = p.list.Update(msg)
		} else if p.panel.editing {
			p.panel, cmd = p.panel.Update(msg, &p.keys)
		}
	}
	return p, cmd
}

// selected is the entry under the list cursor, or nil.
func (p *workflowsPage) selected() *entry {
	return p.ws.entries[p.list.selectedID()]
}

// syncPanel shows the selected workflow in the panel (or the marked
// ones, while any are), and tells the other pages which one is selected.
func (p *workflowsPage) syncPanel() {
	p.workflow = p.list.selectedID()
	if p.list.reselect != 0 {
		return // the filtered rows are on their way; keep the panel as is
	}
	if p.ws.markCount > 0 {
		p.panel.showBulk(p.ws.markedEntries())
	} else {
		p.panel.show(p.selected())
	}
	p.list.syncTitle()
}

// applyPanel records the panel's copy of the workflow as a draft when it
// differs from what the workspace holds (for marked workflows: applyBulk).
// Only then are the callers and the impact computed again (panel.show), not
// on every key.
func (p *workflowsPage) applyPanel() tea.Cmd {
	if !p.panel.has {
		return nil
	}
	if p.panel.bulk != nil {
		return p.applyBulk()
	}
	e := p.ws.entries[p.panel.w.ID]
	if e == nil || sameSettings(p.panel.w, e.effective()) {
		return nil
	}
	p.ws.edit(p.panel.w)
	cmd := p.list.refresh(e)
	p.panel.show(e)
	return cmd
}

func (p *workflowsPage) focusList() { p.focus = paneList }

// focusPanel enters the panel at its first (or last) field.
func (p *workflowsPage) focusPanel(first bool) {
	if !p.panel.has {
		return
	}
	p.focus = panePanel
	if first {
		p.panel.focusFirst()
	} else {
		p.panel.focusLast()
	}
}

// SetSize shares the width between list and panel; each frame's border
// and padding are measured, not assumed.
func (p *workflowsPage) SetSize(w, h int) {
	p.width, p.height = w, h
	listW := max(34, min(56, w*9/20))
	panelW := max(20, w-listW)
	innerH := max(1, h-p.st.Pane.GetVerticalFrameSize())
	for i, base := range []lipgloss.Style{p.st.Pane, p.st.FocusedPane} {
		p.listFrame[i] = base.Width(listW - base.GetHorizontalBorderSize()).Height(innerH)
		p.panelFrame[i] = base.Width(panelW-base.GetHorizontalBorderSize()).Height(innerH).Padding(0, 1)
	}
	p.list.setSize(listW-p.listFrame[0].GetHorizontalFrameSize(), innerH)
	p.panel.setSize(panelW-p.panelFrame[0].GetHorizontalFrameSize(), innerH)
}

// View draws the list and the panel side by side, the focused one in the
// focused frame; an empty database gets a welcome instead.
func (p *workflowsPage) View() string {
	if len(p.ws.order) == 0 {
		return p.welcomeView()
	}
	l, r := 1, 0
	if p.focus == panePanel {
		l, r = 0, 1
	}
	return lipgloss.JoinHorizontal(lipgloss.Top,
		p.listFrame[l].Render(p.list.View()), p.panelFrame[r].Render(p.panel.View(p.focus == panePanel)))
}

// welcomeMargin is the least room beside the welcome text.
const welcomeMargin = 2

// welcomeView greets an empty database.
func (p *workflowsPage) welcomeView() string {
	st := p.st
	lines := []string{
		st.Heading.Render("Welcome to flowgate"),
		"",
		"This database has no workflows yet.",
		"",
		"  " + st.FocusLabel.Render("n") + "  create a workflow here and choose who may call it",
		"  " + st.FocusLabel.Render("flowgate import PATH") + "  migrate the workflows of an existing app",
		"",
		st.Dim.Render("A new workflow is scheduled-only: nobody can call it over HTTP until you make it public."),
	}
	// One left-aligned block, centred as a whole.
	width := 0
	for _, l := range lines {
		width = max(width, lipgloss.Width(l))
	}
	width = min(width, p.width-2*welcomeMargin)
	for i, l := range lines {
		lines[i] = fit(l, width)
	}
	return lipgloss.Place(p.width, p.height, lipgloss.Center, lipgloss.Center, strings.Join(lines, "\n"))
}
