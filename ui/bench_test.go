package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"flowgate/model"
	"flowgate/store"
)

// benchDB writes n workflows of every exposure to a new database.
func benchDB(b *testing.B, n int) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "flowgate.db")
	s, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	err = s.InTx(context.Background(), store.SourceImport, func(tx *store.Tx) error {
		for i := range n {
			w := model.NewWorkflow(fmt.Sprintf("workflow-%05d", i))
			w.Public = i%4 != 0
			w.Auth = model.Auths[i%3]
			w.Description = "benchmark workflow"
			if i%10 == 0 {
				w.Parameters = []model.Parameter{{Key: "id", Type: "text", In: model.ParamInBody}}
			}
			if _, err := tx.CreateWorkflow(context.Background(), w); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return path
}

// startEditor does what the program does up to its first full frame:
// open the store, build the model, size it, run Init's load, draw.
func startEditor(b *testing.B, path string) (Model, *store.Store) {
	s, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	m := New(context.Background(), s, Options{PollInterval: -1})
	next, _ := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	msg := m.Init()()
	if batch, ok := msg.(tea.BatchMsg); ok {
		msg = batch[0]()
	}
	next, _ = next.Update(msg)
	m = next.(Model)
	if len(m.ws.order) == 0 || m.View() == "" {
		b.Fatal("nothing loaded")
	}
	return m, s
}

// BenchmarkStartup10k: from opening the database to the first frame with
// 10,000 workflows (goal ≤ 300 ms).
func BenchmarkStartup10k(b *testing.B) {
	path := benchDB(b, 10_000)
	b.ReportAllocs()
	for b.Loop() {
		_, s := startEditor(b, path)
		s.Close()
	}
}

// benchKeys measures one keystroke's Update and View (goal ≤ 5 ms).
func benchKeys(b *testing.B, m Model, keys ...tea.KeyMsg) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		next, _ := m.Update(keys[i%len(keys)])
		m = next.(Model)
		if m.View() == "" {
			b.Fatal("empty view")
		}
		i++
	}
}

// BenchmarkKeystrokeMove10k: moving through the list of 10,000 workflows.
func BenchmarkKeystrokeMove10k(b *testing.B) {
	m, s := startEditor(b, benchDB(b, 10_000))
	defer s.Close()
	benchKeys(b, m, keyMsg("j"), keyMsg("j"), keyMsg("k"))
}

// BenchmarkKeystrokeEdit10k: toggling "public" in the panel, which makes
// and drops a draft, updates the row, the counts and the preview.
func BenchmarkKeystrokeEdit10k(b *testing.B) {
	m, s := startEditor(b, benchDB(b, 10_000))
	defer s.Close()
	next, _ := m.Update(keyMsg("tab"))
	benchKeys(b, next.(Model), keyMsg("space"))
}
