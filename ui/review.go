package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"flowgate/model"
)

// reviewPage lists the findings of model.Review over the stored workflows —
// what `flowgate review` reports, info findings included — most severe
// first, the migrated-auth ones as one line and the waived ones last.
// Enter jumps to the finding's workflow (on the migrated line: confirms
// them all), f drafts the suggested fix, w waives the finding.
type reviewPage struct {
	gridPage
	// rows are what the grid shows, one each: a finding, the migrated line
	// (migrated set) or a waived finding (waiver set).
	rows    []reviewRow
	waivers []model.Waiver
	unsaved int // drafts not yet reviewed, mentioned so nobody is misled
}

// reviewRow is one line of the Review page.
type reviewRow struct {
	model.Finding
	// migrated are the ids of the workflows of the migrated line.
	migrated []int64
	waiver   *model.Waiver
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
	case shownMsg, storeChangedMsg:
		p.refresh()
		return p, p.loadWaivers()
	case workspaceLoadedMsg:
		if p.active == pageReview {
			p.refresh()
			return p, p.loadWaivers()
		}
	case waiversLoadedMsg:
		if p.answered(msg.seq, msg.err) {
			p.waivers = msg.waivers
			p.refresh()
		}
	case waiveMsg:
		return p, waiveCmd(p.ctx, p.store, msg.f, msg.reason)
	case waivedMsg:
		if msg.err != nil {
			p.setStatus(statusError, "Not waived: "+msg.err.Error())
			return p, nil
		}
		p.setStatus(statusOK, fmt.Sprintf("Waived %s for %s.", msg.f.Rule, msg.f.Subject()))
		return p, p.loadWaivers()
	case confirmMigratedMsg:
		return p, confirmMigratedCmd(p.ctx, p.store, msg.ids)
	case confirmedMsg:
		if msg.err != nil {
			p.setStatus(statusError, "Not confirmed: "+msg.err.Error())
			return p, nil
		}
		p.setStatus(statusOK, fmt.Sprintf("Confirmed the Authentication of %d workflows.", msg.n))
		return p, p.reloadWorkflows()
	case tea.KeyMsg:
		return p, p.handleKey(msg)
	}
	return p, nil
}

// handleKey acts on the selected row.
func (p *reviewPage) handleKey(k tea.KeyMsg) tea.Cmd {
	row, ok := p.selectedRow()
	switch {
	case !ok:
		p.handleGridKey(k)
	case key.Matches(k, p.keys.Jump) && row.migrated != nil:
		n := len(row.migrated)
		p.dialog = confirmDialog{st: p.st, title: "Confirm migrated Authentication",
			body: fmt.Sprintf("Keep the Authentication the old checkbox gave %d workflows, as it is now?", n),
			choices: []choice{
				{withHelp(p.keys.Yes, "confirm all"), confirmMigratedMsg{ids: row.migrated}},
				{withHelp(p.keys.No, "not now"), nil},
			}}
	case key.Matches(k, p.keys.Jump):
		if id, found := p.ws.byName(row.Workflow); found {
			p.workflow = id
			p.show(pageWorkflows)
		}
	case key.Matches(k, p.keys.Fix):
		return p.draftFix(row.Finding)
	case key.Matches(k, p.keys.Waive):
		p.dialog = newReasonPrompt(p.st, p.keys, row.Finding)
	default:
		p.handleGridKey(k)
	}
	return nil
}

// draftFix applies the finding's suggested fix to the workflow as an
// unsaved draft (over the draft already there, if any). The workspace is
// then read again so that every page, the workflows page's panel and list
// included, shows the draft rather than the copy it held.
func (p *reviewPage) draftFix(f model.Finding) tea.Cmd {
	id, found := p.ws.byName(f.Workflow)
	e := p.ws.entries[id]
	if !found || e == nil {
		return nil
	}
	fixed, ok := model.SuggestedFix(f, e.effective())
	if !ok {
		return nil
	}
	p.ws.edit(fixed)
	p.unsaved = p.ws.unsavedCount()
	p.setStatus(statusInfo, fmt.Sprintf("Drafted the fix for %s (not saved): ctrl+s saves it.", f.Workflow))
	return p.reloadWorkflows()
}

// loadWaivers asks for the waivers.
func (p *reviewPage) loadWaivers() tea.Cmd {
	p.seq++
	return waiversCmd(p.ctx, p.store, p.seq)
}

// refresh recomputes the rows from the workspace and the waivers.
func (p *reviewPage) refresh() {
	open, waived := model.ApplyWaivers(model.Review(p.ws.storedList()), p.waivers, time.Now())
	p.unsaved = p.ws.unsavedCount()
	p.rows = p.rows[:0]
	var migrated []int64
	for _, f := range open {
		if f.Rule == model.RuleMigratedAuth {
			if id, ok := p.ws.byName(f.Workflow); ok {
				migrated = append(migrated, id)
			}
			continue
		}
		p.rows = append(p.rows, reviewRow{Finding: f})
	}
	if len(migrated) > 0 {
		subject, message := fmt.Sprintf("%d workflows", len(migrated)), "keep the auth the old checkbox gave them: enter confirms them all"
		if len(migrated) == 1 {
			subject, message = "1 workflow", "keeps the auth the old checkbox gave it: enter confirms it"
		}
		p.rows = append(p.rows, reviewRow{Finding: model.Finding{Rule: model.RuleMigratedAuth, Severity: model.SeverityInfo,
			Workflow: subject, Message: message}, migrated: migrated})
	}
	for _, w := range waived {
		p.rows = append(p.rows, reviewRow{Finding: w.Finding, waiver: &w.Waiver})
	}
	cells := make([][]string, len(p.rows))
	for i, r := range p.rows {
		severity, message := r.Severity.String(), r.Message
		if r.waiver != nil {
			severity, message = "waived", fmt.Sprintf("%s, waived%s: %q", r.Rule, byText(r.waiver.By), r.waiver.Reason)
		}
		cells[i] = []string{severity, r.Workflow, message}
	}
	p.grid.setRows(cells)
}

// byText is " by NAME", or nothing when nobody is named.
func byText(by string) string {
	if by == "" {
		return ""
	}
	return " by " + by
}

// selectedRow is the row under the cursor.
func (p *reviewPage) selectedRow() (reviewRow, bool) {
	i := p.grid.selected()
	if i < 0 || i >= len(p.rows) {
		return reviewRow{}, false
	}
	return p.rows[i], true
}

// reviewDetailRows is the room under the grid for the whole message.
const reviewDetailRows = 3

// detailParts are nothing above the grid and the whole message of the
// selected row below it.
func (p *reviewPage) detailParts() (above, below string) {
	var detail []string
	if r, ok := p.selectedRow(); ok {
		line := p.st.Heading.Render(r.Workflow) + ": " + string(r.Rule) + ": " + r.Message
		if r.waiver != nil {
			line += p.st.Dim.Render(fmt.Sprintf("  (waived%s: %q)", byText(r.waiver.By), r.waiver.Reason))
		}
		detail = append(detail, line)
	}
	if p.unsaved > 0 {
		detail = append(detail, p.st.Unsaved.Render("Unsaved edits are not reviewed until saved."))
	}
	text := ansiWrap(strings.Join(detail, "\n"), p.width-detailIndent)
	return "", detailBlock(strings.Split(text, "\n"), p.width, reviewDetailRows)
}

func (p *reviewPage) syncKeys() {
	p.enableGridKeys()
	r, ok := p.selectedRow()
	p.keys.Jump.SetEnabled(ok)
	p.keys.Jump.SetHelp("enter", map[bool]string{true: "confirm all", false: "go to workflow"}[r.migrated != nil])
	_, fixable := model.SuggestedFix(r.Finding, model.Workflow{})
	p.keys.Fix.SetEnabled(ok && r.migrated == nil && r.waiver == nil && fixable)
	p.keys.Waive.SetEnabled(ok && r.migrated == nil && r.waiver == nil)
}

func (p *reviewPage) ShortHelp() []key.Binding {
	k := p.keys
	return []key.Binding{k.Jump, k.Fix, k.Waive, k.Back, k.Help, k.Quit}
}

func (p *reviewPage) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Jump, k.Fix, k.Waive}, k.Tabs, {k.Save, k.Back, k.Help, k.Quit}}
}
