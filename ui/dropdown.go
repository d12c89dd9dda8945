package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"flowgate/model"
)

// authDropdown is the Authentication choice, drawn the way Bubble draws it:
// closed it shows the current choice; open it lists the three options, each
// with its help text, so the choice can be made without documentation. It
// only chooses; the panel decides whether it is drawn at all (only while the
// workflow is public) and never clears the value it holds.
type authDropdown struct {
	open   bool
	cursor int // index into model.Auths while open
}

// openAt opens the dropdown on the current choice.
func (d authDropdown) openAt(current model.Auth) authDropdown {
	d.open, d.cursor = true, 0
	for i, a := range model.Auths {
		if a == current {
			d.cursor = i
		}
	}
	return d
}

// Update handles a key while open: ↑/↓ move, enter chooses (chosen is true
// and a is the choice), esc closes unchanged.
func (d authDropdown) Update(msg tea.KeyMsg, km *KeyMap) (_ authDropdown, a model.Auth, chosen bool) {
	switch {
	case key.Matches(msg, km.Up):
		d.cursor = max(0, d.cursor-1)
	case key.Matches(msg, km.Down):
		d.cursor = min(len(model.Auths)-1, d.cursor+1)
	case key.Matches(msg, km.Choose):
		d.open = false
		return d, model.Auths[d.cursor], true
	case key.Matches(msg, km.CloseMenu):
		d.open = false
	}
	return d, "", false
}

// closedView is the one-line closed dropdown.
func (d authDropdown) closedView(current model.Auth, st *Styles) string {
	return st.Value.Render("[" + current.Label() + " ▾]")
}

// openLines draws the open dropdown: "(•)" marks the current choice, "›"
// the highlighted one, and each option's help is wrapped beneath it.
func (d authDropdown) openLines(current model.Auth, width int, st *Styles) []string {
	var out []string
	for i, a := range model.Auths {
		cursor, style := "  ", st.Option
		if i == d.cursor {
			cursor, style = "› ", st.FocusOption
		}
		radio := "( ) "
		if a == current {
			radio = "(•) "
		}
		out = append(out, cursor+style.Render(radio+a.Label()))
		for _, l := range strings.Split(ansi.Wrap(a.Help(), max(10, width-6), ""), "\n") {
			out = append(out, "      "+st.OptionHelp.Render(l))
		}
	}
	return out
}
