package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"flowgate/store"
)

// common is what the root and every page share, built once in New and held
// by pointer (after soft-serve's common.Common): the store, the styles, the
// one KeyMap, the workspace, and the few things a page may ask of the
// editor around it — a dialog, the status line, another page on screen.
// Everything here is written during Update only, so a page sees it in the
// same state the root does.
type common struct {
	ctx   context.Context
	store *store.Store
	st    *Styles
	keys  KeyMap
	// now is the clock for token expiry.
	now func() time.Time

	// ws is the editor's copy of the database: the root loads it, the
	// workflows page edits it, the other pages and the header read it.
	ws workspace
	// loadSeq numbers the requests for the workflow list; only the answer
	// to the latest is taken. loading: one is on its way.
	loadSeq int
	loading bool
	// workflow is the id of the workflow under the list cursor (0: none),
	// kept by the workflows page: the one the history page shows and the
	// review's jump selects.
	workflow int64

	// active is the page on screen; only the root changes it.
	active pageID
	// next is a page another page asked to show (see show); the root
	// switches once the current message is handled.
	next    pageID
	hasNext bool

	// dialog is the open modal question, nil when none: it gets every key.
	dialog dialog

	status   string
	statusIs statusKind
	// statusEdits is ws.edits when the status was written (see
	// expireStatus).
	statusEdits int
}

// statusKind colours the status line.
type statusKind int

const (
	statusInfo statusKind = iota
	statusOK
	statusError
)

// setStatus puts a message in the status line.
func (c *common) setStatus(kind statusKind, text string) {
	c.status, c.statusIs, c.statusEdits = text, kind, c.ws.edits
}

// expireStatus clears a status written before the drafts last changed: it
// describes a state that is gone ("Saved get-invoice (version 3)." beside
// "● 1 unsaved"). A message that describes the change itself is written
// after it, and stays.
func (c *common) expireStatus() {
	if c.status != "" && c.statusEdits != c.ws.edits {
		c.status = ""
	}
}

// show asks for page id to be put on screen once the current message is
// handled, as if its tab key had been pressed.
func (c *common) show(id pageID) {
	c.next, c.hasNext = id, true
}

// selected is the entry under the list cursor, or nil.
func (c *common) selected() *entry {
	return c.ws.entries[c.workflow]
}

// reloadWorkflows asks for a fresh list; any answer still on its way to an
// earlier request is dropped when it arrives.
func (c *common) reloadWorkflows() tea.Cmd {
	c.loadSeq++
	c.loading = true
	return loadWorkflowsCmd(c.ctx, c.store, c.loadSeq)
}
