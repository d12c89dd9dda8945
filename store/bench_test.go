package store

import (
	"fmt"
	"path/filepath"
	"testing"

	"flowgate/model"
)

// BenchmarkListWorkflows100k measures reading a large app's settings, as the
// checker does on every reload and the editor on start.
func BenchmarkListWorkflows100k(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "big.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	err = s.InTx(ctx, SourceImport, func(tx *Tx) error {
		for i := 0; i < 100_000; i++ {
			w := model.NewWorkflow(fmt.Sprintf("workflow-%06d", i))
			w.Public = i%4 != 0
			w.Auth = model.Auths[i%3]
			if i%10 == 0 {
				w.Parameters = []model.Parameter{{Key: "id", Type: "text", In: model.ParamInBody}}
			}
			if _, err := tx.CreateWorkflow(ctx, w); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		ws, err := s.ListWorkflows(ctx)
		if err != nil || len(ws) != 100_000 {
			b.Fatalf("listed %d workflows: %v", len(ws), err)
		}
	}
}
