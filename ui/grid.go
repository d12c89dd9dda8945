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
