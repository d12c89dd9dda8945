package store

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A canonical dump is every data row of a store as text, one line per row,
// table by table in a fixed order, each table's rows ordered by its primary
// key, each value rendered the same way whichever backend holds it. Two
// stores hold the same data exactly when their dumps are byte-identical:
// that is how `flowgate copy-store` proves a copy (SQLite to PostgreSQL or
// back) lost nothing, not even a nanosecond of a timestamp.
//
// Values are rendered as integers in decimal, text as a quoted Go string
// (so invalid UTF-8, control characters and trailing spaces all show),
// bytes as x'…' in lower-case hex, and NULL as NULL, distinct from an empty
// text or empty bytes.

// colKind is how a column's values are read and rendered.
type colKind int

const (
	intCol colKind = iota
	textCol
	blobCol
)

// dumpColumn is one column of a data table.
type dumpColumn struct {
	name string
	kind colKind
}

// dataTable is a table that holds settings, history or counts: what a
// dump shows and a copy carries.
type dataTable struct {
	name    string
	columns []dumpColumn
	// key is the primary key, which orders the rows.
	key []string
}

func cols(kind colKind, names ...string) []dumpColumn {
	out := make([]dumpColumn, len(names))
	for i, n := range names {
		out[i] = dumpColumn{n, kind}
	}
	return out
}

func concat(parts ...[]dumpColumn) []dumpColumn {
	var out []dumpColumn
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// dataTables are every data table of the schema, each with every data
// column, in the order a dump lists them. A table or column added by a
// later schema step must be added here or to the bookkeeping below; a
// test compares this list with both backends' schemas.
var dataTables = []dataTable{
	{name: "workflows", key: []string{"id"}, columns: concat(
		cols(intCol, "id"), cols(textCol, "name"), cols(intCol, "public"), cols(textCol, "auth"),
		cols(intCol, "ignore_privacy_rules"), cols(textCol, "method", "description", "parameters"),
		cols(intCol, "auth_migrated", "version"), cols(textCol, "created_at", "updated_at"))},
	{name: "changes", key: []string{"id"}, columns: concat(
		cols(intCol, "id"), cols(textCol, "at"), cols(intCol, "workflow_id"),
		cols(textCol, "workflow", "field", "old_value", "new_value", "source", "detail", "subject_kind", "subject_id", "actor"),
		cols(intCol, "generation"), cols(textCol, "os_user"))},
	{name: "tokens", key: []string{"id"}, columns: concat(
		cols(textCol, "id", "name", "kind", "user_id", "prefix"), cols(blobCol, "hash"),
		cols(textCol, "created_at", "expires_at", "revoked_at", "workflows", "files"), cols(blobCol, "previous_hash"),
		cols(textCol, "previous_until", "last_used_at"))},
	{name: "file_prefixes", key: []string{"prefix"}, columns: cols(textCol, "prefix", "description", "created_at")},
	{name: "links", key: []string{"id"}, columns: concat(
		cols(textCol, "id", "name", "path"), cols(blobCol, "hash"),
		cols(textCol, "created_at", "expires_at", "last_used_at", "revoked_at"))},
	{name: "calls", key: []string{"minute", "workflow", "token_id", "link_id", "status", "code", "via"}, columns: concat(
		cols(intCol, "minute"), cols(textCol, "workflow", "token_id", "link_id"), cols(intCol, "status"),
		cols(textCol, "code", "via"), cols(intCol, "count"), cols(textCol, "first_at", "last_at", "last_remote"))},
	{name: "waivers", key: []string{"rule", "subject_kind", "subject_id"},
		columns: cols(textCol, "rule", "subject_kind", "subject_id", "reason", "created_at", "expires_at", "actor", "os_user")},
}

// bookkeepingTables hold no data of their own: the schema version, the
// generation counter, and what incremental reloads read (tombstones of
// removed keys). A copy leaves them to the target, whose generation moves
// forward so that its readers reload.
var bookkeepingTables = []string{"meta", "flowgate_schema", "tombstones"}

// bookkeepingColumns are columns of data tables that are not data: gen,
// the generation at which a row last changed, belongs to the store that
// wrote it (its triggers stamp it).
var bookkeepingColumns = []string{"gen"}

// columnList is the table's columns, comma-separated, for SELECT and
// INSERT.
func (t dataTable) columnList() string {
	names := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

// selectAll reads every row in key order.
func (t dataTable) selectAll() string {
	return "SELECT " + t.columnList() + " FROM " + t.name + " ORDER BY " + strings.Join(t.key, ", ")
}

// cell holds one value read from a data table, as the column's kind
// expects it; it refuses a value of another type (an integer column that
// holds text, say), so that a dump never renders two different values
// alike.
type cell struct {
	kind colKind
	null bool
	i    int64
	s    string
	b    []byte
}

// Scan implements sql.Scanner.
func (c *cell) Scan(src any) error {
	c.null, c.i, c.s, c.b = false, 0, "", nil
	switch v := src.(type) {
	case nil:
		c.null = true
		return nil
	case int64:
		if c.kind == intCol {
			c.i = v
			return nil
		}
	case string:
		if c.kind == textCol {
			c.s = v
			return nil
		}
	case []byte:
		switch c.kind {
		case blobCol:
			c.b = append([]byte{}, v...) // the driver may reuse v
			return nil
		case textCol:
			c.s = string(v)
			return nil
		}
	}
	return fmt.Errorf("a value of type %T where the schema has %s", src, c.kind)
}

func (k colKind) String() string {
	return [...]string{intCol: "an integer", textCol: "text", blobCol: "bytes"}[k]
}

// value is the cell as an argument to insert it verbatim.
func (c *cell) value() any {
	switch {
	case c.null:
		return nil
	case c.kind == intCol:
		return c.i
	case c.kind == textCol:
		return c.s
	}
	return c.b
}

// appendCanonical appends the cell's canonical rendering.
func (c *cell) appendCanonical(buf []byte) []byte {
	switch {
	case c.null:
		return append(buf, "NULL"...)
	case c.kind == intCol:
		return strconv.AppendInt(buf, c.i, 10)
	case c.kind == textCol:
		return strconv.AppendQuote(buf, c.s)
	}
	buf = append(buf, "x'"...)
	buf = hex.AppendEncode(buf, c.b)
	return append(buf, '\'')
}

// tableRows reads one data table's rows in key order.
type tableRows struct {
	table dataTable
	rows  *sql.Rows
	cells []cell
	dest  []any
	line  []byte
}

func readTable(ctx context.Context, q queryer, t dataTable) (*tableRows, error) {
	rows, err := q.QueryContext(ctx, t.selectAll())
	if err != nil {
		return nil, fmt.Errorf("read table %s: %w", t.name, err)
	}
	r := &tableRows{table: t, rows: rows, cells: make([]cell, len(t.columns)), dest: make([]any, len(t.columns))}
	for i := range r.cells {
		r.cells[i].kind = t.columns[i].kind
		r.dest[i] = &r.cells[i]
	}
	return r, nil
}

// next reads the next row into cells, reporting false at the end (or on
// an error, which err then returns).
func (r *tableRows) next() (bool, error) {
	if !r.rows.Next() {
		return false, r.err()
	}
	if err := r.rows.Scan(r.dest...); err != nil {
		return false, fmt.Errorf("read table %s: %w", r.table.name, err)
	}
	return true, nil
}

func (r *tableRows) err() error {
	if err := r.rows.Err(); err != nil {
		return fmt.Errorf("read table %s: %w", r.table.name, err)
	}
	return nil
}

func (r *tableRows) close() { r.rows.Close() }

// canonical is the current row's dump line, without its newline; it is
// valid until the next call.
func (r *tableRows) canonical() []byte {
	buf := append(r.line[:0], r.table.name...)
	for i := range r.cells {
		buf = append(buf, ' ')
		buf = r.cells[i].appendCanonical(buf)
	}
	r.line = buf
	return buf
}

// dumpHeader is the line that starts a table's part of a dump.
func dumpHeader(t dataTable) string {
	return "table " + t.name + " (" + t.columnList() + ")"
}

// Dump writes the store's canonical dump to w: every data table (settings,
// history, tokens as hashes, links, waivers, call counts), read in one read
// transaction. A SQLite and a PostgreSQL store holding the same data give
// byte-identical dumps; bookkeeping (schema version, generation counters)
// is left out.
func (s *Store) Dump(ctx context.Context, w io.Writer) error {
	conn, err := s.beginRead(ctx)
	if err != nil {
		return err
	}
	defer conn.end()
	bw := bufio.NewWriter(w)
	for _, t := range dataTables {
		if err := dumpTable(ctx, conn, t, bw); err != nil {
			return fmt.Errorf("%s: dump: %w", s.path, err)
		}
	}
	return bw.Flush()
}

func dumpTable(ctx context.Context, q queryer, t dataTable, w *bufio.Writer) error {
	fmt.Fprintln(w, dumpHeader(t))
	r, err := readTable(ctx, q, t)
	if err != nil {
		return err
	}
	defer r.close()
	for {
		ok, err := r.next()
		if !ok {
			return err
		}
		w.Write(r.canonical())
		if err := w.WriteByte('\n'); err != nil {
			return err
		}
	}
}

// readConn is a reserved connection inside a read transaction that sees
// one instant of the database.
type readConn struct {
	connHandle
}

// beginRead reserves a connection and begins a read transaction on it
// (see ReadSnapshot); end finishes both.
func (s *Store) beginRead(ctx context.Context) (readConn, error) {
	conn, err := s.conn().Conn(ctx)
	if err != nil {
		return readConn{}, fmt.Errorf("%s: begin read: %w", s.path, err)
	}
	if _, err := conn.ExecContext(ctx, s.dialect.beginRead()); err != nil {
		conn.Close()
		return readConn{}, fmt.Errorf("%s: begin read: %w", s.path, err)
	}
	return readConn{conn}, nil
}

func (c readConn) end() {
	c.ExecContext(context.Background(), "ROLLBACK")
	c.Close()
}

// DumpMismatchError reports two stores whose dumps differ: the table, the
// row number (from 1, in key order) and the first differing line of each
// ("" where one store has no more rows).
type DumpMismatchError struct {
	Table  string
	Row    int64
	Source string
	Target string
}

func (e *DumpMismatchError) Error() string {
	show := func(line string) string {
		if line == "" {
			return "no such row"
		}
		return line
	}
	return fmt.Sprintf("the stores differ in table %s at row %d: source has %s, target has %s",
		e.Table, e.Row, show(e.Source), show(e.Target))
}

// compareDumps compares the dumps of two stores table by table, row by
// row, without holding either in memory, and counts each table's rows. It
// returns a *DumpMismatchError at the first difference.
func compareDumps(ctx context.Context, source, target queryer) ([]TableCount, error) {
	counts := make([]TableCount, 0, len(dataTables))
	for _, t := range dataTables {
		n, err := compareTable(ctx, source, target, t)
		if err != nil {
			return nil, err
		}
		counts = append(counts, TableCount{Table: t.name, Rows: n})
	}
	return counts, nil
}

func compareTable(ctx context.Context, source, target queryer, t dataTable) (int64, error) {
	a, err := readTable(ctx, source, t)
	if err != nil {
		return 0, fmt.Errorf("source: %w", err)
	}
	defer a.close()
	b, err := readTable(ctx, target, t)
	if err != nil {
		return 0, fmt.Errorf("target: %w", err)
	}
	defer b.close()
	for row := int64(1); ; row++ {
		okA, err := a.next()
		if err != nil {
			return 0, fmt.Errorf("source: %w", err)
		}
		okB, err := b.next()
		if err != nil {
			return 0, fmt.Errorf("target: %w", err)
		}
		var lineA, lineB []byte
		if okA {
			lineA = a.canonical()
		}
		if okB {
			lineB = b.canonical()
		}
		if okA != okB || !bytes.Equal(lineA, lineB) {
			return 0, &DumpMismatchError{Table: t.name, Row: row, Source: string(lineA), Target: string(lineB)}
		}
		if !okA {
			return row - 1, nil
		}
	}
}
