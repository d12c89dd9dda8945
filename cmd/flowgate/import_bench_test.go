package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flowgate/importer"
)

// benchAppExport writes a Bubble app export of about 300 KB: n APIEvents
// with parameters and actions, beside page elements, as real exports have.
func benchAppExport(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"_id": "bench", "api": {`)
	auths := []string{`"auth_unecessary": true, `, `"auth_unecessary": false, `, `"auth_unecessary": "admin_only", `, ``}
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `
  "bT%04[1]d": {"type": "APIEvent", "id": "bT%04[1]d", "name": "Workflow number %[1]d",
    "properties": {"wf_name": "workflow-%04[1]d", "expose": %[2]t, %[3]s"trigger_option": "%[4]s",
      "ignore_privacy_rules": {"type": "Empty"},
      "parameters": {"0": {"key": "id", "value": "text", "in_url": %[5]t, "optional": {"type": "Empty"}},
        "1": {"key": "amount", "value": "number", "is_list": false, "optional": true},
        "2": {"key": "tags", "value": "text", "is_list": true, "optional": true}}},
    "actions": {"0": {"type": "NewThing", "id": "bA%04[1]d", "properties": {"thing_type": "custom.invoice", "fields": {"amount": "amount", "status": "paid"}}}}}`,
			i, i%5 != 0, auths[i%4], []string{"post", "get"}[i%2], i%2 == 1)
	}
	b.WriteString("},\n\"pages\": {\"index\": {\"type\": \"Page\", \"elements\": {")
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `
  "pg%04[1]d": {"type": "Group", "id": "pg%04[1]d", "properties": {"container_layout": "column", "min_width_css": "320px"},
    "elements": {"t": {"type": "Text", "id": "tx%04[1]d", "properties": {"text": "Some label on the page"}}}}`, i)
	}
	b.WriteString("}}}}\n")
	return []byte(b.String())
}

// benchWorkflows makes benchAppExport about 300 KB.
const benchWorkflows = 333

// BenchmarkImport300KBIntoEmptyDB is the whole import as `flowgate import`
// runs it after reading the file: parse, plan, prove, then create every
// workflow and its change row in one transaction in a new database.
func BenchmarkImport300KBIntoEmptyDB(b *testing.B) {
	data := benchAppExport(benchWorkflows)
	dir := b.TempDir()
	b.SetBytes(int64(len(data)))
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		items, problems := importer.Parse("bench.json", data)
		if len(problems) > 0 || len(items) != benchWorkflows {
			b.Fatalf("%d items, problems %v", len(items), problems)
		}
		db := filepath.Join(dir, fmt.Sprintf("%d.db", i))
		if err := importInto(ctx, db, items, importOptions{onConflict: conflictFail}, io.Discard); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(db + suffix)
		}
		b.StartTimer()
	}
}

// BenchmarkImport300KBAgain re-imports the same document: every workflow
// is compared and found unchanged, and nothing is written.
func BenchmarkImport300KBAgain(b *testing.B) {
	data := benchAppExport(benchWorkflows)
	db := filepath.Join(b.TempDir(), "again.db")
	items, _ := importer.Parse("bench.json", data)
	ctx := context.Background()
	if err := importInto(ctx, db, items, importOptions{onConflict: conflictFail}, io.Discard); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		items, _ := importer.Parse("bench.json", data)
		if err := importInto(ctx, db, items, importOptions{onConflict: conflictFail}, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
