package checker

import (
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"flowgate/model"
	"flowgate/store"
)

// BenchmarkReloadLargeSettings measures what issue 13 sets a goal for, on
// settings of 100,000 workflows and 1,000,000 user tokens
// (scripts/bench-fill.sql): the first load, and the reload that enforces
// one change (a token revoked, a workflow's auth set). The live heap the
// loaded settings hold is reported as MB-held.
func BenchmarkReloadLargeSettings(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.db")
	s, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	fillBenchmarkSettings(b, path)
	target := model.NewWorkflow("bench-target")
	target.Public = true
	if target, err = s.CreateWorkflow(ctx, target, store.SourceCLI); err != nil {
		b.Fatal(err)
	}
	replaced := false

	b.Run("cold-load", func(b *testing.B) {
		var held float64
		for b.Loop() {
			b.StopTimer()
			before := liveHeap()
			b.StartTimer()
			c := New(Options{})
			if err := c.Load(ctx, s); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			held = float64(liveHeap()-before) / (1 << 20)
			runtime.KeepAlive(c)
			b.StartTimer()
		}
		b.ReportMetric(held, "MB-held")
	})

	c := New(Options{})
	if err := c.Load(ctx, s); err != nil {
		b.Fatal(err)
	}
	b.Run("one-revocation", func(b *testing.B) {
		n := 0
		for b.Loop() {
			b.StopTimer()
			n++
			_, tok, err := s.CreateToken(ctx, store.NewToken{Kind: model.TokenAdmin, Name: "bench-" + strconv.Itoa(n)})
			if err != nil {
				b.Fatal(err)
			}
			if err := c.reloadIfChanged(ctx, s, &replaced); err != nil {
				b.Fatal(err)
			}
			if err := s.RevokeToken(ctx, tok.ID); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := c.reloadIfChanged(ctx, s, &replaced); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("one-set", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			target.Auth = map[model.Auth]model.Auth{model.AuthUser: model.AuthAdmin, model.AuthAdmin: model.AuthUser}[target.Auth]
			if target, err = s.UpdateWorkflow(ctx, target, store.SourceCLI); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := c.reloadIfChanged(ctx, s, &replaced); err != nil {
				b.Fatal(err)
			}
		}
		if w := c.snap.Load().workflow("bench-target"); w == nil || w.Auth != target.Auth {
			b.Fatal("the change was not applied")
		}
	})
	runtime.KeepAlive(c)
}

// fillBenchmarkSettings adds the benchmark's workflows and tokens to the
// database at path with one bulk INSERT each (scripts/bench-fill.sql).
func fillBenchmarkSettings(b *testing.B, path string) {
	b.Helper()
	fill, err := os.ReadFile("../scripts/bench-fill.sql")
	if err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open("sqlite3", path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(string(fill)); err != nil {
		b.Fatal(err)
	}
}

// liveHeap is the heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkTokenLookupMillion looks tokens up among a million, in an order
// that defeats the caches as real callers do: the sorted shards that keep
// the snapshot lean, beside the map they replaced.
func BenchmarkTokenLookupMillion(b *testing.B) {
	hs := randomHashes(1_000_000)
	x := buildHashIndex(len(hs), func(i int) model.TokenHash { return hs[i] }, func(i int) tokenEntry { return tokenEntry{} })
	m := make(map[model.TokenHash]tokenEntry, len(hs))
	for _, h := range hs {
		m[h] = tokenEntry{}
	}
	b.Run("sorted-shards", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i = (i + 7919) % len(hs)
			if _, ok := x.get(&hs[i]); !ok {
				b.Fatal("not found")
			}
		}
	})
	b.Run("map", func(b *testing.B) {
		i := 0
		for b.Loop() {
			i = (i + 7919) % len(hs)
			if _, ok := m[hs[i]]; !ok {
				b.Fatal("not found")
			}
		}
	})
}
