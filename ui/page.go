package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
)

// page is one tab of the editor, after soft-serve's common.Component: a
// tea.Model that draws itself at the size it is given and lists its keys
// for the help line. A page owns its keys, the data it loads (its
// commands and their …Msg answers), its dialogs and its view; the root
// only routes to it. Pages are pointers: the root keeps one of each.
type page interface {
	help.KeyMap
	// Update handles a message meant for this page: a key while it is on
	// screen, the answer to one of its commands or dialogs (a pageMsg), or
	// a notice from the root (shownMsg, storeChangedMsg,
	// workspaceLoadedMsg, pollMsg).
	Update(msg tea.Msg) (page, tea.Cmd)
	// View draws the page's body at its size.
	View() string
	// SetSize gives the page the body's size: the screen less the header
	// and footer.
	SetSize(width, height int)
	// syncKeys enables the bindings the page answers to right now. The
	// root has just switched every page binding off (KeyMap.pageBindings),
	// so a page only turns on what applies; the help line follows.
	syncKeys()
	// capturing reports whether the page takes every key (a filter or text
	// being typed, a menu open), so the root's own keys stand aside.
	capturing() bool
}

// pageID names a page; it is also its position in pageList.
type pageID int

const (
	pageWorkflows pageID = iota
	pageReview
	pageHistory
	pageTokens
	pageCalls
	pageFiles
)

// pageList is the editor's pages in tab order, each with its tab's title
// and key. Adding a page is its file, a pageID above and a line here.
var pageList = []struct {
	title, key string
	open       func(*common) page
}{
	pageWorkflows: {"Workflows", "1", newWorkflowsPage},
	pageReview:    {"Review", "2", newReviewPage},
	pageHistory:   {"History", "3", newHistoryPage},
	pageTokens:    {"Tokens", "4", newTokensPage},
	pageCalls:     {"Calls", "5", newCallsPage},
	pageFiles:     {"Files", "6", newFilesPage},
}

// tabKeys are the keys that show each page, in pageList order.
func tabKeys() []key.Binding {
	out := make([]key.Binding, len(pageList))
	for i, p := range pageList {
		out[i] = key.NewBinding(key.WithKeys(p.key), key.WithHelp(p.key, strings.ToLower(p.title)))
	}
	return out
}

// pageMsg is a message for one page whichever page is on screen: the
// answer to a command the page started or to a dialog it opened. The root
// delivers it to owner() and to no other page.
type pageMsg interface {
	owner() pageID
}

// shownMsg tells a page it is now on screen: time to read what it shows.
type shownMsg struct{}

// storeChangedMsg tells the page on screen that some process changed the
// database, so a page showing its own reads reads again.
type storeChangedMsg struct{}

// workspaceLoadedMsg tells every page that the workspace took a fresh read
// of the database. rebuild: the set, order or names of the workflows
// changed (or this is the first read).
type workspaceLoadedMsg struct{ rebuild bool }
