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

// View draws the screen: header, body, status line, help.
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
		body = dialogBox(m.dialogFrame, m.dialog, m.dialogInner, m.width, m.bodyHeight)
	case !m.loaded:
		body = m.st.Dim.Render("Reading " + m.dbName + "…")
	case m.view == viewWorkflows && len(m.ws.order) == 0:
		body = m.welcomeView()
	case m.view == viewWorkflows:
		l, p := 0, 0
		if m.panelFocused {
			p = 1
		} else {
			l = 1
		}
		body = lipgloss.JoinHorizontal(lipgloss.Top,
			m.listFrame[l].Render(m.list.View()), m.panelFrame[p].Render(m.panel.View()))
	case m.view == viewReview:
		body = m.review.View()
	case m.view == viewHistory:
		body = m.history.View()
	case m.view == viewTokens:
		body = m.tokens.View()
	case m.view == viewCalls:
		body = m.calls.View()
	}
	helpView := m.help.View(m)
	if m.help.ShowAll {
		helpView = padLines(helpView, fullHelpRows)
	}
	return m.headerView() + "\n" + padLines(body, m.bodyHeight) + "\n" + m.statusView() + "\n" + helpView
}

// headerView is the title with the view tabs, then the exposure counts.
func (m Model) headerView() string {
	var b strings.Builder
	b.WriteString(m.st.Title.Render("flowgate"))
	for i, name := range viewNames {
		b.WriteString("  ")
		tab := fmt.Sprintf("%d %s", i+1, name)
		if viewID(i) == m.view {
			b.WriteString(m.st.ActiveTab.Render(tab))
		} else {
			b.WriteString(m.st.Tab.Render(tab))
		}
	}
	top := joinLR(b.String(), m.st.Path.Render(m.dbName), m.width)
	counts := model.CountsLine(len(m.ws.order), m.ws.counts)
	return ansi.Truncate(top, m.width, "…") + "\n" + ansi.Truncate(m.st.Counts.Render(counts), m.width, "…")
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

// welcomeView greets an empty database.
func (m Model) welcomeView() string {
	st := m.st
	lines := []string{
		st.Heading.Render("Welcome to flowgate"),
		"",
		"This database has no workflows yet.",
		"",
		"  " + st.FocusLabel.Render("n") + "  create a workflow here and choose who may call it",
		"  " + st.FocusLabel.Render("flowgate import PATH") + "  migrate the workflows of an existing app",
		"",
		st.Dim.Render("A new workflow is scheduled-only: nobody can call it over HTTP until you make it public."),
	}
	// One left-aligned block, centred as a whole.
	width := 0
	for _, l := range lines {
		width = max(width, lipgloss.Width(l))
	}
	width = min(width, m.width-4)
	for i, l := range lines {
		lines[i] = fit(l, width)
	}
	return lipgloss.Place(m.width, m.bodyHeight, lipgloss.Center, lipgloss.Center, strings.Join(lines, "\n"))
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

// syncKeys enables exactly the bindings that do something now, so the help
// line tells the truth. It runs after every message.
func (m *Model) syncKeys() {
	k := &m.keys
	sel := m.selected()
	workflows := m.loaded && m.view == viewWorkflows && m.dialog == nil
	browsing := workflows && !m.list.filtering() && !(m.panelFocused && m.panel.busy())
	inPanel := browsing && m.panelFocused && m.panel.has
	hasDraft := sel != nil && sel.draft != nil
	pages := m.loaded && m.view != viewWorkflows && m.dialog == nil

	k.Up.SetEnabled(browsing && sel != nil || pages || workflows && m.panel.dropdown.open)
	k.Down.SetEnabled(k.Up.Enabled())
	for _, b := range []*key.Binding{&k.PageUp, &k.PageDown, &k.Top, &k.Bottom} {
		b.SetEnabled(pages)
	}
	k.NextField.SetEnabled(browsing && sel != nil)
	k.PrevField.SetEnabled(browsing && sel != nil)
	k.Filter.SetEnabled(browsing && len(m.ws.order) > 0)
	k.New.SetEnabled(browsing)
	k.Rename.SetEnabled(browsing && sel != nil && !sel.gone)
	k.Delete.SetEnabled(browsing && sel != nil)
	k.Discard.SetEnabled(browsing && hasDraft)
	k.ClearFilter.SetEnabled(browsing && !hasDraft && m.list.list.IsFiltered())
	k.Back.SetEnabled(pages || inPanel && !hasDraft)
	k.Save.SetEnabled(m.loaded && m.dialog == nil && (m.panel.editing || m.ws.unsavedCount() > 0))

	k.Toggle.SetEnabled(inPanel && m.panel.field != fieldAuth && m.panel.field != fieldDescription)
	k.Toggle.SetHelp("space", toggleHelp(m.panel))
	// The dropdown, and its key in the help, exist only while public.
	k.OpenDropdown.SetEnabled(inPanel && m.panel.field == fieldAuth && m.panel.w.Public)
	k.Choose.SetEnabled(workflows && m.panel.dropdown.open)
	k.CloseMenu.SetEnabled(workflows && m.panel.dropdown.open)
	k.EditText.SetEnabled(inPanel && m.panel.field == fieldDescription)
	k.AcceptText.SetEnabled(workflows && m.panel.editing)
	k.CancelText.SetEnabled(workflows && m.panel.editing)

	top := m.dialog == nil && m.loaded && !m.list.filtering() && !(m.view == viewWorkflows && m.panelFocused && m.panel.busy())
	for i, b := range []*key.Binding{&k.Workflows, &k.Review, &k.History, &k.Tokens, &k.Calls} {
		b.SetEnabled(top && viewID(i) != m.view)
	}
	k.Jump.SetEnabled(pages && m.view == viewReview && m.review.grid.selected() >= 0)
	k.NewToken.SetEnabled(pages && m.view == viewTokens)
	k.Revoke.SetEnabled(pages && m.view == viewTokens && m.tokens.revocable())
	k.Help.SetEnabled(top || !m.loaded)
	k.Quit.SetEnabled(top || !m.loaded)
	if m.help.ShowAll {
		k.Help.SetHelp("?", "fewer keys")
	} else {
		k.Help.SetHelp("?", "more keys")
	}
}

// ShortHelp is the one-line help for what is on screen (help.KeyMap).
func (m Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.dialog != nil {
		return m.dialog.ShortHelp()
	}
	if m.view == viewWorkflows && m.list.filtering() {
		lk := m.list.list.KeyMap
		return []key.Binding{lk.AcceptWhileFiltering, lk.CancelWhileFiltering}
	}
	switch m.view {
	case viewWorkflows:
		if !m.panelFocused {
			return []key.Binding{k.Up, k.Down, withHelp(k.NextField, "settings"), k.Filter, k.ClearFilter,
				k.New, k.Save, k.Discard, k.Help, k.Quit}
		}
		return []key.Binding{k.Up, k.Down, k.Toggle, k.OpenDropdown, k.Choose, k.CloseMenu, k.EditText,
			k.AcceptText, k.CancelText, k.NextField, k.Save, k.Discard, k.Back, k.Help, k.Quit}
	case viewReview:
		return []key.Binding{k.Up, k.Down, k.Jump, k.Back, k.Help, k.Quit}
	case viewTokens:
		return []key.Binding{k.Up, k.Down, k.NewToken, k.Revoke, k.Back, k.Help, k.Quit}
	}
	return []key.Binding{k.Up, k.Down, k.Back, k.Help, k.Quit}
}

// FullHelp is the help shown with `?`, by column (help.KeyMap).
func (m Model) FullHelp() [][]key.Binding {
	k := m.keys
	if m.dialog != nil || m.view == viewWorkflows && (m.list.filtering() || m.panelFocused && m.panel.busy()) {
		return [][]key.Binding{m.ShortHelp()}
	}
	views := []key.Binding{k.Workflows, k.Review, k.History, k.Tokens, k.Calls}
	general := []key.Binding{k.Save, k.Back, k.Help, k.Quit}
	switch m.view {
	case viewWorkflows:
		return [][]key.Binding{
			{k.Up, k.Down, k.NextField, k.PrevField, k.Filter, k.ClearFilter},
			{k.Toggle, k.OpenDropdown, k.EditText, k.New, k.Rename, k.Delete},
			{k.Save, k.Discard, k.Back, k.Help, k.Quit},
			views,
		}
	case viewReview:
		return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Jump}, views, general}
	case viewTokens:
		return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.NewToken, k.Revoke}, views, general}
	}
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, views, general}
}

// toggleHelp says what space would do to the focused field.
func toggleHelp(p panel) string {
	switch {
	case p.field == fieldPublic && p.w.Public:
		return "make scheduled-only"
	case p.field == fieldPublic:
		return "make public"
	case p.field == fieldPrivacy && p.w.IgnorePrivacyRules:
		return "apply privacy rules"
	case p.field == fieldPrivacy:
		return "ignore privacy rules"
	case p.field == fieldMethod && p.w.Method == model.MethodGET:
		return "switch to POST"
	}
	return "switch to GET"
}
