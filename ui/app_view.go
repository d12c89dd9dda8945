package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"flowgate/model"
)

// Smallest usable screen; 80×24 is comfortably above it.
const (
	minWidth  = 60
	minHeight = 12
)

// fullHelpRows is the room full help gets, whatever is enabled, so that
// the layout does not jump as bindings come and go.
const fullHelpRows = 6

// View draws the screen: header, body, footer (status line and help).
func (m Model) View() string {
	if m.width == 0 {
		return ""
	}
	if m.width < minWidth || m.height < minHeight {
		return fmt.Sprintf("flowgate needs a terminal of at least %d×%d (this one is %d×%d).", minWidth, minHeight, m.width, m.height)
	}
	var body string
	switch {
	case m.dialog != nil:
		i := 0
		if w, ok := m.dialog.(wideDialog); ok && w.wide() {
			i = 1
		}
		body = dialogBox(m.dialogFrame[i], m.dialog, m.dialogInner[i], m.width, m.bodyHeight)
	case !m.loaded:
		body = m.st.Dim.Render("Reading " + m.dbName + "…")
	default:
		body = m.pages[m.active].View()
	}
	return m.headerView() + "\n" + padLines(body, m.bodyHeight) + "\n" + m.footerView()
}

// headerView is the title with the page tabs, then the exposure counts
// and, when workflows are marked for a bulk edit, how many.
func (m Model) headerView() string {
	var b strings.Builder
	b.WriteString(m.st.Title.Render("flowgate"))
	for i, p := range pageList {
		b.WriteString("  ")
		tab := fmt.Sprintf("%s %s", p.key, p.title)
		if pageID(i) == m.active {
			b.WriteString(m.st.ActiveTab.Render(tab))
		} else {
			b.WriteString(m.st.Tab.Render(tab))
		}
	}
	top := joinLR(b.String(), m.st.Path.Render(m.dbName), m.width)
	counts := m.st.Counts.Render(model.CountsLine(len(m.ws.order), m.ws.counts))
	if n := m.ws.markCount; n > 0 {
		counts = joinLR(counts, m.st.Marked.Render(fmt.Sprintf("%d marked", n)), m.width)
	}
	return ansi.Truncate(top, m.width, "…") + "\n" + ansi.Truncate(counts, m.width, "…")
}

// footerView is the status line, then the help.
func (m Model) footerView() string {
	helpView := m.help.View(m)
	if m.help.ShowAll {
		helpView = padLines(helpView, fullHelpRows)
	} else {
		// bubbles' help keeps adding keys past its width when the "…"
		// would not fit after the last key that does: cut it here.
		helpView = ansi.Truncate(helpView, m.width, "…")
	}
	return m.statusView() + "\n" + helpView
}

// statusView is the last message on the left and the unsaved count on the
// right.
func (m Model) statusView() string {
	style := m.st.StatusInfo
	switch m.statusIs {
	case statusOK:
		style = m.st.StatusOK
	case statusError:
		style = m.st.StatusError
	}
	right := ""
	if n := m.ws.unsavedCount(); n > 0 {
		right = m.st.Unsaved.Render(fmt.Sprintf("● %d unsaved", n))
	}
	left := ansi.Truncate(style.Render(m.status), max(0, m.width-lipgloss.Width(right)-1), "…")
	return joinLR(left, right, m.width)
}

// padLines makes s exactly n lines tall.
func padLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	for len(lines) < n {
		lines = append(lines, "")
	}
	return strings.Join(lines, "\n")
}

// ShortHelp is the one-line help for what is on screen (help.KeyMap): the
// open dialog's keys, or the page's.
func (m Model) ShortHelp() []key.Binding {
	if m.dialog != nil {
		return m.dialog.ShortHelp()
	}
	return m.pages[m.active].ShortHelp()
}

// FullHelp is the help shown with `?`, by column (help.KeyMap).
func (m Model) FullHelp() [][]key.Binding {
	if m.dialog != nil {
		return [][]key.Binding{m.dialog.ShortHelp()}
	}
	return m.pages[m.active].FullHelp()
}
