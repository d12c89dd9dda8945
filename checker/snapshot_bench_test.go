package checker

import (
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to fill a PostgreSQL store

	"flowgate/internal/pgtest"
	"flowgate/model"
	"flowgate/store"
)

// BenchmarkReloadLargeSettings measures what issue 13 sets a goal for, on
// settings of 100,000 workflows and 1,000,000 user tokens
// (scripts/bench-fill.sql, scripts/bench-fill-postgres.sql), on each
// backend: the first load, and the reload that enforces one change (a
// token revoked, a workflow's auth set). The live heap the loaded settings
// hold is reported as MB-held. The PostgreSQL run needs the test cluster
// of $FLOWGATE_TEST_POSTGRES (see internal/pgtest) and is skipped without.
func BenchmarkReloadLargeSettings(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "big.db")
		s, err := store.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		fillBenchmarkSettings(b, "sqlite3", path, "../scripts/bench-fill.sql")
		benchmarkReloads(b, s)
	})
	b.Run("postgres", func(b *testing.B) {
		url := pgtest.FreshDatabase(b)
		if _, _, err := store.Migrate(ctx, url); err != nil {
			b.Fatal(err)
		}
		s, err := store.Open(url)
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		fillBenchmarkSettings(b, "pgx", url, "../scripts/bench-fill-postgres.sql")
		benchmarkReloads(b, s)
	})
}

// benchmarkReloads runs the cold load and the one-change reloads on s,
// which holds the large settings.
func benchmarkReloads(b *testing.B, s *store.Store) {
	target := model.NewWorkflow("bench-target")
	target.Public = true
	target, err := s.CreateWorkflow(ctx, target, store.SourceCLI)
	if err != nil {
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
// database at location, through the database/sql driver named, with the
// bulk INSERTs of the fill script at file: one statement at a time (each
// ends a line with ";"), on one connection, since PostgreSQL's VACUUM must
// run alone and SQLite's BEGIN holds for its connection only.
func fillBenchmarkSettings(b *testing.B, driver, location, file string) {
	b.Helper()
	fill, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	db, err := sql.Open(driver, location)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close()
	for _, statement := range strings.SplitAfter(string(fill), ";\n") {
		if strings.TrimSpace(statement) == "" {
			continue
		}
		if _, err := conn.ExecContext(ctx, statement); err != nil {
			b.Fatalf("%s: %v", file, err)
		}
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
