package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// column is one column of a grid. A zero width shares what the fixed
// columns leave; an optional column is dropped when the screen is too
// narrow for it; style, when set, colours a cell by its value.
type column struct {
	title    string
	width    int
	optional bool
	style    func(value string) (lipgloss.Style, bool)
}

// minFlex is the least a flexible column gets before optional columns go.
const minFlex = 16

// grid is the scrolling table of the review, history, tokens and calls
// views. Rows are plain strings; only the rows on screen are formatted, so
// ten thousand findings cost what ten do.
type grid struct {
	st             *Styles
	cols           []column
	widths         []int
	rows           [][]string
	cursor, offset int
	width, height  int // height includes the header line
	empty          string
}

func newGrid(st *Styles, empty string, cols ...column) grid {
	return grid{st: st, cols: cols, widths: make([]int, len(cols)), empty: empty}
}

// setSize shares the width: fixed columns first, the rest to flexible
// ones; optional columns (from the right) give way when that leaves a
// flexible column too narrow. A dropped column has width 0.
func (g *grid) setSize(w, h int) {
	g.width, g.height = w, h
	drop := map[int]bool{}
	for {
		fixed, flex := 2, 0 // the cursor column
		for i, c := range g.cols {
			if drop[i] {
				continue
			}
			fixed += c.width + 1
			if c.width == 0 {
				flex++
			}
		}
		share := 0
		if flex > 0 {
			share = (w - fixed) / flex
		}
		last := -1
		for i, c := range g.cols {
			if c.optional && !drop[i] {
				last = i
			}
		}
		if flex > 0 && share < minFlex && last >= 0 {
			drop[last] = true
			continue
		}
		for i, c := range g.cols {
			switch {
			case drop[i]:
				g.widths[i] = 0
			case c.width == 0:
				g.widths[i] = max(4, share)
			default:
				g.widths[i] = c.width
			}
		}
		break
	}
	g.scroll()
}

// setRows replaces the rows, keeping the cursor in range.
func (g *grid) setRows(rows [][]string) {
	g.rows = rows
	g.cursor = min(g.cursor, max(0, len(rows)-1))
	g.scroll()
}

// visibleRows is how many rows fit under the header.
func (g grid) visibleRows() int { return max(1, g.height-1) }

func (g *grid) move(n int) {
	g.cursor = max(0, min(len(g.rows)-1, g.cursor+n))
	g.scroll()
}

// scroll keeps the cursor on screen.
func (g *grid) scroll() {
	h := g.visibleRows()
	if g.cursor < g.offset {
		g.offset = g.cursor
	}
	if g.cursor >= g.offset+h {
		g.offset = g.cursor - h + 1
	}
	g.offset = max(0, min(g.offset, len(g.rows)-h))
}

// Update moves the cursor.
func (g grid) Update(msg tea.KeyMsg, km *KeyMap) grid {
	switch {
	case key.Matches(msg, km.Up):
		g.move(-1)
	case key.Matches(msg, km.Down):
		g.move(1)
	case key.Matches(msg, km.PageUp):
		g.move(-g.visibleRows())
	case key.Matches(msg, km.PageDown):
		g.move(g.visibleRows())
	case key.Matches(msg, km.Top):
		g.move(-len(g.rows))
	case key.Matches(msg, km.Bottom):
		g.move(len(g.rows))
	}
	return g
}

// selected is the cursor's row index, or -1 when there are no rows.
func (g grid) selected() int {
	if len(g.rows) == 0 {
		return -1
	}
	return g.cursor
}

func (g grid) View() string {
	var b strings.Builder
	b.WriteString("  ")
	for i, c := range g.cols {
		if g.widths[i] == 0 {
			continue
		}
		b.WriteString(g.st.TableHeader.Render(fit(c.title, g.widths[i])))
		b.WriteString(" ")
	}
	if len(g.rows) == 0 {
		b.WriteString("\n  " + g.st.Dim.Render(g.empty))
		return b.String()
	}
	end := min(len(g.rows), g.offset+g.visibleRows())
	for r := g.offset; r < end; r++ {
		b.WriteString("\n")
		selected := r == g.cursor
		if selected {
			b.WriteString("› ")
		} else {
			b.WriteString("  ")
		}
		for i, v := range g.rows[r] {
			if i >= len(g.cols) {
				break
			}
			if g.widths[i] == 0 {
				continue
			}
			cell := fit(v, g.widths[i])
			switch style, ok := g.cellStyle(i, v); {
			case selected:
				cell = g.st.SelectedRow.Render(cell)
			case ok:
				cell = style.Render(cell)
			}
			b.WriteString(cell)
			b.WriteString(" ")
		}
	}
	return b.String()
}

func (g grid) cellStyle(col int, v string) (lipgloss.Style, bool) {
	if g.cols[col].style == nil {
		return lipgloss.Style{}, false
	}
	return g.cols[col].style(v)
}

// fit truncates or pads s to exactly width columns.
func fit(s string, width int) string {
	if width <= 0 {
		return ""
	}
	if w := ansi.StringWidth(s); w > width {
		return ansi.Truncate(s, width, "…")
	} else if w < width {
		return s + strings.Repeat(" ", width-w)
	}
	return s
}

// A grid page stacks what is drawn above its grid, the grid, and what is
// drawn below (either may be empty). The page builds both parts in one
// place; View draws them with stackGrid and SetSize measures them with
// gridRows, so the grid always gets exactly the rows the parts leave.

// stackGrid joins the parts of a grid page, one under another.
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

// enableGridPageKeys switches on the keys every grid page answers to: the
// cursor's, and esc back to the workflows.
func enableGridPageKeys(km *KeyMap) {
	for _, b := range []*key.Binding{&km.Up, &km.Down, &km.PageUp, &km.PageDown, &km.Top, &km.Bottom, &km.Back} {
		b.SetEnabled(true)
	}
}

// gridPageKey handles a key every grid page shares: esc goes back to the
// workflows, the others move the cursor of g.
func (c *common) gridPageKey(g grid, k tea.KeyMsg) grid {
	if key.Matches(k, c.keys.Back) {
		c.show(pageWorkflows)
		return g
	}
	return g.Update(k, &c.keys)
}

// gridPageShortHelp and gridPageFullHelp are the help of a grid page with
// no keys of its own (history, calls).
func gridPageShortHelp(k *KeyMap) []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Back, k.Help, k.Quit}
}

func gridPageFullHelp(k *KeyMap) [][]key.Binding {
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom}, k.Tabs, {k.Save, k.Back, k.Help, k.Quit}}
}
