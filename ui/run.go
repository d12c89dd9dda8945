package ui

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"flowgate/store"
)

// Run opens the editor full-screen on the terminal and returns when the
// user quits. Bubble Tea restores the terminal on every way out — quit,
// a cancelled ctx, a signal, even a panic in Update or a command, which it
// turns into an error here.
func Run(ctx context.Context, s *store.Store, opts Options) error {
	p := tea.NewProgram(New(ctx, s, opts), tea.WithAltScreen(), tea.WithContext(ctx))
	if _, err := p.Run(); err != nil {
		return fmt.Errorf("editor: %w", err)
	}
	return nil
}
