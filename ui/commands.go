package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
	"flowgate/store"
)

// Every read and write of the store happens in one of these commands, off
// the event loop; each answers with a …Msg. Results that can go stale carry
// the sequence number they were asked with, and Update drops any answer to
// a question that has since been asked again.

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

// saveResult is the outcome of saving one draft.
type saveResult struct {
	id   int64
	rev  int
	name string
	w    model.Workflow
	err  error
}

// savedMsg answers saveCmd; quit asks to leave once everything is saved.
type savedMsg struct {
	results []saveResult
	quit    bool
}

// saveCmd saves each draft in its own transaction, through the optimistic
// check, so a conflict on one workflow holds back only that one.
func saveCmd(ctx context.Context, s *store.Store, pending []pendingSave, quit bool) tea.Cmd {
	return func() tea.Msg {
		out := make([]saveResult, 0, len(pending))
		for _, p := range pending {
			w, err := s.UpdateWorkflow(ctx, p.w, store.SourceEditor)
			out = append(out, saveResult{id: p.w.ID, rev: p.rev, name: p.w.Name, w: w, err: err})
		}
		return savedMsg{results: out, quit: quit}
	}
}

// createdMsg answers createCmd. replaces is the id of a workflow deleted
// elsewhere that the user chose to recreate from their draft (0 for new).
type createdMsg struct {
	w        model.Workflow
	replaces int64
	err      error
}

func createCmd(ctx context.Context, s *store.Store, w model.Workflow, replaces int64) tea.Cmd {
	return func() tea.Msg {
		w.ID, w.Version = 0, 0
		created, err := s.CreateWorkflow(ctx, w, store.SourceEditor)
		return createdMsg{w: created, replaces: replaces, err: err}
	}
}

// deletedMsg answers deleteCmd.
type deletedMsg struct {
	id   int64
	name string
	err  error
}

func deleteCmd(ctx context.Context, s *store.Store, w model.Workflow) tea.Cmd {
	return func() tea.Msg {
		return deletedMsg{id: w.ID, name: w.Name, err: s.DeleteWorkflow(ctx, w, store.SourceEditor)}
	}
}

// historyLoadedMsg answers historyCmd.
type historyLoadedMsg struct {
	seq     int
	name    string
	changes []store.Change
	err     error
}

func historyCmd(ctx context.Context, s *store.Store, seq int, name string) tea.Cmd {
	return func() tea.Msg {
		changes, err := s.History(ctx, name)
		return historyLoadedMsg{seq: seq, name: name, changes: changes, err: err}
	}
}

// tokensLoadedMsg answers tokensCmd.
type tokensLoadedMsg struct {
	seq    int
	tokens []store.Token
	err    error
}

func tokensCmd(ctx context.Context, s *store.Store, seq int) tea.Cmd {
	return func() tea.Msg {
		tokens, err := s.ListTokens(ctx)
		return tokensLoadedMsg{seq: seq, tokens: tokens, err: err}
	}
}

// tokenCreatedMsg answers createTokenCmd. The secret exists only here and
// in the dialog that shows it once.
type tokenCreatedMsg struct {
	secret string
	tok    store.Token
	err    error
}

func createTokenCmd(ctx context.Context, s *store.Store, nt store.NewToken) tea.Cmd {
	return func() tea.Msg {
		secret, tok, err := s.CreateToken(ctx, nt)
		return tokenCreatedMsg{secret: secret, tok: tok, err: err}
	}
}

// tokenRevokedMsg answers revokeTokenCmd.
type tokenRevokedMsg struct {
	name string
	err  error
}

func revokeTokenCmd(ctx context.Context, s *store.Store, tok store.Token) tea.Cmd {
	return func() tea.Msg {
		return tokenRevokedMsg{name: tok.Name, err: s.RevokeToken(ctx, tok.ID)}
	}
}

// callsLoadedMsg answers callsCmd.
type callsLoadedMsg struct {
	seq   int
	calls []store.Call
	err   error
}

// callLimit bounds the call log view: the most recent calls are what a
// person reads here; `flowgate calls` has them all.
const callLimit = 500

func callsCmd(ctx context.Context, s *store.Store, seq int) tea.Cmd {
	return func() tea.Msg {
		calls, err := s.ListCalls(ctx, store.CallFilter{Limit: callLimit})
		return callsLoadedMsg{seq: seq, calls: calls, err: err}
	}
}

// msgCmd turns a value into a command that delivers it: how dialogs report
// the user's answer to the root.
func msgCmd(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
