package ui

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/charmbracelet/x/ansi"

	"flowgate/store"
)

// The Calls page's rows: what each count shows, what the filter matches,
// and the title and detail around the grid. Every text that came from a
// caller (a workflow name recorded before names were checked, an address)
// passes through plainText before it reaches the terminal.

// minuteLayout is how the page prints the minute a count covers: local,
// as the other pages print times.
const minuteLayout = "2006-01-02 15:04"

// callsDetailRows is the room under the grid for the selected count.
const callsDetailRows = 2

// refilter shows the counts the filter keeps, newest first as read, and
// keeps the cursor on the count it was on when that is still shown: a poll
// that adds a newer minute must not move enter to another workflow.
func (p *callsPage) refilter() {
	before, had := p.selectedCall()
	query := strings.ToLower(strings.TrimSpace(p.filter.Value()))
	p.shown = p.shown[:0]
	for _, c := range p.calls {
		if query == "" || strings.Contains(p.matchText(c), query) {
			p.shown = append(p.shown, c)
		}
	}
	rows := make([][]string, len(p.shown))
	for i, c := range p.shown {
		rows[i] = []string{c.At.Local().Format(minuteLayout), plainText(orDash(c.Workflow)), p.callerCell(c),
			statusCell(c), strconv.FormatInt(c.Count, 10), plainText(orDash(c.Via)), plainText(orDash(c.RemoteAddr))}
	}
	p.grid.setRows(rows)
	if !had {
		return
	}
	for i, c := range p.shown {
		if sameCount(c, before) {
			p.grid.cursor = i
			p.grid.scroll()
			return
		}
	}
}

// sameCount reports whether a and b count the same key in the same minute.
func sameCount(a, b store.Call) bool {
	return a.At.Equal(b.At) && a.Workflow == b.Workflow && a.TokenID == b.TokenID && a.LinkID == b.LinkID &&
		a.Status == b.Status && a.Code == b.Code && a.Via == b.Via
}

// matchText is what the filter looks in, lower-cased: the workflow, the
// token's id and name, the link, the status and the code.
func (p *callsPage) matchText(c store.Call) string {
	return strings.ToLower(strings.Join([]string{c.Workflow, c.TokenID, p.tokenNames[c.TokenID], c.LinkID,
		strconv.Itoa(c.Status), c.Code}, "\x00"))
}

// callerCell is who called: the token's name beside its id, the share
// link's id, or anonymous for neither.
func (p *callsPage) callerCell(c store.Call) string {
	switch {
	case c.LinkID != "":
		return plainText(c.LinkID)
	case c.TokenID == "":
		return "anonymous"
	}
	if name := p.tokenNames[c.TokenID]; name != "" {
		return plainText(name + " (" + c.TokenID + ")")
	}
	return plainText(c.TokenID)
}

// statusCell is the status, then the code when there is one.
func statusCell(c store.Call) string {
	if c.Code == "" {
		return strconv.Itoa(c.Status)
	}
	return strconv.Itoa(c.Status) + " " + plainText(c.Code)
}

// orDash is s, or "-" when it is empty.
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// plainText makes recorded text safe to draw: a control or formatting
// character (an escape sequence, a bidi override) or a byte that is not
// UTF-8 becomes U+FFFD, so no recorded value can rewrite the screen.
func plainText(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
}

// titleAndDetail are the title (with the filter, while there is one)
// above the grid and the selected count in full below it. Both keep their
// height whatever is shown, so the grid's size holds.
func (p *callsPage) titleAndDetail() (above, below string) {
	title := p.st.Heading.Render("Calls per minute, newest first")
	if p.typing || p.filter.Value() != "" {
		title += "   " + p.filter.View() + p.st.Dim.Render(fmt.Sprintf("   %d of %d", len(p.shown), len(p.calls)))
	}
	var detail []string
	if c, ok := p.selectedCall(); ok {
		detail = []string{
			p.st.Heading.Render(calledDetail(c.Workflow)) + " · " + p.callerDetail(c) + " · " + statusCell(c) +
				" · via " + plainText(orDash(c.Via)),
			p.st.Dim.Render(fmt.Sprintf("%s between %s and %s, the last from %s", plural(int(c.Count), "call"),
				c.FirstAt.Local().Format(timeLayout), c.LastAt.Local().Format("15:04:05"), plainText(orDash(c.RemoteAddr)))),
		}
	}
	return ansi.Truncate(title, p.width, "…") + "\n", detailBlock(detail, p.width, callsDetailRows)
}

// calledDetail names what was called in words.
func calledDetail(workflow string) string {
	switch {
	case workflow == "-" || workflow == "":
		return "a name that is no workflow"
	case strings.HasPrefix(workflow, "/"):
		return "files under " + plainText(workflow)
	}
	return plainText(workflow)
}

// callerDetail names the caller in words.
func (p *callsPage) callerDetail(c store.Call) string {
	switch {
	case c.LinkID != "":
		return "share link " + plainText(c.LinkID)
	case c.TokenID == "":
		return "no token"
	}
	return "token " + p.callerCell(c)
}
