package ui

import (
	"context"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"flowgate/store"
)

// historyPage is the change trail of the selected workflow, newest first,
// following it across renames: who changed which setting, from what to what,
// and through which part of flowgate.
type historyPage struct {
	gridPage
	name    string
	changes []store.Change
}

func newHistoryPage(c *common) page {
	p := &historyPage{gridPage: gridPage{common: c, grid: newGrid(c.st, "No changes recorded.",
		column{title: "WHEN", width: 19},
		column{title: "FIELD", width: 20},
		column{title: "CHANGE"},
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
		p.handleGridKey(msg)
	}
	return p, nil
}

// load asks for the trail of the selected workflow.
func (p *historyPage) load() tea.Cmd {
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
		rows[i] = []string{c.At.Local().Format(timeLayout), c.Field, change, src}
	}
	p.grid.setRows(rows)
}

// historyDetailRows is the room under the grid for the selected change.
const historyDetailRows = 3

// titleAndDetail are the title above the grid and the selected change
// below it.
func (p *historyPage) titleAndDetail() (above, below string) {
	title := "History"
	if p.name != "" {
		title = "History of " + p.name
	}
	detail := ""
	if i := p.grid.selected(); i >= 0 {
		c := p.changes[i]
		detail = p.st.Heading.Render(c.Field) + ": " + p.grid.rows[i][2] + p.st.Dim.Render("  ("+p.grid.rows[i][3]+", "+c.Workflow+")")
	}
	return p.st.Heading.Render(title) + "\n",
		detailBlock(strings.Split(ansiWrap(detail, p.width-detailIndent), "\n"), p.width, historyDetailRows)
}

func (p *historyPage) syncKeys() { p.enableGridKeys() }

// formatTime prints an optional time, or dash when absent.
func formatTime(t *time.Time, dash string) string {
	if t == nil {
		return dash
	}
	return t.Local().Format(timeLayout)
}
