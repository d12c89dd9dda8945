package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"flowgate/importer"
	"flowgate/model"
	"flowgate/store"
)

// fixtures are the import inputs, kept beside the parser in importer.
var fixtures, _ = filepath.Abs(filepath.Join("..", "..", "importer", "testdata"))

// runImportCLI runs the binary inside the fixtures folder, so file names in
// the output and the change trail read as a user would type them.
func runImportCLI(t *testing.T, db string, args ...string) cliResult {
	t.Helper()
	return runCLIIn(t, fixtures, db, args...)
}

func mustImport(t *testing.T, db string, args ...string) string {
	t.Helper()
	r := runImportCLI(t, db, append([]string{"import"}, args...)...)
	require.Equal(t, 0, r.Code, "import %v: stderr %q", args, r.Stderr)
	assert.Empty(t, r.Stderr)
	return r.Stdout
}

const firstImportPlan = `+ new        archive-customer: scheduled (auth admin kept, no effect while not public), POST
+ new        cancel-order: open, auth none, POST (auth from the old checkbox)
+ new        export-ledger: admins, auth admin, GET
+ new        list-invoices: users, auth user, GET (auth from the old checkbox)
+ new        nightly-cleanup: scheduled (auth none kept, no effect while not public), POST, ignores privacy rules (auth from the old checkbox)
+ new        refund-payment: admins, auth admin, POST, ignores privacy rules
+ new        refund-status: admins, auth admin, GET
+ new        send-invoice: users, auth user, POST (auth from the old checkbox)
+ new        send-reminder: users, auth user, POST (auth from the old checkbox)
+ new        signup: open, auth none, POST, ignores privacy rules (auth from the old checkbox)
+ new        stripe-webhook: open, auth none, POST (auth from the old checkbox)
`

func TestImportPrintsPlanAndProofAndRecordsTheFile(t *testing.T) {
	db := tempDB(t)
	out := mustImport(t, db, "app-export.json", "elements")
	assert.Equal(t, firstImportPlan+
		"plan: 11 new, 0 changed, 0 unchanged\n"+
		"behaviour preserved: 11 workflows × 30 cases\n", out)

	var list []map[string]any
	decodeJSON(t, mustRun(t, db, "list", "--json"), &list)
	require.Len(t, list, 11, "the .cache folder and the helper script are not read")
	var listInvoices map[string]any
	decodeJSON(t, mustRun(t, db, "show", "list-invoices", "--json"), &listInvoices)
	assert.Equal(t, "GET", listInvoices["method"])
	assert.Equal(t, []any{
		map[string]any{"key": "status", "type": "text", "in": "query", "is_list": true, "optional": true},
		map[string]any{"key": "page", "type": "number", "in": "query", "is_list": false, "optional": false},
		map[string]any{"key": "sort", "type": "text", "in": "query", "is_list": false, "optional": true},
	}, listInvoices["parameters"])

	var trail []map[string]any
	decodeJSON(t, mustRun(t, db, "history", "cancel-order", "--json"), &trail)
	require.Len(t, trail, 1)
	assert.Equal(t, "import", trail[0]["source"])
	assert.Equal(t, filepath.Join("elements", "cancel-order.js"), trail[0]["detail"])
	decodeJSON(t, mustRun(t, db, "history", "refund-payment", "--json"), &trail)
	assert.Equal(t, "app-export.json", trail[0]["detail"])
}

func TestImportTwiceChangesNothingTheSecondTime(t *testing.T) {
	db := tempDB(t)
	mustImport(t, db, "app-export.json", "elements")
	before := mustRun(t, db, "history", "--json")
	out := mustImport(t, db, "elements", "app-export.json")
	assert.Contains(t, out, "= unchanged  archive-customer\n")
	assert.Contains(t, out, "plan: 0 new, 0 changed, 11 unchanged\nbehaviour preserved: 11 workflows × 30 cases\n")
	assert.Equal(t, before, mustRun(t, db, "history", "--json"), "not one change row")
}

func TestImportDryRunWritesNothing(t *testing.T) {
	db := tempDB(t)
	out := mustImport(t, db, "--dry-run", "app-export.json", "elements")
	assert.Equal(t, firstImportPlan+
		"plan: 11 new, 0 changed, 0 unchanged — dry run, nothing written\n"+
		"behaviour preserved: 11 workflows × 30 cases\n", out)
	_, err := os.Stat(db)
	assert.True(t, errors.Is(err, os.ErrNotExist), "a dry run does not even create the database")

	mustImport(t, db, "meta.json")
	mustRun(t, db, "set", "signup", "--auth", "user")
	before := mustRun(t, db, "export")
	history := mustRun(t, db, "history", "--json")
	for _, policy := range []string{"fail", "skip", "replace"} {
		r := runImportCLI(t, db, "import", "--dry-run", "--on-conflict", policy, "app-export.json")
		assert.Contains(t, r.Stdout, "~ changed    signup", policy)
		assert.Contains(t, r.Stdout, "dry run, nothing written", policy)
	}
	assert.Equal(t, before, mustRun(t, db, "export"))
	assert.Equal(t, history, mustRun(t, db, "history", "--json"))
}

func TestImportOnConflict(t *testing.T) {
	db := tempDB(t)
	mustImport(t, db, "app-export.json")
	mustRun(t, db, "set", "signup", "--auth", "user", "--description", "hand edit")
	mustRun(t, db, "set", "refund-payment", "--ignore-privacy-rules=false")
	edited := mustRun(t, db, "export")

	// fail (the default): the differences are listed, nothing is written.
	r := runImportCLI(t, db, "import", "app-export.json", "elements")
	assert.Equal(t, 1, r.Code)
	assert.Contains(t, r.Stdout, "+ new        cancel-order")
	assert.Contains(t, r.Stdout, "~ changed    refund-payment (conflict)\n               ignore_privacy_rules: false → true\n")
	assert.Contains(t, r.Stdout, "~ changed    signup (conflict)\n"+
		"               auth: user → none\n"+
		"               description: \"hand edit\" → \"Sign a new user up\"\n"+
		"               auth_migrated: false → true\n")
	assert.Contains(t, r.Stdout, "plan: 3 new, 2 changed, 6 unchanged\n")
	assert.Equal(t, "flowgate: 2 existing workflows already have different settings (refund-payment, signup); nothing written: "+
		"re-run with --on-conflict skip to keep them or --on-conflict replace to overwrite them\n", r.Stderr)
	assert.Equal(t, edited, mustRun(t, db, "export"), "not even the new workflows were written")

	// skip: new workflows are written, the changed ones kept as they are.
	out := mustImport(t, db, "--on-conflict", "skip", "app-export.json", "elements")
	assert.Contains(t, out, "~ changed    signup (kept as it is: --on-conflict skip)\n")
	assert.Contains(t, out, "plan: 3 new, 2 changed, 6 unchanged (2 changed kept as they are)\n")
	var signup map[string]any
	decodeJSON(t, mustRun(t, db, "show", "signup", "--json"), &signup)
	assert.Equal(t, "user", signup["auth"])
	assert.Equal(t, "hand edit", signup["description"])
	mustRun(t, db, "show", "cancel-order")

	// replace: the changed ones take the imported settings.
	out = mustImport(t, db, "--on-conflict", "replace", "app-export.json", "elements")
	assert.Contains(t, out, "~ changed    signup\n               auth: user → none\n")
	assert.Contains(t, out, "plan: 0 new, 2 changed, 9 unchanged\n")
	decodeJSON(t, mustRun(t, db, "show", "signup", "--json"), &signup)
	assert.Equal(t, "none", signup["auth"])
	assert.Equal(t, "Sign a new user up", signup["description"])
	assert.Contains(t, mustImport(t, db, "app-export.json", "elements"), "plan: 0 new, 0 changed, 11 unchanged\n")
}

func TestExportImportExportIsIdentical(t *testing.T) {
	db := tempDB(t)
	mustImport(t, db, "app-export.json", "elements", "duplicates/three.json")
	mustImport(t, db, "meta.json")
	mustRun(t, db, "set", "signup", "--auth", "admin") // a confirmed, no longer migrated auth
	mustRun(t, db, "add", "notes", "--description", `quotes " and <tags> & ünïcode`)

	dir := t.TempDir()
	exported := filepath.Join(dir, "settings.json")
	out := mustRun(t, db, "export", "-o", exported)
	assert.Equal(t, "exported 15 workflows to "+exported+"\n", out)
	first, err := os.ReadFile(exported)
	require.NoError(t, err)

	fresh := filepath.Join(dir, "fresh.db")
	plan := mustRun(t, fresh, "import", exported)
	assert.Contains(t, plan, "plan: 15 new, 0 changed, 0 unchanged\nbehaviour preserved: 15 workflows × 30 cases\n")
	assert.Equal(t, string(first), mustRun(t, fresh, "export"))
	assert.Equal(t, mustRun(t, db, "review", "--json"), mustRun(t, fresh, "review", "--json"), "migrated marks survive too")
	assert.Contains(t, mustRun(t, db, "import", exported), "plan: 0 new, 0 changed, 15 unchanged\n")

	meta := mustRun(t, db, "export", "--format", "meta")
	assert.True(t, strings.HasPrefix(meta, "{\n  \"get\": [],\n  \"post\": [\n"), meta)
	assert.NotContains(t, meta, "nightly-cleanup")
	metaFile := filepath.Join(dir, "meta.json")
	require.NoError(t, os.WriteFile(metaFile, []byte(meta), 0o600))
	fromMeta := filepath.Join(dir, "from-meta.db")
	assert.Contains(t, mustRun(t, fromMeta, "import", metaFile), "behaviour preserved: 12 workflows × 30 cases\n")
	assert.Equal(t, meta, mustRun(t, fromMeta, "export", "--format", "meta"))
}

func TestImportBadInput(t *testing.T) {
	db := tempDB(t)
	r := runImportCLI(t, db, "import", "app-export.json", "bad-items.json", "malformed.json", "duplicates")
	assert.Equal(t, 2, r.Code)
	assert.Empty(t, r.Stdout)
	assert.Equal(t, strings.Join([]string{
		"flowgate: bad-items.json: APIEvent bTXaa: has no wf_name (the endpoint name), so it cannot be imported",
		`flowgate: bad-items.json: APIEvent bTXab: invalid workflow name "send invoice": character ' ' at position 5 is not allowed (use letters, digits, - or _)`,
		`flowgate: bad-items.json: APIEvent bTXac: auth_unecessary: unexpected value "yes" (want true, false or "admin_only")`,
		"flowgate: malformed.json: invalid JSON at line 5, column 50: invalid character '}' looking for beginning of object key string",
		`flowgate: app-export.json: APIEvent bTHaa: duplicate workflow name "send-invoice": also in duplicates/one.json (APIEvent dUPaa), duplicates/two.js (APIEvent dUPab)`,
		`flowgate: duplicates/one.json: APIEvent dUPaa: duplicate workflow name "send-invoice": also in app-export.json (APIEvent bTHaa), duplicates/two.js (APIEvent dUPab)`,
		`flowgate: duplicates/two.js: APIEvent dUPab: duplicate workflow name "Send-Invoice": also in app-export.json (APIEvent bTHaa), duplicates/one.json (APIEvent dUPaa)`,
		"flowgate: 7 invalid items; nothing written (fix them, or pass --skip-invalid to import the rest)",
		"",
	}, "\n"), r.Stderr)
	_, err := os.Stat(db)
	assert.True(t, errors.Is(err, os.ErrNotExist), "nothing written, not even an empty database")

	out := mustImport(t, db, "--skip-invalid", "app-export.json", "bad-items.json", "malformed.json", "duplicates")
	assert.True(t, strings.HasPrefix(out, "skipped 7 invalid items:\n  bad-items.json: APIEvent bTXaa: has no wf_name"), out)
	assert.Contains(t, out, "+ new        ok-workflow")
	assert.Contains(t, out, "+ new        resend-invoice")
	assert.NotContains(t, out, "+ new        send-invoice", "every copy of a duplicate is skipped")
	assert.Contains(t, out, "plan: 9 new, 0 changed, 0 unchanged, 7 invalid skipped\nbehaviour preserved: 9 workflows × 30 cases\n")

	for _, c := range []struct {
		args   []string
		stderr string
	}{
		{[]string{"import"}, "flowgate: expected at least one file or directory to import (usage: flowgate import PATH... [flags])\n"},
		{[]string{"import", "nope.json"}, "flowgate: cannot read nope.json: no such file or directory\n"},
		{[]string{"import", "--on-conflict", "merge", "meta.json"}, `flowgate: --on-conflict: invalid value "merge": use fail, skip or replace` + "\n"},
		{[]string{"import", "elements/page-checkout.json"}, "flowgate: no API workflows found in elements/page-checkout.json\n"},
		{[]string{"import", "--skip-invalid", "malformed.json"}, "flowgate: nothing left to import in malformed.json\n"},
		{[]string{"export", "--format", "yaml"}, `flowgate: --format: invalid value "yaml": use flowgate or meta` + "\n"},
		{[]string{"export", "-o", filepath.Join(t.TempDir(), "missing", "x.json")}, ""},
	} {
		r := runImportCLI(t, db, c.args...)
		assert.Equal(t, 2, r.Code, "%v", c.args)
		if c.stderr != "" {
			assert.Equal(t, c.stderr, r.Stderr, "%v", c.args)
		} else {
			assert.Contains(t, r.Stderr, "flowgate: cannot write ", "%v", c.args)
		}
	}
}

func TestImportedWorkflowsAreReviewedUntilAuthIsSet(t *testing.T) {
	db := tempDB(t)
	mustImport(t, db, "app-export.json")
	var review struct {
		Findings []struct{ Workflow, Severity, Message string } `json:"findings"`
	}
	findings := func() []string {
		decodeJSON(t, runCLI(t, db, "review", "--json").Stdout, &review)
		var out []string
		for _, f := range review.Findings {
			if f.Workflow == "stripe-webhook" || f.Workflow == "send-invoice" {
				out = append(out, f.Severity+" "+f.Workflow+": "+f.Message)
			}
		}
		return out
	}
	assert.Equal(t, []string{
		"medium stripe-webhook: anyone can run it without a token (public, None required): keep None required only for signup/login flows, otherwise require User and admin",
		"medium stripe-webhook: uses the shared-secret parameter `api_key`: make it Admin only and drop the parameter",
		"info send-invoice: Authentication User and admin was derived from the old checkbox: confirm the choice",
		"info stripe-webhook: Authentication None required was derived from the old checkbox: confirm the choice",
	}, findings())

	mustRun(t, db, "set", "send-invoice", "--auth", "user") // the same value, confirmed
	mustRun(t, db, "set", "stripe-webhook", "--auth", "admin")
	assert.Empty(t, findings())
	r := runImportCLI(t, db, "import", "app-export.json")
	assert.Equal(t, 1, r.Code)
	assert.Contains(t, r.Stdout, "= unchanged  send-invoice\n")
	assert.Contains(t, r.Stdout, "~ changed    stripe-webhook (conflict)\n               auth: admin → none\n",
		"the confirmation is not silently undone")
	assert.Empty(t, findings())
}

// TestImportRefusesWhenTheMappingIsBroken runs the command's own import
// path with a deliberately wrong checkbox mapping (checked read as User and
// admin, unchecked as None required): the proof must list the cases and
// nothing may be written.
func TestImportRefusesWhenTheMappingIsBroken(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixtures, "app-export.json"))
	require.NoError(t, err)
	items, problems := importer.Parse("app-export.json", data)
	require.Empty(t, problems)
	for i, it := range items {
		if checked, isBool := it.Source.Auth.(bool); isBool {
			items[i].Workflow.Auth = model.LegacyAuth(!checked)
		}
	}
	db := tempDB(t)
	mustRun(t, db, "add", "existing")
	before := mustRun(t, db, "history", "--json")

	for _, policy := range []string{conflictFail, conflictSkip, conflictReplace} {
		var out bytes.Buffer
		err = importInto(context.Background(), db, items, importOptions{onConflict: policy}, &out)
		var exit *exitError
		require.True(t, errors.As(err, &exit), "%v", err)
		assert.Equal(t, 1, exit.code)
		assert.Equal(t, "import refused: the imported settings would answer calls to 4 workflows differently "+
			"(send-invoice, signup, stripe-webhook, nightly-cleanup); nothing written", err.Error())
		assert.Contains(t, out.String(), "behaviour NOT preserved: 4 cases differ:\n"+
			"  send-invoice (app-export.json): credential none, POST: before deny 401 missing_token, after import allow 200\n"+
			"  signup (app-export.json): credential none, POST: before allow 200, after import deny 401 missing_token\n")
		assert.Contains(t, out.String(), "nightly-cleanup (app-export.json): credential none, POST, if exposed: before allow 200, after import deny 401 missing_token\n")
		assert.NotContains(t, out.String(), "behaviour preserved")
	}
	assert.Equal(t, before, mustRun(t, db, "history", "--json"))
	s, err := store.Open(db)
	require.NoError(t, err)
	defer s.Close()
	ws, err := s.ListWorkflows(context.Background())
	require.NoError(t, err)
	require.Len(t, ws, 1)
	assert.Equal(t, "existing", ws[0].Name)
}

func TestImportRefusesControlCharactersInDescriptionsPerItem(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "export.json"), []byte(`{"flowgate_export": 1, "workflows": [
		{"name": "good", "public": true, "auth": "user", "method": "POST", "description": "fine", "parameters": []},
		{"name": "bad", "public": true, "auth": "user", "method": "POST", "description": "d\u001b[2Jx", "parameters": []}]}`), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "bubble.json"), []byte(`{"api": {
		"bXaa": {"type": "APIEvent", "id": "bXaa", "name": "evil\u009b2J", "properties": {"wf_name": "evil", "expose": true}}}}`), 0o600))
	db := filepath.Join(dir, "flowgate.db")
	r := runCLIIn(t, dir, db, "import", "export.json", "bubble.json")
	assert.Equal(t, 2, r.Code)
	assert.Equal(t, "flowgate: export.json: workflows[1] bad: workflow bad: invalid description: control character U+001B at position 2 is not allowed (use printable text on one line)\n"+
		"flowgate: bubble.json: APIEvent bXaa: workflow evil: invalid description: control character U+009B at position 5 is not allowed (use printable text on one line)\n"+
		"flowgate: 2 invalid items; nothing written (fix them, or pass --skip-invalid to import the rest)\n", r.Stderr)
	assert.NoFileExists(t, db)

	r = runCLIIn(t, dir, db, "import", "--skip-invalid", "export.json", "bubble.json")
	require.Equal(t, 0, r.Code, r.Stderr)
	var list []struct{ Name, Description string }
	decodeJSON(t, mustRun(t, db, "list", "--json"), &list)
	assert.Equal(t, []struct{ Name, Description string }{{"good", "fine"}}, list)
}
