package ui

import (
	"context"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"flowgate/store"
)

// callsPage is the call record the runtime checker keeps, as `flowgate
// calls` prints it: per-minute counts, newest first — which token or share
// link called which workflow, how often, with what result, through which
// entry point. `/` narrows the rows as a filter is typed; enter opens the
// row's workflow on the Workflows page. Rows, filter and detail are drawn
// by calls_rows.go.
type callsPage struct {
	gridPage
	// calls are the counts read; shown are those the filter keeps, one per
	// grid row.
	calls, shown []store.Call
	tokenNames   map[string]string
	// filter holds the query; typing: it has the keys (capturing).
	filter textinput.Model
	typing bool
	// polls counts clock ticks while on screen: calls do not move the
	// store's generation, so the record is read again every few ticks.
	polls int
}

func newCallsPage(c *common) page {
	status := func(v string) (lipgloss.Style, bool) {
		status, _, _ := strings.Cut(v, " ") // the status, then the code
		if n, err := strconv.Atoi(status); err == nil && n < 400 {
			return c.st.Allow, true
		}
		return c.st.Deny, true
	}
	p := &callsPage{gridPage: gridPage{common: c, grid: newGrid(c.st, "No calls counted yet: `flowgate serve` counts every call it decides.",
		column{title: "MINUTE", width: len(minuteLayout)},
		column{title: "WORKFLOW"},
		column{title: "TOKEN"},
		column{title: "STATUS/CODE", width: 22, style: status},
		column{title: "COUNT", width: 7},
		column{title: "VIA", width: 10},
		column{title: "LAST REMOTE", width: 15, optional: true},
	)}, filter: newCallsFilter(c.st)}
	p.parts = p.titleAndDetail
	return p
}

// newCallsFilter is the filter's text input.
func newCallsFilter(st *Styles) textinput.Model {
	ti := textinput.New()
	ti.Prompt = "filter: "
	ti.PromptStyle = st.FocusLabel
	ti.CharLimit = 100
	staticCursor(&ti)
	return ti
}

// callsLoadedMsg answers callsCmd: the counts, and the names of the tokens
// they mention.
type callsLoadedMsg struct {
	seq        int
	calls      []store.Call
	tokenNames map[string]string
	err        error
}

func (callsLoadedMsg) owner() pageID { return pageCalls }

// callLimit bounds the page: the most recent counts are what a person
// reads here (and filters); `flowgate calls` has them all.
const callLimit = 500

// callsRefreshPolls is how many clock ticks pass between two reads of the
// record while it is on screen: about once a second.
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
			p.calls, p.tokenNames = msg.calls, msg.tokenNames
			p.refilter()
		}
	case tea.KeyMsg:
		return p, p.handleKey(msg)
	}
	return p, nil
}

// handleKey: while the filter is typed it gets every key but enter (keep
// the filter) and esc (drop it); otherwise `/` starts typing, esc drops a
// filter before it goes back, enter opens the workflow.
func (p *callsPage) handleKey(k tea.KeyMsg) tea.Cmd {
	if p.typing {
		switch {
		case key.Matches(k, p.keys.AcceptText):
			p.typing = false
			p.filter.Blur()
		case key.Matches(k, p.keys.ClearFilter):
			p.clearFilter()
		default:
			var cmd tea.Cmd
			before := p.filter.Value()
			p.filter, cmd = p.filter.Update(k)
			if p.filter.Value() != before {
				p.refilter()
			}
			return cmd
		}
		return nil
	}
	switch {
	case key.Matches(k, p.keys.Filter):
		p.typing = true
		return p.filter.Focus()
	case key.Matches(k, p.keys.ClearFilter) && p.filter.Value() != "":
		p.clearFilter()
	case key.Matches(k, p.keys.Jump):
		p.jump()
	default:
		p.handleGridKey(k)
	}
	return nil
}

// clearFilter drops the query and shows every row again.
func (p *callsPage) clearFilter() {
	p.typing = false
	p.filter.Blur()
	p.filter.SetValue("")
	p.refilter()
}

// jump opens the selected row's workflow on the Workflows page, as the
// Review page's enter does. A file prefix or "-" (a name that is no
// workflow) has none; nor has a workflow deleted since.
func (p *callsPage) jump() {
	c, ok := p.selectedCall()
	if !ok {
		return
	}
	if c.Workflow == "-" || c.Workflow == "" || strings.HasPrefix(c.Workflow, "/") {
		p.setStatus(statusInfo, "No workflow to open: "+whatWasCalled(c.Workflow)+".")
		return
	}
	id, found := p.ws.byName(c.Workflow)
	if !found {
		p.setStatus(statusInfo, "No workflow to open: "+plainText(c.Workflow)+" is no workflow now.")
		return
	}
	p.workflow = id
	p.show(pageWorkflows)
}

// whatWasCalled says what a row without a workflow counts.
func whatWasCalled(workflow string) string {
	if strings.HasPrefix(workflow, "/") {
		return "these are calls for private files under " + plainText(workflow)
	}
	return "these calls named no workflow that exists"
}

// load asks for the record.
func (p *callsPage) load() tea.Cmd {
	p.seq++
	return callsCmd(p.ctx, p.store, p.seq)
}

// selectedCall is the count under the cursor.
func (p *callsPage) selectedCall() (store.Call, bool) {
	i := p.grid.selected()
	if i < 0 || i >= len(p.shown) {
		return store.Call{}, false
	}
	return p.shown[i], true
}

// capturing: the filter is being typed (page).
func (p *callsPage) capturing() bool { return p.typing }

func (p *callsPage) syncKeys() {
	k := &p.keys
	if p.typing {
		k.AcceptText.SetEnabled(true)
		k.ClearFilter.SetEnabled(true)
		return
	}
	p.enableGridKeys()
	_, selected := p.selectedCall()
	k.Jump.SetEnabled(selected)
	k.Filter.SetEnabled(len(p.calls) > 0)
	filtered := p.filter.Value() != ""
	k.ClearFilter.SetEnabled(filtered)
	k.Back.SetEnabled(!filtered) // esc drops the filter first
}

func (p *callsPage) ShortHelp() []key.Binding {
	k := p.keys
	return []key.Binding{withHelp(k.AcceptText, "keep filter"), k.ClearFilter, k.Filter, k.Jump, k.Back, k.Help, k.Quit}
}

func (p *callsPage) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{withHelp(k.AcceptText, "keep filter"), k.ClearFilter, k.Filter, k.Jump}, k.Tabs, {k.Save, k.Back, k.Help, k.Quit}}
}
