package ui

import (
	"context"
	"net/url"
	"path/filepath"
	"time"

	"github.com/charmbracelet/bubbles/help"
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

// Model is the editor's root. It routes and does nothing else a page could
// do: the global keys and tab switching, sizes, dialogs, the status line,
// keeping the workspace in step with the database, and delivering every
// other message to the page it belongs to.
//
// Model is a value, as Bubble Tea expects, but what it shares with its
// pages (common) and the pages themselves are pointers: a copy of a Model
// is the same editor, not a snapshot of it.
type Model struct {
	*common
	opts  Options
	help  help.Model
	pages []page // by pageID

	width, height int
	bodyHeight    int
	// Pre-sized dialog frames, rebuilt on resize so View builds no style:
	// [0] the reading width, [1] a wide dialog's (see wideDialog).
	dialogFrame [2]lipgloss.Style
	dialogInner [2]int

	loaded bool
	gen    int64
	dbName string
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
	c := &common{ctx: ctx, store: s, st: st, keys: DefaultKeyMap(), now: opts.Now,
		ws: newWorkspace(), loadSeq: 1, loading: true}
	m := Model{common: c, opts: opts, help: h, dbName: storeName(s)}
	for _, p := range pageList {
		m.pages = append(m.pages, p.open(c))
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
		cmd = m.keyBurst(msg)
	case pollMsg:
		cmd = tea.Batch(generationCmd(m.ctx, m.store), m.deliver(m.active, msg))
	case generationMsg:
		cmd = m.generationRead(msg)
	case workflowsLoadedMsg:
		cmd = m.workflowsLoaded(msg)
	case confirmQuitMsg:
		cmd = tea.Quit
		if msg.save {
			cmd = m.route(saveAllMsg{quit: true})
		}
	case closeDialogMsg:
	case pageMsg:
		cmd = m.route(msg)
	default:
		// Anything else (such as a text cursor's message) belongs to
		// whatever is being typed into, on the page on screen.
		cmd = m.deliver(m.active, msg)
	}
	m.expireStatus()
	m.syncKeys()
	return m, cmd
}

// route delivers a page's message to its owner.
func (m *Model) route(msg pageMsg) tea.Cmd { return m.deliver(msg.owner(), msg) }

// deliver hands msg to page id, then shows the page it asked for, if any.
func (m *Model) deliver(id pageID, msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	m.pages[id], cmd = m.pages[id].Update(msg)
	if m.hasNext {
		m.hasNext = false
		cmd = tea.Batch(cmd, m.switchTo(m.next))
	}
	return cmd
}

// switchTo puts page id on screen and tells it so, which is when it reads
// what it shows.
func (m *Model) switchTo(id pageID) tea.Cmd {
	m.active = id
	return m.deliver(id, shownMsg{})
}

// generationRead reloads the workspace when some process changed the
// database, and tells the page on screen.
func (m *Model) generationRead(msg generationMsg) tea.Cmd {
	next := tickCmd(m.opts.PollInterval)
	if msg.err != nil {
		m.setStatus(statusError, msg.err.Error())
		return next
	}
	if m.loading || msg.gen == m.gen && m.loaded {
		return next // nothing new (a failed first read is retried)
	}
	return tea.Batch(next, m.reloadWorkflows(), m.deliver(m.active, storeChangedMsg{}))
}

// workflowsLoaded merges a fresh read into the workspace and tells every
// page, since each shows some of it.
func (m *Model) workflowsLoaded(msg workflowsLoadedMsg) tea.Cmd {
	if msg.seq != m.loadSeq {
		return nil // an answer to an older question
	}
	m.loading = false
	if msg.err != nil {
		m.setStatus(statusError, msg.err.Error())
		return nil
	}
	first := !m.loaded
	m.loaded, m.gen = true, msg.gen
	changed := workspaceLoadedMsg{rebuild: m.ws.load(msg.list) || first}
	cmds := make([]tea.Cmd, len(m.pages))
	for id := range m.pages {
		cmds[id] = m.deliver(pageID(id), changed)
	}
	return tea.Batch(cmds...)
}

// layout shares the screen out after a resize or a help toggle: the header
// and footer take what they measure, the body the rest, and each page and
// the dialog frame get the body's size.
func (m *Model) layout() {
	if m.width == 0 {
		return
	}
	m.help.Width = m.width
	m.bodyHeight = max(3, m.height-lipgloss.Height(m.headerView())-lipgloss.Height(m.footerView()))
	for _, p := range m.pages {
		p.SetSize(m.width, m.bodyHeight)
	}
	for i, wide := range []bool{false, true} {
		m.dialogInner[i] = dialogWidth(m.width, m.st.Dialog, wide)
		m.dialogFrame[i] = m.st.Dialog.Width(m.dialogInner[i] + m.st.Dialog.GetHorizontalPadding())
	}
}

// storeName is the database as the top bar names it: a file's base name,
// or a PostgreSQL database's host and name (never its user or password).
func storeName(s *store.Store) string {
	if s.Backend() != store.BackendPostgres {
		return filepath.Base(s.Path())
	}
	u, err := url.Parse(s.Path())
	if err != nil {
		return "PostgreSQL"
	}
	return u.Host + u.Path
}
