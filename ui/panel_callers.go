package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"flowgate/model"
	"flowgate/store"
)

// The panel's "Callable by" line: who can call the workflow right now,
// from model.WhoCan over the stored tokens — the same Decide the checker
// enforces, asked once per token — so "2 admin tokens · 14 user tokens"
// is exactly who the checker would let in. The workflows page reads the
// tokens (grantsCmd) whenever the workspace is read again, that is when
// some process changed the database.

// grantsLoadedMsg answers grantsCmd.
type grantsLoadedMsg struct {
	seq    int
	grants []model.TokenGrant
	// traffic is the call record the grants made (panel_impact.go).
	traffic *model.Traffic
	err     error
}

func (grantsLoadedMsg) owner() pageID { return pageWorkflows }

func grantsCmd(ctx context.Context, s *store.Store, seq int) tea.Cmd {
	return func() tea.Msg {
		tokens, err := s.ListTokens(ctx)
		if err != nil {
			return grantsLoadedMsg{seq: seq, err: err}
		}
		grants := tokenGrants(tokens)
		traffic, err := readTraffic(ctx, s, grants)
		return grantsLoadedMsg{seq: seq, grants: grants, traffic: traffic, err: err}
	}
}

// tokenGrants is what who-can needs of each token.
func tokenGrants(tokens []store.Token) []model.TokenGrant {
	out := make([]model.TokenGrant, len(tokens))
	for i, t := range tokens {
		out[i] = model.TokenGrant{ID: t.ID, Name: t.Name, UserID: t.UserID, Kind: t.Kind,
			ExpiresAt: t.ExpiresAt, RevokedAt: t.RevokedAt, Scope: t.Scope}
	}
	return out
}

// callers is the panel's answer to "who can call this?", kept up to date
// by the panel (after every change of its workflow, new tokens, and the
// clock, since tokens expire) so that View only draws it.
type callers struct {
	grants []model.TokenGrant
	loaded bool // grants were read at least once
	who    model.Callers
	// expanded lists the tokens' names under the line; it stays as the
	// user left it from one workflow to the next.
	expanded bool
}

// count asks WhoCan about w at now.
func (c *callers) count(w *model.Workflow, now time.Time) {
	c.who = model.WhoCan(w, c.grants, now)
}

// expandable reports whether there are names to list.
func (c *callers) expandable() bool { return len(c.who.Tokens) > 0 }

// maxCallerLines bounds the names listed; `flowgate who-can` has them all.
const maxCallerLines = 8

// lines are the "Callable by" line and, expanded, the names; the answer
// goes under the label when both do not fit in width.
func (c *callers) lines(w model.Workflow, st *Styles, width int) []string {
	const label = "  Callable by:"
	var what string
	switch {
	case !c.loaded:
		what = st.Dim.Render("(reading tokens)")
	case c.who.Anyone:
		what = st.Deny.Render("anyone") + st.Dim.Render(" (no token needed)")
	case !w.Public:
		what = "nobody " + st.Dim.Render("(scheduled-only)")
	case len(c.grants) == 0:
		what = "no token " + st.Dim.Render("(none yet)")
	case len(c.who.Tokens) == 0:
		what = "no token " + st.Dim.Render(fmt.Sprintf("(none of %d qualifies)", len(c.grants)))
	default:
		var parts []string
		if c.who.Admin > 0 {
			parts = append(parts, plural(c.who.Admin, "admin token"))
		}
		if c.who.User > 0 {
			parts = append(parts, plural(c.who.User, "user token"))
		}
		what = st.Value.Render(strings.Join(parts, " · "))
	}
	out := []string{label + " " + what}
	if lipgloss.Width(out[0]) > width {
		out = []string{label, "    " + what}
	}
	if !c.expanded || !c.loaded {
		return out
	}
	for i, t := range c.who.Tokens {
		if i == maxCallerLines-1 && len(c.who.Tokens) > maxCallerLines {
			out = append(out, "    "+st.Dim.Render(fmt.Sprintf("… and %d more: flowgate who-can %s", len(c.who.Tokens)-i, w.Name)))
			break
		}
		who := string(t.Kind)
		if t.Kind == model.TokenUser {
			who += " " + t.UserID
		}
		out = append(out, "    "+t.Name+"  "+st.Dim.Render(who+" · "+t.ID))
	}
	return out
}
