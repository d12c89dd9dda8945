package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"flowgate/store"
)

// The tokens page's reads and writes, and the messages that answer them
// (and its dialogs).

// tokensLoadedMsg answers tokensCmd: the tokens, and the protected
// prefixes their file scopes are measured against.
type tokensLoadedMsg struct {
	seq      int
	tokens   []store.Token
	prefixes []string
	err      error
}

// tokenCreatedMsg answers createTokenCmd. The secret exists only here and
// in the dialog that shows it once.
type tokenCreatedMsg struct {
	secret string
	tok    store.Token
	err    error
}

// tokenRevokedMsg answers revokeTokenCmd.
type tokenRevokedMsg struct {
	name string
	err  error
}

// confirmRevokeMsg answers the revoke question.
type confirmRevokeMsg struct{ tok store.Token }

func (tokensLoadedMsg) owner() pageID  { return pageTokens }
func (tokenCreatedMsg) owner() pageID  { return pageTokens }
func (tokenRevokedMsg) owner() pageID  { return pageTokens }
func (confirmRevokeMsg) owner() pageID { return pageTokens }
func (createTokenMsg) owner() pageID   { return pageTokens }

// load asks for the token list.
func (p *tokensPage) load() tea.Cmd {
	p.seq++
	return tokensCmd(p.ctx, p.store, p.seq)
}

func tokensCmd(ctx context.Context, s *store.Store, seq int) tea.Cmd {
	return func() tea.Msg {
		tokens, err := s.ListTokens(ctx)
		if err != nil {
			return tokensLoadedMsg{seq: seq, err: err}
		}
		prefixes, err := listPrefixStrings(ctx, s)
		return tokensLoadedMsg{seq: seq, tokens: tokens, prefixes: prefixes, err: err}
	}
}

func createTokenCmd(ctx context.Context, s *store.Store, nt store.NewToken) tea.Cmd {
	return func() tea.Msg {
		secret, tok, err := s.CreateToken(ctx, nt)
		return tokenCreatedMsg{secret: secret, tok: tok, err: err}
	}
}

func revokeTokenCmd(ctx context.Context, s *store.Store, tok store.Token) tea.Cmd {
	return func() tea.Msg {
		return tokenRevokedMsg{name: tok.Name, err: s.RevokeToken(ctx, tok.ID)}
	}
}
