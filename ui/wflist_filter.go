package ui

import (
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
)

// The bubbles list filters in a background command per keystroke, and its
// answers carry nothing that says which query they answer. Bubble Tea runs
// the commands of a batch concurrently, and Go tends to run the last one
// started first, so after a burst of keys ("/inv" typed fast or pasted) the
// answer for "inv" arrived first and the one for "in" overwrote it — every
// time. Here each filter request gets a sequence number, its answer comes
// back tagged with it, and only the answer to the latest request is taken:
// each request reads the whole query and every row, so the latest is always
// the whole truth.

// filterResultMsg is one of the list's filter answers, tagged with the
// request it answers.
type filterResultMsg struct {
	seq     int
	matches list.FilterMatchesMsg
}

func (filterResultMsg) owner() pageID { return pageWorkflows }

// tagFilterResults wraps cmd (and every command of a batch it returns) so
// that a filter answer it yields arrives as a filterResultMsg for seq; any
// other message passes unchanged.
func tagFilterResults(cmd tea.Cmd, seq int) tea.Cmd {
	if cmd == nil {
		return nil
	}
	return func() tea.Msg {
		switch msg := cmd().(type) {
		case list.FilterMatchesMsg:
			return filterResultMsg{seq: seq, matches: msg}
		case tea.BatchMsg:
			out := make(tea.BatchMsg, len(msg))
			for i, c := range msg {
				out[i] = tagFilterResults(c, seq)
			}
			return out
		default:
			return msg
		}
	}
}

// track tags the commands the list returned; newRequest says they include
// a new filter request, which makes every earlier answer stale.
func (l *workflowList) track(cmd tea.Cmd, newRequest bool) tea.Cmd {
	if newRequest {
		l.filterSeq++
	}
	return tagFilterResults(cmd, l.filterSeq)
}

// filterResult takes a filter answer if it answers the latest request,
// and selects again the workflow a rebuild left pending.
func (l workflowList) filterResult(msg filterResultMsg) workflowList {
	if msg.seq != l.filterSeq {
		return l // an answer to an older query
	}
	l.list, _ = l.list.Update(msg.matches) // the list returns no command for it
	if id := l.reselect; id != 0 {
		l.reselect = 0
		for i, it := range l.list.VisibleItems() {
			if it.(*row).id == id {
				l.list.Select(i)
				break
			}
		}
	}
	l.syncTitle()
	return l
}
