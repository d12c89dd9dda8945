package ui

import (
	"context"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
	"flowgate/store"
)

// The Review page acts on its findings: enter goes to the workflow (or, on
// the migrated line, confirms them all), f drafts the finding's suggested
// fix, w waives it with a reason (KeyMap.Fix and Waive, switched in
// syncKeys).

// waiversLoadedMsg answers waiversCmd.
type waiversLoadedMsg struct {
	seq     int
	waivers []model.Waiver
	err     error
}

// waiveMsg is the reason prompt's answer: waive f because of reason.
type waiveMsg struct {
	f      model.Finding
	reason string
}

// waivedMsg answers waiveCmd.
type waivedMsg struct {
	f   model.Finding
	err error
}

// confirmMigratedMsg is the yes of the bulk confirmation; confirmedMsg
// answers confirmMigratedCmd.
type (
	confirmMigratedMsg struct{ ids []int64 }
	confirmedMsg       struct {
		n   int
		err error
	}
)

func (waiversLoadedMsg) owner() pageID   { return pageReview }
func (waiveMsg) owner() pageID           { return pageReview }
func (waivedMsg) owner() pageID          { return pageReview }
func (confirmMigratedMsg) owner() pageID { return pageReview }
func (confirmedMsg) owner() pageID       { return pageReview }

func waiversCmd(ctx context.Context, s *store.Store, seq int) tea.Cmd {
	return func() tea.Msg {
		ws, err := s.ListWaivers(ctx)
		return waiversLoadedMsg{seq: seq, waivers: ws, err: err}
	}
}

func waiveCmd(ctx context.Context, s *store.Store, f model.Finding, reason string) tea.Cmd {
	return func() tea.Msg {
		_, err := s.Waive(store.WithSource(ctx, store.SourceEditor),
			model.Waiver{Rule: f.Rule, Workflow: f.Workflow, Token: f.Token, Reason: reason})
		return waivedMsg{f: f, err: err}
	}
}

// confirmMigratedCmd confirms the migrated Authentication of the workflows
// ids (those the page showed) in one transaction, reading each inside it:
// one that changed elsewhere in the meantime is confirmed as it now is, one
// no longer migrated is left alone.
func confirmMigratedCmd(ctx context.Context, s *store.Store, ids []int64) tea.Cmd {
	return func() tea.Msg {
		want := map[int64]bool{}
		for _, id := range ids {
			want[id] = true
		}
		n := 0
		err := s.InTx(ctx, store.SourceEditor, func(tx *store.Tx) error {
			ws, err := tx.ListWorkflows(ctx)
			if err != nil {
				return err
			}
			for _, w := range ws {
				if want[w.ID] && w.AuthMigrated {
					w.AuthMigrated = false
					if _, err := tx.UpdateWorkflow(ctx, w); err != nil {
						return err
					}
					n++
				}
			}
			return nil
		})
		return confirmedMsg{n: n, err: err}
	}
}

// reasonPrompt asks why a finding is acceptable; enter waives it with a
// reason that is not empty.
type reasonPrompt struct {
	st    *Styles
	km    KeyMap
	f     model.Finding
	input textinput.Model
}

func newReasonPrompt(st *Styles, km KeyMap, f model.Finding) reasonPrompt {
	ti := textinput.New()
	ti.Prompt = "Reason: "
	ti.PromptStyle = st.FocusLabel
	ti.CharLimit = 500
	staticCursor(&ti)
	ti.Focus()
	return reasonPrompt{st: st, km: km, f: f, input: ti}
}

func (p reasonPrompt) Update(msg tea.KeyMsg) (dialog, tea.Cmd) {
	switch {
	case key.Matches(msg, p.km.Cancel):
		return nil, msgCmd(closeDialogMsg{})
	case key.Matches(msg, p.km.Accept):
		if p.input.Value() == "" {
			return p, nil
		}
		return nil, msgCmd(waiveMsg{f: p.f, reason: p.input.Value()})
	}
	var cmd tea.Cmd
	p.input, cmd = p.input.Update(msg)
	return p, cmd
}

func (p reasonPrompt) View(width int) string {
	p.input.Width = max(10, width-len(p.input.Prompt)-1)
	return p.st.DialogTitle.Render(fmt.Sprintf("Waive %s for %s", p.f.Rule, p.f.Subject())) + "\n\n" +
		ansiWrap(p.f.Message, width) + "\n\n" + p.input.View() + "\n\n" +
		p.st.Dim.Render(ansiWrap("Say why it is acceptable. Review lists it as waived and `review --fail-on` stops counting it.", width))
}

func (p reasonPrompt) ShortHelp() []key.Binding {
	accept := withHelp(p.km.Accept, "waive")
	accept.SetEnabled(p.input.Value() != "")
	return []key.Binding{accept, p.km.Cancel}
}
