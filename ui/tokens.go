package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/lipgloss"

	"flowgate/model"
	"flowgate/store"
)

// tokensPage lists API tokens — revoked and expired ones too, as the CLI
// does — with the keys to create one (the secret is shown once) and to
// revoke one (after confirmation).
type tokensPage struct {
	st     *Styles
	grid   grid
	tokens []store.Token
	seq    int
	now    func() time.Time
	width  int
}

func newTokensPage(st *Styles, now func() time.Time) tokensPage {
	status := func(v string) (lipgloss.Style, bool) {
		switch v {
		case "active":
			return st.Allow, true
		case "revoked", "expired":
			return st.Deny, true
		}
		return lipgloss.Style{}, false
	}
	return tokensPage{st: st, now: now, grid: newGrid(st, "No API tokens yet: press n to create one.",
		column{title: "NAME"},
		column{title: "KIND", width: 5},
		column{title: "USER", width: 10},
		column{title: "PREFIX", width: 8},
		column{title: "CREATED", width: 10},
		column{title: "LAST USED", width: 10},
		column{title: "EXPIRES", width: 10},
		column{title: "STATUS", width: 7, style: status},
	)}
}

// dateLayout is the short date used in token columns.
const dateLayout = "2006-01-02"

func shortDate(t *time.Time, dash string) string {
	if t == nil {
		return dash
	}
	return t.Local().Format(dateLayout)
}

// tokenStatus says whether a token can still be used.
func tokenStatus(t store.Token, now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case t.ExpiresAt != nil && !t.ExpiresAt.After(now):
		return "expired"
	}
	return "active"
}

func (p *tokensPage) set(tokens []store.Token) {
	p.tokens = tokens
	now := p.now()
	rows := make([][]string, len(tokens))
	for i, t := range tokens {
		user := t.UserID
		if user == "" {
			user = "—"
		}
		rows[i] = []string{t.Name, string(t.Kind), user, t.Prefix, shortDate(&t.CreatedAt, ""),
			shortDate(t.LastUsedAt, "never"), shortDate(t.ExpiresAt, "never"), tokenStatus(t, now)}
	}
	p.grid.setRows(rows)
}

// selected is the token under the cursor.
func (p tokensPage) selected() (store.Token, bool) {
	i := p.grid.selected()
	if i < 0 {
		return store.Token{}, false
	}
	return p.tokens[i], true
}

// revocable reports whether the selected token can be revoked.
func (p tokensPage) revocable() bool {
	t, ok := p.selected()
	return ok && t.RevokedAt == nil
}

// names maps token ids to names, for the call log.
func (p tokensPage) names() map[string]string {
	out := make(map[string]string, len(p.tokens))
	for _, t := range p.tokens {
		out[t.ID] = t.Name
	}
	return out
}

func (p *tokensPage) setSize(w, h int) {
	p.width = w
	p.grid.setSize(w, max(2, h-3))
}

func (p tokensPage) View() string {
	detail := ""
	if t, ok := p.selected(); ok {
		detail = fmt.Sprintf("%s · id %s · created %s", t.Name, t.ID, t.CreatedAt.Local().Format(timeLayout))
		if t.Kind == model.TokenUser {
			detail += " · acts as user " + t.UserID
		}
		if t.RevokedAt != nil {
			detail += " · revoked " + formatTime(t.RevokedAt, "")
		}
	}
	return p.st.Heading.Render("API tokens") + "\n\n" + p.grid.View() + "\n" +
		fitLines([]string{p.st.Dim.Render(detail)}, p.width, 1)
}
