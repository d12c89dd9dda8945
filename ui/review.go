package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"

	"flowgate/model"
)

// reviewPage lists the findings of model.Review over the saved workflows —
// what `flowgate review` reports, info findings included — most severe
// first. Enter jumps to the finding's workflow in the editor.
type reviewPage struct {
	st       *Styles
	grid     grid
	findings []model.Finding
	unsaved  int // drafts not yet reviewed, mentioned so nobody is misled
	width    int
}

func newReviewPage(st *Styles) reviewPage {
	sev := func(v string) (lipgloss.Style, bool) {
		s, err := model.ParseSeverity(v)
		if err != nil {
			return lipgloss.Style{}, false
		}
		style, ok := st.Severity[s]
		return style, ok
	}
	return reviewPage{st: st, grid: newGrid(st, "No findings: nothing is exposed in a risky way.",
		column{title: "SEVERITY", width: 8, style: sev},
		column{title: "WORKFLOW", width: 24},
		column{title: "WHAT TO DO"},
	)}
}

// set replaces the findings (recomputed after every reload).
func (p *reviewPage) set(findings []model.Finding, unsaved int) {
	p.findings, p.unsaved = findings, unsaved
	rows := make([][]string, len(findings))
	for i, f := range findings {
		rows[i] = []string{f.Severity.String(), f.Workflow, f.Message}
	}
	p.grid.setRows(rows)
}

// selected is the finding under the cursor.
func (p reviewPage) selected() (model.Finding, bool) {
	i := p.grid.selected()
	if i < 0 {
		return model.Finding{}, false
	}
	return p.findings[i], true
}

// detailLines is the room kept under the grid for the whole message.
const detailLines = 4

func (p *reviewPage) setSize(w, h int) {
	p.width = w
	p.grid.setSize(w, max(2, h-detailLines))
}

func (p reviewPage) View() string {
	var detail []string
	if f, ok := p.selected(); ok {
		detail = append(detail, p.st.Heading.Render(f.Workflow)+": "+f.Message)
	}
	if p.unsaved > 0 {
		detail = append(detail, p.st.Unsaved.Render("Unsaved edits are not reviewed until saved."))
	}
	text := ansiWrap(strings.Join(detail, "\n"), p.width-2)
	return p.grid.View() + "\n\n" + fitLines(strings.Split(text, "\n"), p.width, detailLines-1)
}
