package ui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"flowgate/model"
)

// conflictItem is one workflow a save found changed elsewhere: the user's
// draft of workflow id, and the database's version (nil: deleted).
type conflictItem struct {
	id     int64
	mine   model.Workflow
	theirs *model.Workflow
}

// overwriteMsg: save the user's drafts of items over the database's
// versions, recreating those that were deleted.
type overwriteMsg struct{ items []conflictItem }

// takeTheirsMsg: drop the user's drafts of items and take the database's
// versions (removing those that were deleted).
type takeTheirsMsg struct{ items []conflictItem }

func (overwriteMsg) owner() pageID  { return pageWorkflows }
func (takeTheirsMsg) owner() pageID { return pageWorkflows }

// conflictDialog shows both versions of a workflow that someone else saved
// while the user was editing it, side by side with the differences marked,
// and lets the user keep theirs or the database's. Escape keeps both as
// they are (the draft stays unsaved), so nothing is ever dropped silently.
type conflictDialog struct {
	st   *Styles
	km   KeyMap
	item conflictItem
}

func (d conflictDialog) Update(msg tea.KeyMsg) (dialog, tea.Cmd) {
	return conflictKeys(d, d.km, msg, []conflictItem{d.item})
}

// conflictKeys answers a conflict dialog's keys for items: o keeps the
// user's versions, r the database's, esc neither.
func conflictKeys(d dialog, km KeyMap, msg tea.KeyMsg, items []conflictItem) (dialog, tea.Cmd) {
	switch {
	case key.Matches(msg, km.Overwrite):
		return nil, msgCmd(overwriteMsg{items: items})
	case key.Matches(msg, km.TakeTheirs):
		return nil, msgCmd(takeTheirsMsg{items: items})
	case key.Matches(msg, km.Cancel):
		return nil, msgCmd(closeDialogMsg{})
	}
	return d, nil
}

// conflictRows are the settings compared, as a person reads them.
func conflictRows(w model.Workflow) []string {
	auth := w.Auth.Label()
	if !w.Public {
		auth += " (no effect)"
	}
	return []string{w.Name, yesNo(w.Public), auth, yesNo(w.IgnorePrivacyRules), string(w.Method), w.Description}
}

var conflictLabels = []string{"Name", "Public", "Authentication", "Ignore privacy", "Method", "Description"}

func (d conflictDialog) View(width int) string {
	st, mineW, theirsW := d.st, d.item.mine, d.item.theirs
	var b strings.Builder
	if theirsW == nil {
		b.WriteString(st.DialogTitle.Render("Conflict: " + mineW.Name + " was deleted by someone else"))
	} else {
		b.WriteString(st.DialogTitle.Render(fmt.Sprintf("Conflict: %s was changed by someone else (now version %d)", mineW.Name, theirsW.Version)))
	}
	b.WriteString("\n\nNothing was written. Keep one of the two versions:\n\n")
	col := max(8, (width-17-2)/2)
	cell := func(s string) string {
		s = ansi.Truncate(s, col, "…")
		return s + strings.Repeat(" ", max(0, col-ansi.StringWidth(s)))
	}
	fmt.Fprintf(&b, "%-17s%s  %s\n", "", st.Heading.Render(cell("yours (unsaved)")), st.Heading.Render(cell("theirs (in the database)")))
	mine := conflictRows(mineW)
	var theirs []string
	if theirsW != nil {
		theirs = conflictRows(*theirsW)
	}
	for i, label := range conflictLabels {
		t := "(deleted)"
		if theirs != nil {
			t = theirs[i]
		}
		mark := "  "
		left, right := cell(mine[i]), cell(t)
		if theirs == nil || mine[i] != t {
			mark = st.Changed.Render("≠ ")
			left, right = st.Changed.Render(left), st.Changed.Render(right)
		}
		fmt.Fprintf(&b, "%s%-15s%s  %s\n", mark, label, left, right)
	}
	b.WriteString("\n")
	b.WriteString(st.Dim.Render("o saves yours over theirs; r drops yours and loads theirs; esc keeps editing."))
	return b.String()
}

func (d conflictDialog) ShortHelp() []key.Binding {
	over := d.km.Overwrite
	if d.item.theirs == nil {
		over = withHelp(over, "recreate with yours")
	}
	return []key.Binding{over, d.km.TakeTheirs, withHelp(d.km.Cancel, "keep editing")}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
