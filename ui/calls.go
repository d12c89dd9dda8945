package ui

import (
	"strconv"

	"github.com/charmbracelet/lipgloss"

	"flowgate/store"
)

// callsPage is the recent call log the runtime checker writes: which token
// called which workflow and what it got.
type callsPage struct {
	st    *Styles
	grid  grid
	calls []store.Call
	seq   int
}

func newCallsPage(st *Styles) callsPage {
	status := func(v string) (lipgloss.Style, bool) {
		if v == "200" {
			return st.Allow, true
		}
		return st.Deny, true
	}
	return callsPage{st: st, grid: newGrid(st, "No calls logged yet: `flowgate serve` records them.",
		column{title: "TIME", width: 19},
		column{title: "WORKFLOW"},
		column{title: "TOKEN", width: 14},
		column{title: "STATUS", width: 6, style: status},
		column{title: "CODE", width: 18},
		column{title: "FROM", width: 15, optional: true},
	)}
}

// set shows calls, naming tokens where their names are known.
func (p *callsPage) set(calls []store.Call, tokenNames map[string]string) {
	p.calls = calls
	rows := make([][]string, len(calls))
	for i, c := range calls {
		tok := "anonymous"
		if c.TokenID != "" {
			tok = c.TokenID
			if n, ok := tokenNames[c.TokenID]; ok {
				tok = n
			}
		}
		code := c.Code
		if code == "" {
			code = "—"
		}
		wf := c.Workflow
		if wf == "" {
			wf = "—"
		}
		rows[i] = []string{c.At.Local().Format(timeLayout), wf, tok, strconv.Itoa(c.Status), code, c.RemoteAddr}
	}
	p.grid.setRows(rows)
}

func (p *callsPage) setSize(w, h int) { p.grid.setSize(w, max(2, h-2)) }

func (p callsPage) View() string {
	return p.st.Heading.Render("Recent calls (newest first)") + "\n\n" + p.grid.View()
}
