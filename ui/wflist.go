package ui

import (
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"flowgate/model"
)

// row is the list's view of one workspace entry, built from it by the
// list. Rows are pointers updated in place, so an edit costs nothing
// however long the list is. The name is never changed in place: the list
// filters in a background command that reads it, so a new name gets a new
// row (see workflowList.refresh).
type row struct {
	id       int64
	name     string
	exposure model.Exposure
	method   model.Method
	unsaved  bool
	stale    bool
	migrated bool
	marked   bool
}

// FilterValue is what `/` matches against: the name.
func (r *row) FilterValue() string { return r.name }

// newRow builds the row of entry e.
func newRow(e *entry) *row {
	r := &row{id: e.stored.ID, name: e.effective().Name}
	r.fill(e)
	return r
}

// fill copies the entry's state into its row (all but the name).
func (r *row) fill(e *entry) {
	w := e.effective()
	r.exposure, r.method = model.ExposureOf(w), w.Method
	r.unsaved, r.stale = e.draft != nil, e.stale
	r.migrated, r.marked = w.AuthMigrated, e.marked
}

// rowMarks renders the three mark columns at the end of a row: unsaved
// edits, a change made elsewhere while editing, and an auth value migrated
// from the legacy checkbox that no person has confirmed yet. It is the one
// place a row's marks are decided.
func rowMarks(r *row, st *Styles) string {
	first, second, third := " ", " ", " "
	if r.unsaved {
		first = st.UnsavedMark
	}
	if r.stale {
		second = st.StaleMark
	}
	if r.migrated {
		third = st.MigratedMark
	}
	return first + second + third
}

// rowDelegate draws one list row: cursor, name (after a ✓ when marked for
// a bulk edit), exposure badge, method, marks. Only visible rows are drawn, and every style is pre-built, so the
// cost of a frame does not grow with the number of workflows.
type rowDelegate struct{ st *Styles }

func (d rowDelegate) Height() int                         { return 1 }
func (d rowDelegate) Spacing() int                        { return 0 }
func (d rowDelegate) Update(tea.Msg, *list.Model) tea.Cmd { return nil }

// rowTail is the width after the name: " " badge " " method(4) " " marks(3).
const rowTail = 1 + badgeWidth + 1 + 4 + 1 + 3

func (d rowDelegate) Render(w io.Writer, m list.Model, index int, item list.Item) {
	r, ok := item.(*row)
	if !ok {
		return
	}
	nameWidth := max(1, m.Width()-2-rowTail)
	mark := ""
	if r.marked {
		mark = d.st.MarkedMark + " "
		nameWidth = max(1, nameWidth-2)
	}
	name := r.name // names are ASCII: bytes are columns
	if len(name) > nameWidth {
		name = name[:max(0, nameWidth-1)] + "…"
	}
	pad := strings.Repeat(" ", max(0, nameWidth-lipgloss.Width(name)))
	cursor, nameStyle := "  ", d.st.Name
	if index == m.Index() {
		cursor, nameStyle = "› ", d.st.SelectedName
	}
	method := fmt.Sprintf("%-4s", r.method)
	fmt.Fprint(w, cursor, mark, nameStyle.Render(name), pad, " ", d.st.Badges[r.exposure], " ",
		d.st.Method.Render(method), " ", rowMarks(r, d.st))
}

// workflowList is the left pane: a bubbles list of rows with its own quit
// keys switched off (the root decides about quitting) and paging keys that
// do not collide with the editor's letters.
type workflowList struct {
	list  list.Model
	index map[int64]int // id -> position in the unfiltered items
	st    *Styles
	// reselect is the workflow to select again once a pending filter
	// result arrives (rebuilding a filtered list empties it until then).
	reselect int64
	// filterSeq numbers the filter requests; only the answer to the
	// latest is taken (wflist_filter.go).
	filterSeq int
}

func newWorkflowList(st *Styles) workflowList {
	l := list.New(nil, rowDelegate{st: st}, 0, 0)
	l.DisableQuitKeybindings()
	l.SetShowHelp(false)
	l.SetShowStatusBar(false)
	l.SetShowPagination(false)
	l.SetStatusBarItemName("workflow", "workflows")
	l.KeyMap.NextPage = key.NewBinding(key.WithKeys("pgdown", "right"), key.WithHelp("pgdn", "next page"))
	l.KeyMap.PrevPage = key.NewBinding(key.WithKeys("pgup", "left"), key.WithHelp("pgup", "prev page"))
	l.KeyMap.GoToStart = key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first"))
	l.KeyMap.GoToEnd = key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last"))
	l.KeyMap.ShowFullHelp.SetEnabled(false)
	l.KeyMap.CloseFullHelp.SetEnabled(false)
	l.Styles.TitleBar = lipgloss.NewStyle()
	l.Styles.Title = st.PaneTitle
	l.Styles.NoItems = st.Dim
	l.Styles.FilterPrompt = st.FocusLabel
	l.Styles.FilterCursor = lipgloss.NewStyle()
	l.FilterInput.PromptStyle = st.FocusLabel
	l.FilterInput.Cursor.Style = lipgloss.NewStyle()
	staticCursor(&l.FilterInput)
	l.Title = "Workflows"
	return workflowList{list: l, index: map[int64]int{}, st: st}
}

// rebuild replaces every row from the workspace, keeping the selection on
// the same workflow when it still exists.
func (l *workflowList) rebuild(ws *workspace) tea.Cmd {
	keep := l.selectedID()
	items := make([]list.Item, len(ws.order))
	clear(l.index)
	for i, id := range ws.order {
		e := ws.entries[id]
		items[i] = newRow(e)
		l.index[id] = i
	}
	cmd := l.list.SetItems(items)
	cmd = l.track(cmd, cmd != nil) // SetItems asks for a filter only when one is on
	if keep != 0 {
		cmd = tea.Batch(cmd, l.selectID(keep))
	}
	return cmd
}

// refresh brings one entry's row up to date; a changed name needs a new
// row (see row).
func (l *workflowList) refresh(e *entry) tea.Cmd {
	i, ok := l.index[e.stored.ID]
	if !ok {
		return nil
	}
	if r := l.list.Items()[i].(*row); r.name == e.effective().Name {
		r.fill(e)
		return nil
	}
	keep := l.selectedID()
	cmd := l.list.SetItem(i, newRow(e))
	cmd = l.track(cmd, cmd != nil)
	if l.list.FilterState() != list.Unfiltered {
		l.reselect = keep
	}
	return cmd
}

// refreshAll brings every row up to date after a load that kept the order.
func (l *workflowList) refreshAll(ws *workspace) tea.Cmd {
	var cmds []tea.Cmd
	for _, id := range ws.order {
		if cmd := l.refresh(ws.entries[id]); cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	return tea.Batch(cmds...)
}

// selectID moves the cursor to workflow id, clearing a filter that hides
// it. With a filter applied the visible rows may still be on their way
// (a background command), so the choice is remembered and applied again
// when they arrive.
func (l *workflowList) selectID(id int64) tea.Cmd {
	gi, ok := l.index[id]
	if !ok {
		return nil
	}
	if l.list.FilterState() == list.Unfiltered {
		l.list.Select(gi)
		return nil
	}
	for i, it := range l.list.VisibleItems() {
		if it.(*row).id == id {
			l.list.Select(i)
			l.reselect = 0
			return nil
		}
	}
	l.reselect = id
	return nil
}

// showID selects id, clearing the filter if it hides the workflow.
func (l *workflowList) showID(id int64) {
	gi, ok := l.index[id]
	if !ok {
		return
	}
	if l.list.FilterState() != list.Unfiltered {
		for i, it := range l.list.VisibleItems() {
			if it.(*row).id == id {
				l.list.Select(i)
				return
			}
		}
		l.list.ResetFilter()
	}
	l.list.Select(gi)
}

func (l workflowList) selectedID() int64 {
	if r, ok := l.list.SelectedItem().(*row); ok {
		return r.id
	}
	return 0
}

// filtering reports whether the user is typing a filter, when every key
// belongs to the filter input.
func (l workflowList) filtering() bool { return l.list.FilterState() == list.Filtering }

func (l *workflowList) setSize(w, h int) { l.list.SetSize(w, h) }

// Update forwards a key (or a text cursor's message) to the list. A
// changed query starts a filter request, whose answer is taken by
// filterResult.
func (l workflowList) Update(msg tea.Msg) (workflowList, tea.Cmd) {
	query := l.list.FilterValue()
	var cmd tea.Cmd
	l.list, cmd = l.list.Update(msg)
	cmd = l.track(cmd, l.list.FilterValue() != query)
	l.syncTitle()
	return l, cmd
}

// syncTitle shows the position, and the filter when one is applied.
func (l *workflowList) syncTitle() {
	n := len(l.list.Items())
	if n == 0 {
		l.list.Title = "Workflows"
		return
	}
	title := fmt.Sprintf("Workflows %d/%d", l.list.Index()+1, n)
	if l.list.FilterState() == list.FilterApplied {
		title = fmt.Sprintf("%d/%d matching %q", l.list.Index()+1, len(l.list.VisibleItems()), l.list.FilterValue())
	}
	l.list.Title = title
}

func (l workflowList) View() string { return l.list.View() }
