package ui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"flowgate/store"
)

// historyPage is the change trail of the selected workflow, newest first,
// following it across renames, or of all workflows (deleted ones included)
// after `a`: who changed which setting, from what to what, and through
// which part of flowgate.
type historyPage struct {
	gridPage
	name    string
	changes []store.Change
	// all shows every workflow's changes instead of the selected one's
	// (KeyMap.AllWorkflows toggles it).
	all bool
}

func newHistoryPage(c *common) page {
	p := &historyPage{gridPage: gridPage{common: c, grid: newGrid(c.st, "No changes recorded.",
		column{title: "WHEN", width: 19},
		column{title: "WORKFLOW", width: 18, optional: true},
		column{title: "FIELD", width: 20},
		column{title: "CHANGE"},
		column{title: "BY", width: 12, optional: true},
		column{title: "SOURCE", width: 14, optional: true},
	)}}
	p.parts = p.titleAndDetail
	return p
}

// historyLoadedMsg answers historyCmd.
type historyLoadedMsg struct {
	seq     int
	name    string
	changes []store.Change
	err     error
}

func (historyLoadedMsg) owner() pageID { return pageHistory }

func historyCmd(ctx context.Context, s *store.Store, seq int, name string) tea.Cmd {
	return func() tea.Msg {
		changes, err := s.History(ctx, name)
		return historyLoadedMsg{seq: seq, name: name, changes: changes, err: err}
	}
}

func (p *historyPage) Update(msg tea.Msg) (page, tea.Cmd) {
	switch msg := msg.(type) {
	case shownMsg, storeChangedMsg:
		return p, p.load()
	case historyLoadedMsg:
		if msg.seq != p.seq {
			return p, nil // an answer to an older question
		}
		if msg.err != nil {
			p.setStatus(statusError, msg.err.Error()) // and show no trail
		}
		p.set(msg.name, msg.changes)
	case tea.KeyMsg:
		if key.Matches(msg, p.keys.AllWorkflows) {
			p.all = !p.all
			return p, p.load()
		}
		p.handleGridKey(msg)
	}
	return p, nil
}

// load asks for the trail of the selected workflow, or of all of them.
func (p *historyPage) load() tea.Cmd {
	if p.all {
		p.seq++
		return historyCmd(p.ctx, p.store, p.seq, "")
	}
	sel := p.selected()
	if sel == nil || sel.gone {
		p.set("", nil)
		return nil
	}
	p.seq++
	return historyCmd(p.ctx, p.store, p.seq, sel.stored.Name)
}

// timeLayout is how the pages print times: local, to the second.
const timeLayout = "2006-01-02 15:04:05"

func (p *historyPage) set(name string, changes []store.Change) {
	p.name, p.changes = name, changes
	rows := make([][]string, len(changes))
	for i, c := range changes {
		change := c.New
		if c.Old != "" {
			change = c.Old + " → " + c.New
		}
		src := string(c.Source)
		if c.Detail != "" {
			src += " " + c.Detail
		}
		rows[i] = []string{c.At.Local().Format(timeLayout), c.Workflow, c.Field, change, changedBy(c), src}
	}
	p.grid.setRows(rows)
}

// historyDetailRows is the room under the grid for the selected change.
const historyDetailRows = 3

// titleAndDetail are the title above the grid and the selected change
// below it.
func (p *historyPage) titleAndDetail() (above, below string) {
	title := "History"
	switch {
	case p.all:
		title = "History of all workflows"
	case p.name != "":
		title = "History of " + p.name
	}
	detail := ""
	if i := p.grid.selected(); i >= 0 {
		c, row := p.changes[i], p.grid.rows[i]
		detail = p.st.Heading.Render(c.Field) + ": " + row[3] + p.st.Dim.Render("  ("+row[5]+", "+c.Workflow+", by "+row[4]+")")
	}
	return p.st.Heading.Render(title) + "\n",
		detailBlock(strings.Split(ansiWrap(detail, p.width-detailIndent), "\n"), p.width, historyDetailRows)
}

func (p *historyPage) syncKeys() {
	p.enableGridKeys()
	p.keys.AllWorkflows.SetEnabled(true)
	p.keys.AllWorkflows.SetHelp("a", map[bool]string{true: "selected workflow", false: "all workflows"}[p.all])
}

// ShortHelp and FullHelp add the all-workflows toggle to the grid's keys.
func (p *historyPage) ShortHelp() []key.Binding {
	return append([]key.Binding{p.keys.AllWorkflows}, p.gridPage.ShortHelp()...)
}

func (p *historyPage) FullHelp() [][]key.Binding {
	return append([][]key.Binding{{p.keys.AllWorkflows}}, p.gridPage.FullHelp()...)
}

// changedBy is who made a change: the name given, and the operating-system
// user when it differs, since the name is only what was typed.
func changedBy(c store.Change) string {
	switch {
	case c.Actor == "":
		return "—"
	case c.OSUser == "" || c.OSUser == c.Actor:
		return c.Actor
	}
	return c.Actor + " (os: " + c.OSUser + ")"
}

// formatTime prints an optional time, or dash when absent.
func formatTime(t *time.Time, dash string) string {
	if t == nil {
		return dash
	}
	return t.Local().Format(timeLayout)
}
