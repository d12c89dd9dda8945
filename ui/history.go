package ui

import (
	"strings"
	"time"

	"flowgate/store"
)

// historyPage is the change trail of the selected workflow, newest first,
// following it across renames: who changed which setting, from what to what,
// and through which part of flowgate.
type historyPage struct {
	st      *Styles
	grid    grid
	name    string
	changes []store.Change
	seq     int
	width   int
}

func newHistoryPage(st *Styles) historyPage {
	return historyPage{st: st, grid: newGrid(st, "No changes recorded.",
		column{title: "WHEN", width: 19},
		column{title: "FIELD", width: 20},
		column{title: "CHANGE"},
		column{title: "SOURCE", width: 14, optional: true},
	)}
}

// timeLayout is how the views print times: local, to the second.
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

func (p *historyPage) setSize(w, h int) {
	p.width = w
	p.grid.setSize(w, max(2, h-2-detailLines))
}

func (p historyPage) View() string {
	title := "History"
	if p.name != "" {
		title = "History of " + p.name
	}
	detail := ""
	if i := p.grid.selected(); i >= 0 {
		c := p.changes[i]
		detail = p.st.Heading.Render(c.Field) + ": " + p.grid.rows[i][2] + p.st.Dim.Render("  ("+p.grid.rows[i][3]+", "+c.Workflow+")")
	}
	return p.st.Heading.Render(title) + "\n\n" + p.grid.View() + "\n\n" +
		fitLines(strings.Split(ansiWrap(detail, p.width-2), "\n"), p.width, detailLines-1)
}

// formatTime prints an optional time, or dash when absent.
func formatTime(t *time.Time, dash string) string {
	if t == nil {
		return dash
	}
	return t.Local().Format(timeLayout)
}
