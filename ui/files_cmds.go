package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"flowgate/store"
)

// The files page's reads and writes, and the messages that answer them
// (and its dialogs).

// filesLoadedMsg answers filesCmd: the protected prefixes and every share
// link, expired and revoked ones too.
type filesLoadedMsg struct {
	seq      int
	prefixes []store.Prefix
	links    []store.Link
	err      error
}

// createLinkMsg is the link form's answer: what to create.
type createLinkMsg struct{ nl store.NewLink }

// linkCreatedMsg answers createLinkCmd. The secret exists only here and in
// the dialog that shows the link's URL once.
type linkCreatedMsg struct {
	secret string
	link   store.Link
	err    error
}

// confirmRevokeLinkMsg answers the revoke question.
type confirmRevokeLinkMsg struct{ link store.Link }

// linkRevokedMsg answers revokeLinkCmd.
type linkRevokedMsg struct {
	link store.Link
	err  error
}

func (filesLoadedMsg) owner() pageID       { return pageFiles }
func (createLinkMsg) owner() pageID        { return pageFiles }
func (linkCreatedMsg) owner() pageID       { return pageFiles }
func (confirmRevokeLinkMsg) owner() pageID { return pageFiles }
func (linkRevokedMsg) owner() pageID       { return pageFiles }

// load asks for the prefixes and the links.
func (p *filesPage) load() tea.Cmd {
	p.seq++
	return filesCmd(p.ctx, p.store, p.seq)
}

func filesCmd(ctx context.Context, s *store.Store, seq int) tea.Cmd {
	return func() tea.Msg {
		prefixes, err := s.ListPrefixes(ctx)
		if err != nil {
			return filesLoadedMsg{seq: seq, err: err}
		}
		links, err := s.ListLinks(ctx)
		return filesLoadedMsg{seq: seq, prefixes: prefixes, links: links, err: err}
	}
}

// listPrefixStrings reads the protected prefixes as plain strings (for
// commands that only match paths against them).
func listPrefixStrings(ctx context.Context, s *store.Store) ([]string, error) {
	prefixes, err := s.ListPrefixes(ctx)
	return prefixStrings(prefixes), err
}

// prefixStrings keeps only the prefixes themselves.
func prefixStrings(prefixes []store.Prefix) []string {
	out := make([]string, len(prefixes))
	for i, p := range prefixes {
		out[i] = p.Prefix
	}
	return out
}

func createLinkCmd(ctx context.Context, s *store.Store, nl store.NewLink) tea.Cmd {
	return func() tea.Msg {
		secret, l, err := s.CreateLink(ctx, nl)
		return linkCreatedMsg{secret: secret, link: l, err: err}
	}
}

func revokeLinkCmd(ctx context.Context, s *store.Store, l store.Link) tea.Cmd {
	return func() tea.Msg {
		return linkRevokedMsg{link: l, err: s.RevokeLink(ctx, l.ID)}
	}
}
