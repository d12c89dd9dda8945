package ui

import (
	"context"
	"path/filepath"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"flowgate/store"
)

// Options tune the editor; the zero value is what `flowgate edit` uses.
type Options struct {
	// PollInterval is how often the database is asked whether anything
	// changed (default 250ms). Negative turns polling off, for tests that
	// drive every message themselves.
	PollInterval time.Duration
	// Now is the clock for token expiry (default time.Now).
	Now func() time.Time
}

// defaultPoll keeps outside changes visible within a quarter second for the
// price of one tiny read.
const defaultPoll = 250 * time.Millisecond

// viewID names the editor's views, reached with the number keys.
type viewID int

const (
	viewWorkflows viewID = iota
	viewReview
	viewHistory
	viewTokens
	viewCalls
)

var viewNames = []string{"Workflows", "Review", "History", "Tokens", "Calls"}

// statusKind colours the status line.
type statusKind int

const (
	statusInfo statusKind = iota
	statusOK
	statusError
)

// Model is the editor's root: it owns the workspace, routes each key to the
// one part that has focus, sends sizes down, and turns answers from the
// store into state.
type Model struct {
	ctx   context.Context
	store *store.Store
	opts  Options
	st    *Styles
	keys  KeyMap
	help  help.Model

	width, height int
	bodyHeight    int
	// Pre-sized frames, rebuilt on resize so View builds no style.
	listFrame, panelFrame [2]lipgloss.Style // [unfocused, focused]
	dialogFrame           lipgloss.Style
	dialogInner           int

	ws           workspace
	list         workflowList
	panel        panel
	panelFocused bool
	review       reviewPage
	history      historyPage
	tokens       tokensPage
	calls        callsPage
	dialog       dialog
	view         viewID

	loaded   bool
	gen      int64
	loadSeq  int
	loading  bool
	pageSeq  int
	polls    int
	saving   bool
	dbName   string
	status   string
	statusIs statusKind
}

// New builds the editor on an open store. Nothing is read until the
// program runs Init.
func New(ctx context.Context, s *store.Store, opts Options) Model {
	if opts.PollInterval == 0 {
		opts.PollInterval = defaultPoll
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	st := DefaultStyles()
	h := help.New()
	h.Styles = st.Help
	m := Model{
		ctx: ctx, store: s, opts: opts, st: st, keys: DefaultKeyMap(), help: h,
		ws:      newWorkspace(),
		list:    newWorkflowList(st),
		panel:   newPanel(st),
		review:  newReviewPage(st),
		history: newHistoryPage(st),
		tokens:  newTokensPage(st, opts.Now),
		calls:   newCallsPage(st),
		loadSeq: 1, loading: true,
		dbName: filepath.Base(s.Path()),
	}
	m.syncKeys()
	return m
}

// Init reads the workflows and starts polling.
func (m Model) Init() tea.Cmd {
	return tea.Batch(loadWorkflowsCmd(m.ctx, m.store, m.loadSeq), tickCmd(m.opts.PollInterval))
}

// Update is the event loop's single entry; it never blocks.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !msg.Paste {
			// A burst of typed keys ("jjj" from key repeat) arrives as one
			// message; each is its own keystroke.
			cmds := make([]tea.Cmd, 0, len(msg.Runes))
			for _, r := range msg.Runes {
				var c tea.Cmd
				m, c = m.handleKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: msg.Alt})
				m.syncKeys()
				cmds = append(cmds, c)
			}
			cmd = tea.Batch(cmds...)
			break
		}
		m, cmd = m.handleKey(msg)
	case list.FilterMatchesMsg:
		m.list, cmd = m.list.Update(msg)
		m.syncPanel()
	case closeDialogMsg:
	default:
		m, cmd = m.handleResult(msg)
	}
	m.syncKeys()
	return m, cmd
}

// setStatus puts a message in the status line.
func (m *Model) setStatus(kind statusKind, text string) {
	m.status, m.statusIs = text, kind
}

// selected is the entry under the list cursor, or nil.
func (m Model) selected() *entry {
	return m.ws.entries[m.list.selectedID()]
}

// syncPanel shows the selected workflow in the panel.
func (m *Model) syncPanel() {
	if m.list.reselect != 0 {
		return // the filtered rows are on their way; keep the panel as is
	}
	m.panel.show(m.selected())
	m.list.syncTitle()
}

// applyPanel records the panel's copy of the workflow as a draft when it
// differs from what the workspace holds.
func (m *Model) applyPanel() tea.Cmd {
	if !m.panel.has {
		return nil
	}
	e := m.ws.entries[m.panel.w.ID]
	if e == nil || sameSettings(m.panel.w, e.effective()) {
		return nil
	}
	m.ws.edit(m.panel.w)
	cmd := m.list.refresh(e)
	m.panel.show(e)
	return cmd
}

// reload asks for a fresh list; any answer still on its way to an earlier
// request is dropped when it arrives.
func (m *Model) reload() tea.Cmd {
	m.loadSeq++
	m.loading = true
	return loadWorkflowsCmd(m.ctx, m.store, m.loadSeq)
}

// layout shares the screen out after a resize or a help toggle: header and
// counts on top, the status and help lines at the bottom, the rest to the
// body, then sends each child its size.
func (m *Model) layout() {
	if m.width == 0 {
		return
	}
	m.help.Width = m.width
	m.bodyHeight = max(3, m.height-headerHeight-1-m.helpHeight())
	listW := max(34, min(56, m.width*9/20))
	panelW := max(20, m.width-listW)
	innerH := max(1, m.bodyHeight-2)
	for i, base := range []lipgloss.Style{m.st.Pane, m.st.FocusedPane} {
		m.listFrame[i] = base.Width(listW - 2).Height(innerH)
		m.panelFrame[i] = base.Width(panelW-2).Height(innerH).Padding(0, 1)
	}
	m.list.setSize(listW-2, innerH)
	m.panel.setSize(panelW-4, innerH)
	m.review.setSize(m.width, m.bodyHeight)
	m.history.setSize(m.width, m.bodyHeight)
	m.tokens.setSize(m.width, m.bodyHeight)
	m.calls.setSize(m.width, m.bodyHeight)
	m.dialogInner = dialogWidth(m.width)
	m.dialogFrame = m.st.Dialog.Width(m.dialogInner + 2)
}

// headerHeight is the title bar and the counts line.
const headerHeight = 2

// fullHelpRows is the room full help gets, whatever is enabled, so that
// the layout does not jump as bindings come and go.
const fullHelpRows = 6

func (m Model) helpHeight() int {
	if m.help.ShowAll {
		return fullHelpRows
	}
	return 1
}
