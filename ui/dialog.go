package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// dialog is a modal question drawn over the body: while one is open it gets
// every key. A dialog answers by returning a command that delivers the
// answer as a message to the root, and closes itself by returning nil.
type dialog interface {
	Update(msg tea.KeyMsg) (dialog, tea.Cmd)
	// View draws the dialog's content for the given inner width.
	View(width int) string
	// ShortHelp lists the dialog's keys for the help line.
	ShortHelp() []key.Binding
}

// wideDialog is a dialog that may ask for the body's whole width, less
// the margins, instead of the usual reading width: one showing a long line
// that is to be copied whole, such as a share link's URL.
type wideDialog interface {
	wide() bool
}

// closeDialogMsg tells the root a dialog was dismissed without an answer
// that needs work (the dialog already closed itself).
type closeDialogMsg struct{}

// choice is one answer of a confirmDialog: its key (with help text) and the
// message it sends.
type choice struct {
	key key.Binding
	msg tea.Msg
}

// confirmDialog asks a yes/no question (delete, revoke, quit with unsaved
// edits). Any key that is not a choice is ignored, so a stray keystroke
// never confirms anything.
type confirmDialog struct {
	st      *Styles
	title   string
	body    string
	choices []choice
}

func (d confirmDialog) Update(msg tea.KeyMsg) (dialog, tea.Cmd) {
	for _, c := range d.choices {
		if key.Matches(msg, c.key) {
			if c.msg == nil {
				return nil, msgCmd(closeDialogMsg{})
			}
			return nil, msgCmd(c.msg)
		}
	}
	return d, nil
}

func (d confirmDialog) View(width int) string {
	return d.st.DialogTitle.Render(d.title) + "\n\n" + ansiWrap(d.body, width)
}

func (d confirmDialog) ShortHelp() []key.Binding {
	out := make([]key.Binding, len(d.choices))
	for i, c := range d.choices {
		out[i] = c.key
	}
	return out
}

// withHelp copies a binding with another description, so dialogs can say
// "y delete" while sharing the KeyMap's keys.
func withHelp(b key.Binding, desc string) key.Binding {
	b.SetHelp(b.Help().Key, desc)
	return b
}

// dialogMargin is the least room left beside a dialog on each side.
const dialogMargin = 1

// dialogReadingWidth is the widest a dialog's text runs, for reading.
const dialogReadingWidth = 72

// dialogWidth is the inner width of a dialog drawn with frame in a body of
// the given width: the reading width, or all there is for a wide one.
func dialogWidth(body int, frame lipgloss.Style, wide bool) int {
	room := body - frame.GetHorizontalFrameSize() - 2*dialogMargin
	if wide {
		return max(20, room)
	}
	return max(20, min(dialogReadingWidth, room))
}

// dialogBox frames a dialog's content with the pre-sized frame style and
// centres it in the body.
func dialogBox(frame lipgloss.Style, d dialog, inner, width, height int) string {
	return lipgloss.Place(width, height, lipgloss.Center, lipgloss.Center, frame.Render(d.View(inner)))
}

// ansiWrap wraps plain text to width, keeping paragraph breaks.
func ansiWrap(text string, width int) string {
	paras := strings.Split(text, "\n")
	for i, p := range paras {
		paras[i] = ansi.Wrap(p, max(10, width), "")
	}
	return strings.Join(paras, "\n")
}
