package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// What the dialog forms (the token form, the link form) share: their text
// inputs, moving between fields, and drawing a field with a note under it.

// newFormInput is a one-line text input of a dialog form.
func newFormInput(placeholder string, limit int) textinput.Model {
	ti := textinput.New()
	ti.Prompt = ""
	ti.Placeholder = placeholder
	ti.CharLimit = limit
	staticCursor(&ti)
	return ti
}

// stepFocus is the next shown field from focus in direction dir among
// count fields, or focus itself at either end.
func stepFocus(focus, dir, count int, shown func(int) bool) int {
	for i := focus + dir; i >= 0 && i < count; i += dir {
		if shown(i) {
			return i
		}
	}
	return focus
}

// focusInput focuses inputs[at] and blurs the others (at may be none).
func focusInput(inputs []textinput.Model, at int) {
	for i := range inputs {
		if i == at {
			inputs[i].Focus()
		} else {
			inputs[i].Blur()
		}
	}
}

// formLabelWidth is the label column of the dialog forms.
const formLabelWidth = 10

// formRow draws one field of a dialog form: marker, label, value.
func formRow(st *Styles, focused bool, label, value string) string {
	marker, style := "  ", st.Label
	if focused {
		marker, style = "› ", st.FocusLabel
	}
	return fmt.Sprintf("%s%s %s\n", marker, style.Render(fmt.Sprintf("%-*s", formLabelWidth, label)), value)
}

// formNote draws a note under a field, aligned with its value.
func formNote(style lipgloss.Style, text string, width int) string {
	const indent = formLabelWidth + 3
	return strings.Join(wrapIndented(text, indent, width, style), "\n") + "\n"
}

// plural counts things: "1 workflow", "2 workflows".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// refusable is a dialog form the store may refuse: it takes the refusal
// back, open again, so the value can be corrected.
type refusable interface {
	dialog
	failed(err error) dialog
}

// formCore is what every dialog form keeps besides its fields.
type formCore struct {
	st    *Styles
	km    KeyMap
	focus int // the field with the cursor
	// err is the last refusal, the form's own or the store's; busy: the
	// request is on its way, so keys wait for the answer.
	err  error
	busy bool
}

// formStep is what became of a key in key.
type formStep int

const (
	stepField formStep = iota // not a form key: the focused field takes it
	stepDone                  // handled by the form
	stepClose                 // the form closed
)

// key handles the keys every form shares: esc closes it, enter submits
// what submit builds (or shows why it cannot), tab and shift+tab move
// among the count fields that shown allows.
func (c *formCore) key(k tea.KeyMsg, count int, shown func(int) bool, submit func() (tea.Msg, error)) (formStep, tea.Cmd) {
	switch {
	case c.busy:
		return stepDone, nil
	case key.Matches(k, c.km.Cancel):
		return stepClose, msgCmd(closeDialogMsg{})
	case key.Matches(k, c.km.Accept):
		msg, err := submit()
		if c.err = err; err != nil {
			return stepDone, nil
		}
		c.busy = true
		return stepDone, msgCmd(msg)
	case key.Matches(k, c.km.NextInput):
		c.focus = stepFocus(c.focus, 1, count, shown)
		return stepDone, nil
	case key.Matches(k, c.km.PrevInput):
		c.focus = stepFocus(c.focus, -1, count, shown)
		return stepDone, nil
	}
	return stepField, nil
}

// refused takes the store's refusal: shown, and the form open to edits.
func (c *formCore) refused(err error) {
	c.err, c.busy = err, false
}

// footer is the line under a form's fields: busy, the refusal, or hint.
func (c *formCore) footer(hint string, width int) string {
	switch {
	case c.busy:
		return c.st.Dim.Render("Creating…")
	case c.err != nil:
		return c.st.StatusError.Render(ansiWrap(c.err.Error(), width))
	}
	return c.st.Dim.Render(ansiWrap(hint, width))
}
