package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// TableCount is how many rows one data table holds.
type TableCount struct {
	Table string
	Rows  int64
}

// CopyResult is what Copy did.
type CopyResult struct {
	// Tables are the rows copied, per data table, in dump order.
	Tables []TableCount
	// Generation is the target's generation after the copy: past its own
	// before the copy (so that every reader of the target reloads) and at
	// least the source's (so that a change made later never takes a
	// generation the copied history already names).
	Generation int64
}

// TargetNotEmptyError refuses to copy into a store that holds data, which
// the copy would replace, unless the caller asked for that.
type TargetNotEmptyError struct {
	Location string
	// Tables are the data tables that hold rows, with their counts.
	Tables []TableCount
}

func (e *TargetNotEmptyError) Error() string {
	parts := make([]string, len(e.Tables))
	for i, t := range e.Tables {
		parts[i] = fmt.Sprintf("%s %d", t.Table, t.Rows)
	}
	return fmt.Sprintf("target %s is not empty (%s); nothing was copied", e.Location, strings.Join(parts, ", "))
}

// copyChunkRows is how many rows one INSERT carries: few statements, and
// well under both backends' limits on parameters (SQLite 32,766;
// PostgreSQL 65,535) for the widest table.
const copyChunkRows = 500

// Copy copies every data row of from into to (see dataTables): workflows
// with their parameters, the change trail, tokens as hashes, protected
// prefixes, share links, waivers and call counts, with their ids and
// timestamps verbatim, between any two stores of either backend. A target
// holding any data row is refused with a *TargetNotEmptyError unless
// replace, which deletes what it holds first.
//
// Everything happens in one write transaction on the target, which also
// compares the dumps of both stores (the source read in one read
// transaction) before it commits: a copy that does not reproduce the
// source exactly (a *DumpMismatchError) or fails midway leaves the target
// as it was.
func Copy(ctx context.Context, from, to *Store, replace bool) (CopyResult, error) {
	if err := to.writable(); err != nil {
		return CopyResult{}, err
	}
	for _, s := range []*Store{from, to} {
		if err := s.copyable(); err != nil {
			return CopyResult{}, err
		}
	}
	same, err := sameStore(ctx, from, to)
	if err != nil {
		return CopyResult{}, err
	}
	if same {
		return CopyResult{}, fmt.Errorf("%s and %s are the same store: a store cannot be copied onto itself", from.path, to.path)
	}
	src, err := from.beginRead(ctx)
	if err != nil {
		return CopyResult{}, err
	}
	defer src.end()
	var res CopyResult
	err = to.InTx(ctx, SourceCLI, func(tx *Tx) error {
		c := copier{src: src, dst: tx.tx, postgres: to.dialect.backend == BackendPostgres, target: to.path}
		res, err = c.run(ctx, replace)
		return err
	})
	if err != nil {
		return CopyResult{}, err
	}
	if to.dialect.backend == BackendPostgres {
		// A bulk load leaves PostgreSQL without statistics on the new rows
		// until autovacuum gets to them, and until then it reads every
		// token to find the few a reload needs. Best effort: the copy is
		// committed, and a role that does not own the tables is skipped
		// with a notice.
		to.conn().ExecContext(ctx, "ANALYZE "+strings.Join(tableNames(), ", ")+", tombstones")
	}
	return res, nil
}

// copyable refuses a store at a schema newer than this binary's, which a
// checker one release behind may use but a copy may not: the copy, and
// the dump that verifies it, cover only the tables and columns this
// binary knows, so what the newer schema adds would be silently left out.
func (s *Store) copyable() error {
	if latest := PostgresSchemaVersion(); s.pgSchema > latest {
		return fmt.Errorf("database %s has schema version %d, newer than this flowgate's %d: a copy would leave out what the newer schema holds; copy with the newer flowgate", s.path, s.pgSchema, latest)
	}
	return nil
}

// copier is one copy in progress: the source's read transaction and the
// target's write transaction.
type copier struct {
	src      queryer
	dst      txHandle
	postgres bool
	target   string
}

func (c copier) run(ctx context.Context, replace bool) (CopyResult, error) {
	before, err := readGeneration(ctx, c.dst)
	if err != nil {
		return CopyResult{}, fmt.Errorf("%s: %w", c.target, err)
	}
	held, err := c.heldRows(ctx)
	if err != nil {
		return CopyResult{}, err
	}
	if len(held) > 0 && !replace {
		return CopyResult{}, &TargetNotEmptyError{Location: c.target, Tables: held}
	}
	// The target's triggers stay on, as for any write: they stamp every
	// row with the copy's generation and record what --replace removes, so
	// that running checkers apply the copy like any other change (and hear
	// of it on PostgreSQL when it commits).
	if !c.postgres {
		restore, err := c.widenCache(ctx)
		if err != nil {
			return CopyResult{}, err
		}
		defer restore()
	}
	if replace {
		for _, t := range dataTables {
			if _, err := c.dst.ExecContext(ctx, "DELETE FROM "+t.name); err != nil {
				return CopyResult{}, fmt.Errorf("%s: empty table %s: %w", c.target, t.name, err)
			}
		}
	}
	for _, t := range dataTables {
		if err := c.copyTable(ctx, t); err != nil {
			return CopyResult{}, fmt.Errorf("copy table %s to %s: %w", t.name, c.target, err)
		}
	}
	srcGen, err := readGeneration(ctx, c.src)
	if err != nil {
		return CopyResult{}, fmt.Errorf("source: %w", err)
	}
	gen, err := c.finishGeneration(ctx, max(before+1, srcGen))
	if err != nil {
		return CopyResult{}, fmt.Errorf("%s: %w", c.target, err)
	}
	if c.postgres {
		if err := c.advanceIdentities(ctx); err != nil {
			return CopyResult{}, err
		}
	}
	counts, err := compareDumps(ctx, c.src, c.dst)
	if err != nil {
		return CopyResult{}, fmt.Errorf("verify the copy to %s: %w; nothing was copied", c.target, err)
	}
	return CopyResult{Tables: counts, Generation: gen}, nil
}

// copyCacheKiB is SQLite's page cache for the copy's connection. A copy
// writes every table's indexes in one transaction; with SQLite's default
// 2 MiB they no longer fit, and pages go back and forth to the WAL.
const copyCacheKiB = 256 << 10

// widenCache gives the target's SQLite connection a page cache the size of
// a large store for the copy, and returns how to restore the one it had.
// The cache holds only the pages a copy touches.
func (c copier) widenCache(ctx context.Context) (restore func(), err error) {
	var was int64
	if err := c.dst.QueryRowContext(ctx, "PRAGMA cache_size").Scan(&was); err != nil {
		return nil, fmt.Errorf("%s: %w", c.target, err)
	}
	if _, err := c.dst.ExecContext(ctx, fmt.Sprintf("PRAGMA cache_size = %d", -copyCacheKiB)); err != nil {
		return nil, fmt.Errorf("%s: %w", c.target, err)
	}
	return func() { c.dst.ExecContext(context.Background(), fmt.Sprintf("PRAGMA cache_size = %d", was)) }, nil
}

// heldRows counts the rows of each data table of the target that has any.
func (c copier) heldRows(ctx context.Context) ([]TableCount, error) {
	var held []TableCount
	for _, t := range dataTables {
		var n int64
		if err := c.dst.QueryRowContext(ctx, "SELECT count(*) FROM "+t.name).Scan(&n); err != nil {
			return nil, fmt.Errorf("%s: count table %s: %w", c.target, t.name, err)
		}
		if n > 0 {
			held = append(held, TableCount{Table: t.name, Rows: n})
		}
	}
	return held, nil
}

// copyTable inserts every row of t from the source, in key order and in
// chunks of copyChunkRows.
func (c copier) copyTable(ctx context.Context, t dataTable) error {
	r, err := readTable(ctx, c.src, t)
	if err != nil {
		return err
	}
	defer r.close()
	width := len(t.columns)
	args := make([]any, 0, copyChunkRows*width)
	fullChunk := insertRows(t, copyChunkRows)
	flush := func() error {
		n := len(args) / width
		if n == 0 {
			return nil
		}
		query := fullChunk
		if n != copyChunkRows {
			query = insertRows(t, n)
		}
		_, err := c.dst.ExecContext(ctx, query, args...)
		args = args[:0]
		return err
	}
	for {
		ok, err := r.next()
		if err != nil {
			return err
		}
		if !ok {
			return flush()
		}
		for i := range r.cells {
			if err := c.holdable(t, i, &r.cells[i]); err != nil {
				return err
			}
			args = append(args, r.cells[i].value())
		}
		if len(args) == cap(args) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
}

// holdable refuses, in words, a text value that the target cannot hold: a
// SQLite store written by an older flowgate may keep bytes PostgreSQL's
// text refuses (invalid UTF-8 or a NUL byte, such as a path requested
// before schema 3 in the call log), which would otherwise fail the copy
// with only PostgreSQL's "invalid byte sequence".
func (c copier) holdable(t dataTable, column int, v *cell) error {
	if !c.postgres || v.kind != textCol || v.null || postgresDialect.canHold(v.s) {
		return nil
	}
	return fmt.Errorf("a row's %s holds %s, which PostgreSQL's text cannot store "+
		"(invalid UTF-8 or a NUL byte); nothing was copied: correct or delete that row in the source first",
		t.columns[column].name, quoteShort(v.s))
}

// quoteShort is s quoted, cut to its first 80 bytes when longer.
func quoteShort(s string) string {
	const most = 80
	if len(s) > most {
		return strconv.Quote(s[:most]) + "…"
	}
	return strconv.Quote(s)
}

// insertRows is an INSERT of n rows of t's columns.
func insertRows(t dataTable, n int) string {
	row := "(" + strings.Repeat("?, ", len(t.columns)-1) + "?)"
	var b strings.Builder
	b.WriteString("INSERT INTO " + t.name + " (" + t.columnList() + ") VALUES ")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}
