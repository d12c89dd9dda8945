package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"flowgate/model"
	"flowgate/store"
)

// tokensPage lists API tokens — revoked and expired ones too, as the CLI
// does — with the keys to create one (the secret is shown once) and to
// revoke one (after confirmation). Its commands are in tokens_cmds.go.
type tokensPage struct {
	gridPage
	tokens []store.Token
	// prefixes are the protected prefixes, for the form's file scope.
	prefixes []string
}

func newTokensPage(c *common) page {
	status := func(v string) (lipgloss.Style, bool) {
		switch v {
		case "active":
			return c.st.Allow, true
		case "revoked", "expired":
			return c.st.Deny, true
		}
		return lipgloss.Style{}, false
	}
	p := &tokensPage{gridPage: gridPage{common: c, grid: newGrid(c.st, "No API tokens yet: press n to create one.",
		column{title: "NAME"},
		column{title: "KIND", width: 5},
		column{title: "USER", width: 10},
		column{title: "PREFIX", width: 8},
		column{title: "SCOPE"},
		column{title: "CREATED", width: 10, optional: true},
		column{title: "LAST USED", width: 10},
		column{title: "EXPIRES", width: 10},
		column{title: "STATUS", width: 7, style: status},
	)}}
	p.parts = p.titleAndDetail
	return p
}

func (p *tokensPage) Update(msg tea.Msg) (page, tea.Cmd) {
	switch msg := msg.(type) {
	case shownMsg, storeChangedMsg:
		return p, p.load()
	case tokensLoadedMsg:
		if p.answered(msg.seq, msg.err) {
			p.prefixes = msg.prefixes
			p.set(msg.tokens)
		}
	case createTokenMsg:
		return p, createTokenCmd(p.ctx, p.store, msg.nt)
	case tokenCreatedMsg:
		return p, p.created(msg)
	case confirmRevokeMsg:
		return p, revokeTokenCmd(p.ctx, p.store, msg.tok)
	case tokenRevokedMsg:
		return p, p.revoked(msg.err, "Revoked token "+msg.name+": calls with it are refused.", p.load)
	case tea.KeyMsg:
		p.handleKey(msg)
	}
	return p, nil
}

func (p *tokensPage) handleKey(k tea.KeyMsg) {
	switch {
	case key.Matches(k, p.keys.NewToken):
		p.dialog = newTokenForm(p.st, p.keys, p.now, p.ws.storedNames(), p.prefixes)
	case key.Matches(k, p.keys.Revoke):
		if t, ok := p.selected(); ok && t.RevokedAt == nil {
			p.revokeQuestion("Revoke token "+t.Name+"?",
				fmt.Sprintf("Calls with %s… (%s) are refused from the next decision on. "+
					"The token stays listed as revoked; this cannot be undone.", t.Prefix, t.ID),
				confirmRevokeMsg{tok: t})
		}
	default:
		p.handleGridKey(k)
	}
}

// created shows a new token's secret, once; a refusal goes back to the
// form, still open, so the value can be corrected.
func (p *tokensPage) created(msg tokenCreatedMsg) tea.Cmd {
	if msg.err != nil {
		p.refused(msg.err, "Token")
		return nil
	}
	who := "admin token"
	if msg.tok.Kind == model.TokenUser {
		who = "user token for " + msg.tok.UserID
	}
	p.dialog = secretDialog{st: p.st, km: p.keys, secret: msg.secret,
		title: fmt.Sprintf("New %s %q (%s)", who, msg.tok.Name, msg.tok.ID),
		warning: "Copy it now: this is the only time it is shown. flowgate keeps only its hash, " +
			"so it cannot be shown again; if it is lost, revoke it and create another."}
	p.setStatus(statusOK, fmt.Sprintf("Created token %s (%s).", msg.tok.Name, msg.tok.ID))
	return p.load()
}

// dateLayout is the short date used in token columns.
const dateLayout = "2006-01-02"

func shortDate(t *time.Time, dash string) string {
	if t == nil {
		return dash
	}
	return t.Local().Format(dateLayout)
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
		rows[i] = []string{t.Name, string(t.Kind), user, t.Prefix, scopeSummary(t.Scope), shortDate(&t.CreatedAt, ""),
			shortDate(t.LastUsedAt, "never"), shortDate(t.ExpiresAt, "never"), model.TokenStatus(t.ExpiresAt, t.RevokedAt, now).String()}
	}
	p.grid.setRows(rows)
}

// selected is the token under the cursor.
func (p *tokensPage) selected() (store.Token, bool) {
	i := p.grid.selected()
	if i < 0 {
		return store.Token{}, false
	}
	return p.tokens[i], true
}

// revocable reports whether the selected token can be revoked.
func (p *tokensPage) revocable() bool {
	t, ok := p.selected()
	return ok && t.RevokedAt == nil
}

// titleAndDetail are the title above the grid and the selected token's
// details below it.
func (p *tokensPage) titleAndDetail() (above, below string) {
	var detail []string
	if t, ok := p.selected(); ok {
		line := fmt.Sprintf("%s · id %s · created %s", t.Name, t.ID, t.CreatedAt.Local().Format(timeLayout))
		if t.Kind == model.TokenUser {
			line += " · acts as user " + t.UserID
		}
		if t.RevokedAt != nil {
			line += " · revoked " + formatTime(t.RevokedAt, "")
		}
		detail = []string{p.st.Dim.Render(line), p.st.Dim.Render("may call: " + patternList(t.Scope.Workflows, "no workflow") +
			" · may read: " + patternList(t.Scope.Files, "no private file"))}
	}
	return p.st.Heading.Render("API tokens") + "\n", fitLines(detail, p.width, tokenDetailRows)
}

// tokenDetailRows is the room under the grid for the selected token.
const tokenDetailRows = 2

func (p *tokensPage) syncKeys() {
	p.enableGridKeys()
	p.keys.NewToken.SetEnabled(true)
	p.keys.Revoke.SetEnabled(p.revocable())
}

func (p *tokensPage) ShortHelp() []key.Binding {
	k := p.keys
	return []key.Binding{k.Up, k.Down, k.NewToken, k.Revoke, k.Back, k.Help, k.Quit}
}

func (p *tokensPage) FullHelp() [][]key.Binding {
	k := p.keys
	return [][]key.Binding{{k.Up, k.Down, k.PageUp, k.PageDown}, {k.NewToken, k.Revoke}, k.Tabs, {k.Save, k.Back, k.Help, k.Quit}}
}

// scopeSummary is a token's scope in a grid cell: "wf: *  files: —".
func scopeSummary(sc model.Scope) string {
	return "wf: " + patternList(sc.Workflows, "—") + "  files: " + patternList(sc.Files, "—")
}

// patternList joins a scope's patterns, or says none.
func patternList(patterns []string, none string) string {
	if len(patterns) == 0 {
		return none
	}
	return strings.Join(patterns, ",")
}
