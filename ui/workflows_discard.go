package ui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
)

// Discarding unsaved edits: esc asks first, since what is dropped cannot be
// brought back. It discards what the panel shows: the workflow under the
// cursor, or every marked one.

// confirmDiscardMsg answers the discard question for workflows ids.
type confirmDiscardMsg struct{ ids []int64 }

func (confirmDiscardMsg) owner() pageID { return pageWorkflows }

// discardDialog asks before dropping the unsaved edits of es.
func (p *workflowsPage) discardDialog(es []*entry) dialog {
	ids := make([]int64, len(es))
	names := make([]string, len(es))
	for i, e := range es {
		ids[i], names[i] = e.stored.ID, e.effective().Name
	}
	what := names[0]
	if len(es) > 1 {
		what = plural(len(es), "workflow")
	}
	body := "Edits not saved yet are dropped: " + listNames(names) + " go back to what the database holds."
	if len(es) == 1 {
		body = "Edits not saved yet are dropped: " + what + " goes back to what the database holds."
	}
	return confirmDialog{st: p.st, title: "Discard the unsaved edits to " + what + "?", body: body,
		choices: []choice{
			{withHelp(p.keys.Yes, "discard"), confirmDiscardMsg{ids: ids}},
			{withHelp(p.keys.No, "keep them"), nil},
		}}
}

// confirmDiscard drops the drafts the user agreed to drop.
func (p *workflowsPage) confirmDiscard(msg confirmDiscardMsg) tea.Cmd {
	var names []string
	rebuild := false
	var cmds []tea.Cmd
	for _, id := range msg.ids {
		e := p.ws.entries[id]
		if e == nil || !p.ws.discard(id) {
			continue
		}
		names = append(names, e.effective().Name)
		if _, still := p.ws.entries[id]; still {
			cmds = append(cmds, p.list.refresh(e))
		} else {
			rebuild = true
		}
	}
	if rebuild {
		cmds = append(cmds, p.list.rebuild(&p.ws))
	}
	switch len(names) {
	case 0:
		return nil
	case 1:
		p.setStatus(statusInfo, "Discarded the unsaved edits to "+names[0]+".")
	default:
		p.setStatus(statusInfo, fmt.Sprintf("Discarded the unsaved edits to %d workflows.", len(names)))
	}
	p.syncPanel()
	return tea.Batch(cmds...)
}

// listNames lists up to five names, then how many more.
func listNames(names []string) string {
	if len(names) > 5 {
		names = append(names[:5:5], fmt.Sprintf("and %d more", len(names)-5))
	}
	return strings.Join(names, ", ")
}
