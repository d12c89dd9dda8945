package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// secretDialog shows a new secret — a token, or a share link's URL — the
// only time it can be seen: the database keeps just its hash. The secret
// lives in this dialog alone (never in the status line or a log) and is
// gone when the dialog closes.
type secretDialog struct {
	st *Styles
	km KeyMap
	// title says what was created; secret is drawn on a line of its own,
	// unwrapped by us, so it can be selected and copied whole; warning
	// says why it must be copied now, and how.
	title, secret, warning string
	// url: the secret is a URL, longer than a token, so the dialog takes
	// the screen's width (wideDialog) and the text keeps to the reading
	// width within it.
	url bool
}

func (d secretDialog) wide() bool { return d.url }

func (d secretDialog) Update(msg tea.KeyMsg) (dialog, tea.Cmd) {
	if key.Matches(msg, d.km.Accept) || key.Matches(msg, d.km.Cancel) {
		return nil, msgCmd(closeDialogMsg{})
	}
	return d, nil
}

func (d secretDialog) View(width int) string {
	st := d.st
	if !d.url {
		return st.DialogTitle.Render(d.title) + "\n\n" + "  " + st.Secret.Render(d.secret) + "\n\n" +
			st.Warning.Render(ansiWrap(d.warning, width))
	}
	// A URL too long for the screen is cut at the edge, never at a '-'
	// or '/', and the cut is said, so that what is copied can be joined.
	lines := strings.Split(ansi.Hardwrap(d.secret, width, false), "\n")
	for i, l := range lines {
		lines[i] = st.Secret.Render(l)
	}
	warning := d.warning
	if len(lines) > 1 {
		warning = fmt.Sprintf("The URL is cut over %d lines: join them without spaces when you paste it. ", len(lines)) + warning
	}
	text := min(width, dialogReadingWidth)
	return st.DialogTitle.Render(ansiWrap(d.title, text)) + "\n\n" + strings.Join(lines, "\n") + "\n\n" +
		st.Warning.Render(ansiWrap(warning, text))
}

func (d secretDialog) ShortHelp() []key.Binding {
	return []key.Binding{withHelp(d.km.Accept, "I have copied it")}
}
