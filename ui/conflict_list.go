package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// conflictListDialog is the conflict dialog for a save that found several
// workflows changed elsewhere (a bulk edit, usually). Since the save is all
// or nothing, nothing was written; the dialog lists every such workflow
// with what differs between the two versions, and the user keeps theirs or
// the database's for all of them at once. Escape keeps every draft.
type conflictListDialog struct {
	st    *Styles
	km    KeyMap
	items []conflictItem
}

// conflictListMax is how many workflows the dialog names before "and N more".
const conflictListMax = 8

func (d conflictListDialog) Update(msg tea.KeyMsg) (dialog, tea.Cmd) {
	return conflictKeys(d, d.km, msg, d.items)
}

func (d conflictListDialog) View(width int) string {
	st := d.st
	var b strings.Builder
	b.WriteString(st.DialogTitle.Render(fmt.Sprintf("Conflict: %d workflows were changed by someone else", len(d.items))))
	b.WriteString("\n\n" + ansiWrap("Nothing was written: a save is all or nothing. Changed since you began:", width) + "\n\n")
	nameWidth := 0
	for _, it := range d.items {
		nameWidth = min(max(nameWidth, len(it.mine.Name)), width/2)
	}
	for i, it := range d.items {
		if i == conflictListMax {
			fmt.Fprintf(&b, "  and %d more\n", len(d.items)-i)
			break
		}
		line := fmt.Sprintf("  %-*s  %s", nameWidth, ansi.Truncate(it.mine.Name, nameWidth, "…"), st.Changed.Render(conflictSummary(it)))
		b.WriteString(ansi.Truncate(line, width, "…") + "\n")
	}
	b.WriteString("\n")
	b.WriteString(st.Dim.Render(ansiWrap("o saves yours over all of them (recreating deleted ones); "+
		"r drops your edits to these and loads theirs; esc keeps editing.", width)))
	return b.String()
}

// conflictSummary says how their version differs from the draft.
func conflictSummary(it conflictItem) string {
	if it.theirs == nil {
		return "deleted"
	}
	mine, theirs := conflictRows(it.mine), conflictRows(*it.theirs)
	var differ []string
	for i, label := range conflictLabels {
		if mine[i] != theirs[i] {
			differ = append(differ, label)
		}
	}
	if len(differ) == 0 {
		return fmt.Sprintf("now version %d", it.theirs.Version)
	}
	return fmt.Sprintf("now version %d: %s differ", it.theirs.Version, strings.Join(differ, ", "))
}

func (d conflictListDialog) ShortHelp() []key.Binding {
	return []key.Binding{withHelp(d.km.Overwrite, "save yours over all"),
		withHelp(d.km.TakeTheirs, "reload theirs (drop yours)"), withHelp(d.km.Cancel, "keep editing")}
}
