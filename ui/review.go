package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"flowgate/model"
)

// reviewPage lists the findings of model.Review over the stored workflows —
// what `flowgate review` reports, info findings included — most severe
// first. Enter jumps to the finding's workflow in the editor.
type reviewPage struct {
	gridPage
	findings []model.Finding
	unsaved  int // drafts not yet reviewed, mentioned so nobody is misled
}

func newReviewPage(c *common) page {
	sev := func(v string) (lipgloss.Style, bool) {
		s, err := model.ParseSeverity(v)
		if err != nil {
			return lipgloss.Style{}, false
		}
		style, ok := c.st.Severity[s]
		return style, ok
	}
	p := &reviewPage{gridPage: gridPage{common: c, grid: newGrid(c.st, "No findings: nothing is exposed in a risky way.",
		column{title: "SEVERITY", width: 8, style: sev},
		column{title: "WORKFLOW", width: 24},
		column{title: "WHAT TO DO"},
	)}}
	p.parts = p.detailParts
	return p
}

func (p *reviewPage) Update(msg tea.Msg) (page, tea.Cmd) {
	switch msg := msg.(type) {
	case shownMsg:
		p.refresh()
	case workspaceLoadedMsg:
		if p.active == pageReview {
			p.refresh()
		}
	case tea.KeyMsg:
		if !key.Matches(msg, p.keys.Jump) {
			p.handleGridKey(msg)
			break
		}
		if f, ok := p.selected(); ok {
			if id, found := p.ws.byName(f.Workflow); found {
				p.workflow = id
				p.show(pageWorkflows)
			}
		}
	}
	return p, nil
}

// refresh recomputes the findings from the workspace.
func (p *reviewPage) refresh() {
	findings := model.Review(p.ws.storedList())
	p.findings, p.unsaved = findings, p.ws.unsavedCount()
	rows := make([][]string, len(findings))
	for i, f := range findings {
		rows[i] = []string{f.Severity.String(), f.Workflow, f.Message}
	}
	p.grid.setRows(rows)
}

// selected is the finding under the cursor.
func (p *reviewPage) selected() (model.Finding, bool) {
	i := p.grid.selected()
	if i < 0 {
		return model.Finding{}, false
	}
	return p.findings[i], true
}

// reviewDetailRows is the room under the grid for the whole message.
const reviewDetailRows = 3

// detailParts are nothing above the grid and the whole message of the
// selected finding below it.
func (p *reviewPage) detailParts() (above, below string) {
	var detail []string
	if f, ok := p.selected(); ok {
		detail = append(detail, p.st.Heading.Render(f.Workflow)+": "+f.Message)
	}
	if p.unsaved > 0 {
		detail = append(detail, p.st.Unsaved.Render("Unsaved edits are not reviewed until saved."))
	}
	text := ansiWrap(strings.Join(detail, "\n"), p.width-detailIndent)
	return "", detailBlock(strings.Split(text, "\n"), p.width, reviewDetailRows)
}

func (p *reviewPage) syncKeys() {
	p.enableGridKeys()
	p.keys.Jump.SetEnabled(p.grid.selected() >= 0)
}

func (p *reviewPage) ShortHelp() []key.Binding {
	k := p.keys
	return []key.Binding{k.Up, k.Down, k.Jump, k.Back, k.Help, k.Quit}
}

func (p *reviewPage) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Jump}, k.Tabs, {k.Save, k.Back, k.Help, k.Quit}}
}
