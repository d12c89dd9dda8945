package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// gridPage is what the review, history, tokens and calls pages share: a
// grid between what the page draws above and below it, the keys that move
// its cursor, and esc back to the workflows. The page builds both parts in
// one function (parts); View draws them around the grid and SetSize
// measures them with lipgloss, so the grid always gets exactly the rows
// the parts leave.
type gridPage struct {
	*common
	grid  grid
	width int
	// seq numbers the page's reads; only the answer to the latest is taken.
	seq   int
	parts func() (above, below string)
}

// SetSize gives the grid what the parts leave of the body (page).
func (g *gridPage) SetSize(w, h int) {
	g.width = w
	above, below := g.parts()
	g.grid.setSize(w, gridRows(h, above, below))
}

// View draws the parts around the grid (page).
func (g *gridPage) View() string {
	above, below := g.parts()
	return stackGrid(above, g.grid.View(), below)
}

// capturing: a grid page never takes every key (page).
func (g *gridPage) capturing() bool { return false }

// handleGridKey handles the keys every grid page shares: esc goes back to
// the workflows, the others move the cursor.
func (g *gridPage) handleGridKey(k tea.KeyMsg) {
	if key.Matches(k, g.keys.Back) {
		g.show(pageWorkflows)
		return
	}
	g.grid = g.grid.Update(k, &g.keys)
}

// enableGridKeys switches on the keys every grid page answers to.
func (g *gridPage) enableGridKeys() {
	k := &g.keys
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.Back} {
		b.SetEnabled(true)
	}
}

// answered reports whether a read numbered seq is the latest and worked;
// a failure goes to the status line.
func (g *gridPage) answered(seq int, err error) bool {
	if seq != g.seq {
		return false // an answer to an older question
	}
	if err != nil {
		g.setStatus(statusError, err.Error())
		return false
	}
	return true
}

// ShortHelp and FullHelp are the help of a grid page with no keys of its
// own (history, calls); the others list theirs (help.KeyMap).
func (g *gridPage) ShortHelp() []key.Binding {
	k := g.keys
	return []key.Binding{k.Up, k.Down, k.Back, k.Help, k.Quit}
}

func (g *gridPage) FullHelp() [][]key.Binding {
	k := g.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, k.Tabs, {k.Save, k.Back, k.Help, k.Quit}}
}

// stackGrid joins the parts of a grid page, one under another; either part
// may be empty.
func stackGrid(above, grid, below string) string {
	out := grid
	if above != "" {
		out = above + "\n" + out
	}
	if below != "" {
		out += "\n" + below
	}
	return out
}

// gridRows is the height left for the grid (with its header line) in a
// page of height h, measured with lipgloss.
func gridRows(h int, above, below string) int {
	for _, part := range []string{above, below} {
		if part != "" {
			h -= lipgloss.Height(part)
		}
	}
	return max(2, h)
}

// detailIndent is how much narrower than the page detail text is wrapped,
// so a wrapped line never touches the screen's edge.
const detailIndent = 2

// detailBlock is a blank line, then lines cut to width and padded to
// exactly rows lines: the room a grid page keeps for the selected row.
func detailBlock(lines []string, width, rows int) string {
	return "\n" + padLines(fitLines(lines, width, rows), rows)
}

// revokeQuestion asks before revoking something (a token, a link): y sends
// yes, n or esc keeps it. A stray key answers nothing.
func (g *gridPage) revokeQuestion(title, body string, yes tea.Msg) {
	g.dialog = confirmDialog{st: g.st, title: title, body: body, choices: []choice{
		{withHelp(g.keys.Yes, "revoke"), yes},
		{withHelp(g.keys.No, "keep it"), nil},
	}}
}

// revoked reports how a revocation went and, when it worked, reads the
// page again (reload) to show it.
func (g *gridPage) revoked(err error, done string, reload func() tea.Cmd) tea.Cmd {
	if err != nil {
		g.setStatus(statusError, "Not revoked: "+err.Error())
		return nil
	}
	g.setStatus(statusOK, done)
	return reload()
}

// refused puts the store's refusal of what a form asked for back in the
// form, still open, so the value can be corrected; if the form is gone, it
// goes to the status line.
func (g *gridPage) refused(err error, what string) {
	if f, ok := g.dialog.(refusable); ok {
		g.dialog = f.failed(err)
		return
	}
	g.setStatus(statusError, what+" not created: "+err.Error())
}
