package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
	"flowgate/store"
)

// Every read and write of the store happens in a command, off the event
// loop; each answers with a …Msg. The root's own commands are here (the
// workflow list and the polling clock); each page keeps its commands in
// its own file. Results that can go stale carry the sequence number they
// were asked with, and an answer to a question that has since been asked
// again is dropped.

// workflowsLoadedMsg answers loadWorkflowsCmd. gen is the store generation
// read before the list, so a change made in between is seen by the next poll.
type workflowsLoadedMsg struct {
	seq  int
	gen  int64
	list []model.Workflow
	err  error
}

func loadWorkflowsCmd(ctx context.Context, s *store.Store, seq int) tea.Cmd {
	return func() tea.Msg {
		gen, err := s.Generation(ctx)
		if err != nil {
			return workflowsLoadedMsg{seq: seq, err: err}
		}
		list, err := s.ListWorkflows(ctx)
		return workflowsLoadedMsg{seq: seq, gen: gen, list: list, err: err}
	}
}

// pollMsg is the polling clock: time to ask whether the database changed.
// The page on screen gets it too, to refresh what changes without the
// generation moving (the call log).
type pollMsg struct{}

func tickCmd(every time.Duration) tea.Cmd {
	if every < 0 {
		return nil
	}
	return tea.Tick(every, func(time.Time) tea.Msg { return pollMsg{} })
}

// generationMsg answers generationCmd: one cheap read that says whether any
// process changed workflows or tokens since the last look.
type generationMsg struct {
	gen int64
	err error
}

func generationCmd(ctx context.Context, s *store.Store) tea.Cmd {
	return func() tea.Msg {
		gen, err := s.Generation(ctx)
		return generationMsg{gen: gen, err: err}
	}
}

// msgCmd turns a value into a command that delivers it: how dialogs report
// the user's answer.
func msgCmd(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
