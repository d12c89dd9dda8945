package ui

import (
	"context"
	"strconv"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"flowgate/store"
)

// callsPage is the recent call log the runtime checker writes: which token
// called which workflow and what it got.
type callsPage struct {
	gridPage
	calls []store.Call
	// polls counts clock ticks while on screen: calls do not move the
	// store's generation, so the log is read again every few ticks.
	polls int
}

func newCallsPage(c *common) page {
	status := func(v string) (lipgloss.Style, bool) {
		if v == "200" {
			return c.st.Allow, true
		}
		return c.st.Deny, true
	}
	p := &callsPage{gridPage: gridPage{common: c, grid: newGrid(c.st, "No calls logged yet: `flowgate serve` records them.",
		column{title: "TIME", width: 19},
		column{title: "WORKFLOW"},
		column{title: "TOKEN", width: 14},
		column{title: "STATUS", width: 6, style: status},
		column{title: "CODE", width: 18},
		column{title: "FROM", width: 15, optional: true},
	)}}
	p.parts = p.title
	return p
}

// callsLoadedMsg answers callsCmd: the log, and the names of the tokens it
// mentions.
type callsLoadedMsg struct {
	seq        int
	calls      []store.Call
	tokenNames map[string]string
	err        error
}

func (callsLoadedMsg) owner() pageID { return pageCalls }

// callLimit bounds the call log page: the most recent calls are what a
// person reads here; `flowgate calls` has them all.
const callLimit = 500

// callsRefreshPolls is how many clock ticks pass between two reads of the
// log while it is on screen: about once a second.
const callsRefreshPolls = 4

func callsCmd(ctx context.Context, s *store.Store, seq int) tea.Cmd {
	return func() tea.Msg {
		tokens, err := s.ListTokens(ctx)
		if err != nil {
			return callsLoadedMsg{seq: seq, err: err}
		}
		names := make(map[string]string, len(tokens))
		for _, t := range tokens {
			names[t.ID] = t.Name
		}
		calls, err := s.ListCalls(ctx, store.CallFilter{Limit: callLimit})
		return callsLoadedMsg{seq: seq, calls: calls, tokenNames: names, err: err}
	}
}

func (p *callsPage) Update(msg tea.Msg) (page, tea.Cmd) {
	switch msg := msg.(type) {
	case shownMsg, storeChangedMsg:
		return p, p.load()
	case pollMsg:
		if p.polls++; p.polls%callsRefreshPolls == 0 {
			return p, p.load()
		}
	case callsLoadedMsg:
		if p.answered(msg.seq, msg.err) {
			p.set(msg.calls, msg.tokenNames)
		}
	case tea.KeyMsg:
		p.handleGridKey(msg)
	}
	return p, nil
}

// load asks for the log.
func (p *callsPage) load() tea.Cmd {
	p.seq++
	return callsCmd(p.ctx, p.store, p.seq)
}

// set shows calls, naming tokens where their names are known.
func (p *callsPage) set(calls []store.Call, tokenNames map[string]string) {
	p.calls = calls
	rows := make([][]string, len(calls))
	for i, c := range calls {
		tok := "anonymous"
		if c.TokenID != "" {
			tok = c.TokenID
			if n, ok := tokenNames[c.TokenID]; ok {
				tok = n
			}
		}
		code := c.Code
		if code == "" {
			code = "—"
		}
		wf := c.Workflow
		if wf == "" {
			wf = "—"
		}
		rows[i] = []string{c.At.Local().Format(timeLayout), wf, tok, strconv.Itoa(c.Status), code, c.RemoteAddr}
	}
	p.grid.setRows(rows)
}

// title is drawn above the grid, nothing below it.
func (p *callsPage) title() (above, below string) {
	return p.st.Heading.Render("Recent calls (newest first)") + "\n", ""
}

func (p *callsPage) syncKeys() { p.enableGridKeys() }
