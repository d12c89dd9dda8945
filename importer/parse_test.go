package importer

import (
	"os"
	"path/filepath"
	"testing"

	"flowgate/model"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// parseFixture parses one file under testdata and fails the test on
// any problem.
func parseFixture(t *testing.T, name string) []Item {
	t.Helper()
	items, problems := parseFixtureWithProblems(t, name)
	require.Empty(t, problems)
	return items
}

func parseFixtureWithProblems(t *testing.T, name string) ([]Item, []string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	items, problems := Parse(name, data)
	var lines []string
	for _, p := range problems {
		lines = append(lines, p.String())
	}
	return items, lines
}

// settings is a workflow's settings in one readable line.
func settings(w model.Workflow) string {
	s := w.Name + " public=" + boolText(w.Public) + " auth=" + string(w.Auth) + " method=" + string(w.Method) +
		" privacy_ignored=" + boolText(w.IgnorePrivacyRules) + " migrated=" + boolText(w.AuthMigrated) +
		" params=[" + model.ParametersText(w.Parameters) + "] desc=" + w.Description
	return s
}

func boolText(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func allSettings(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, settings(it.Workflow))
	}
	return out
}

func TestParseAppExportFindsNestedAPIEvents(t *testing.T) {
	items := parseFixture(t, "app-export.json")
	assert.Equal(t, []string{
		"send-invoice public=yes auth=user method=POST privacy_ignored=no migrated=yes params=[invoice_id:text@body, cc:text@body[]?] desc=Send an invoice by email",
		"signup public=yes auth=none method=POST privacy_ignored=yes migrated=yes params=[email:text@body, password:text@body] desc=Sign a new user up",
		"stripe-webhook public=yes auth=none method=POST privacy_ignored=no migrated=yes params=[api_key:text@body, payload:text@body] desc=Stripe webhook",
		"nightly-cleanup public=no auth=none method=POST privacy_ignored=yes migrated=yes params=[none] desc=Nightly cleanup",
		"list-invoices public=yes auth=user method=GET privacy_ignored=no migrated=yes params=[status:text@query[]?, page:number@query, sort:text@query?] desc=List invoices",
		"export-ledger public=yes auth=admin method=GET privacy_ignored=no migrated=no params=[none] desc=Export the ledger",
		"archive-customer public=no auth=admin method=POST privacy_ignored=no migrated=no params=[none] desc=",
		"refund-payment public=yes auth=admin method=POST privacy_ignored=yes migrated=no params=[payment_id:custom.payment@body] desc=Refund a payment",
	}, allSettings(items))
	assert.Equal(t, "APIEvent bTHah", items[7].Ref, "found inside api_folders.billing.events[0]")
	for _, it := range items {
		assert.Equal(t, "app-export.json", it.File)
		assert.Equal(t, FormatBubble, it.Format)
	}
}

func TestParseSingleElementFiles(t *testing.T) {
	assert.Equal(t, []string{
		"send-reminder public=yes auth=user method=POST privacy_ignored=no migrated=yes params=[invoice_id:text@body] desc=Send a payment reminder",
	}, allSettings(parseFixture(t, "elements/send-reminder.json")))
	assert.Equal(t, []string{
		"refund-status public=yes auth=admin method=GET privacy_ignored=no migrated=no params=[refund_id:text@query] desc=Refund status",
	}, allSettings(parseFixture(t, "elements/billing/refund-status.json")))
	assert.Empty(t, parseFixture(t, "elements/page-checkout.json"), "a page element holds no workflow and is no problem")
}

func TestParseJavaScriptModule(t *testing.T) {
	data, err := os.ReadFile("testdata/elements/cancel-order.js")
	require.NoError(t, err)
	assert.True(t, IsJSModule(data))
	assert.Equal(t, []string{
		"cancel-order public=yes auth=none method=POST privacy_ignored=no migrated=yes params=[order_id:text@body, secret:text@body] desc=Cancel an order",
	}, allSettings(parseFixture(t, "elements/cancel-order.js")))

	helper, err := os.ReadFile("testdata/elements/helpers.js")
	require.NoError(t, err)
	assert.False(t, IsJSModule(helper), "a plain script is not an element module")

	items, problems := Parse("default.js", []byte("export default {\"type\": \"APIEvent\", \"properties\": {\"wf_name\": \"ping\"}}\n"))
	assert.Empty(t, problems)
	require.Len(t, items, 1)
	assert.Equal(t, "ping", items[0].Workflow.Name)
}

func TestParseMetaWithAllThreeCheckboxValues(t *testing.T) {
	items := parseFixture(t, "meta.json")
	assert.Equal(t, []string{
		"signup public=yes auth=none method=POST privacy_ignored=no migrated=yes params=[email:text@body, password:text@body] desc=",
		"list-orders public=yes auth=user method=GET privacy_ignored=no migrated=yes params=[page:number@query?, status:text@query?] desc=",
		"export-ledger public=yes auth=admin method=GET privacy_ignored=no migrated=no params=[none] desc=",
		"send-receipt public=yes auth=user method=POST privacy_ignored=no migrated=yes params=[order_id:text@body] desc=",
	}, allSettings(items))
	assert.Equal(t, "post[2] export-ledger", items[2].Ref)
	assert.Equal(t, FormatMeta, items[0].Format)
}

func TestParseMalformedJSONSaysWhere(t *testing.T) {
	items, problems := parseFixtureWithProblems(t, "malformed.json")
	assert.Empty(t, items)
	assert.Equal(t, []string{
		"malformed.json: invalid JSON at line 5, column 50: invalid character '}' looking for beginning of object key string",
	}, problems)

	cases := map[string]string{
		"":               "the file is empty, not JSON",
		"{\"a\": [1, 2}": "invalid JSON at line 1, column 12: invalid character '}' after array element",
		"{\"a\": 1":      "invalid JSON at line 1, column 8: unexpected end of JSON input",
		"{} {}":          "invalid JSON at line 1, column 4: invalid character '{' after top-level value",
		"// x\nexport const y = {\n  \"é\": ,\n};": "invalid JSON at line 3, column 8: invalid character ',' looking for beginning of value",
	}
	for input, want := range cases {
		_, problems := Parse("f.json", []byte(input))
		require.Len(t, problems, 1, input)
		assert.Equal(t, "f.json: "+want, problems[0].String(), input)
	}
}

func TestParseBadItemsAreReportedOneByOne(t *testing.T) {
	items, problems := parseFixtureWithProblems(t, "bad-items.json")
	assert.Equal(t, []string{
		"bad-items.json: APIEvent bTXaa: has no wf_name (the endpoint name), so it cannot be imported",
		`bad-items.json: APIEvent bTXab: invalid workflow name "send invoice": character ' ' at position 5 is not allowed (use letters, digits, - or _)`,
		`bad-items.json: APIEvent bTXac: auth_unecessary: unexpected value "yes" (want true, false or "admin_only")`,
	}, problems)
	assert.Equal(t, []string{"ok-workflow public=yes auth=user method=POST privacy_ignored=no migrated=yes params=[none] desc=Still fine"}, allSettings(items))
}

func TestParseRefusesValuesItCannotReadSafely(t *testing.T) {
	cases := map[string]string{
		`"auth_unecessary": null`:                        `auth_unecessary: unexpected value null (want true, false or "admin_only")`,
		`"auth_unecessary": "true"`:                      `auth_unecessary: unexpected value "true" (want true, false or "admin_only")`,
		`"expose": "yes"`:                                `expose: unexpected value "yes" (want true, false or {"type": "Empty"})`,
		`"trigger_option": "put"`:                        `trigger_option: unexpected value "put" (want "get" or "post")`,
		`"parameters": {"0": {"value": "text"}}`:         "parameter 0: has no key",
		`"parameters": {"0": {"key": "a", "in_url": 1}}`: `parameter 0: in_url: unexpected value 1 (want true, false or {"type": "Empty"})`,
		`"wf_name": 42`:                                  "wf_name: unexpected value 42 (want the endpoint name)",
	}
	for props, want := range cases {
		doc := `{"type": "APIEvent", "id": "x1", "properties": {"wf_name": "w", ` + props + `}}`
		items, problems := Parse("e.json", []byte(doc))
		assert.Empty(t, items, props)
		require.Len(t, problems, 1, props)
		assert.Equal(t, "e.json: APIEvent x1: "+want, problems[0].String(), props)
	}
}

func TestCheckDuplicatesDropsEveryOccurrence(t *testing.T) {
	var all []Item
	for _, f := range []string{"duplicates/one.json", "duplicates/two.js", "duplicates/three.json"} {
		all = append(all, parseFixture(t, f)...)
	}
	kept, problems := CheckDuplicates(all)
	require.Len(t, kept, 1)
	assert.Equal(t, "resend-invoice", kept[0].Workflow.Name)
	var lines []string
	for _, p := range problems {
		lines = append(lines, p.String())
	}
	assert.Equal(t, []string{
		`duplicates/one.json: APIEvent dUPaa: duplicate workflow name "send-invoice": also in duplicates/two.js (APIEvent dUPab)`,
		`duplicates/two.js: APIEvent dUPab: duplicate workflow name "Send-Invoice": also in duplicates/one.json (APIEvent dUPaa)`,
	}, lines)
}

func TestReviewOfAnImportedApp(t *testing.T) {
	var got []string
	for _, f := range model.Review(workflowsOf(parseFixture(t, "app-export.json"))) {
		got = append(got, f.Severity.String()+" "+f.Workflow+": "+f.Message)
	}
	assert.Equal(t, []string{
		"high signup: anyone can run it (public, None required) and it ignores privacy rules: require authentication or stop ignoring privacy rules",
		"medium stripe-webhook: anyone can run it without a token (public, None required): keep None required only for signup/login flows, otherwise require User and admin",
		"medium stripe-webhook: uses the shared-secret parameter `api_key`: make it Admin only and drop the parameter",
		"info list-invoices: Authentication User and admin was derived from the old checkbox: confirm the choice",
		"info nightly-cleanup: Authentication None required was derived from the old checkbox: confirm the choice",
		"info send-invoice: Authentication User and admin was derived from the old checkbox: confirm the choice",
		"info signup: Authentication None required was derived from the old checkbox: confirm the choice",
		"info stripe-webhook: Authentication None required was derived from the old checkbox: confirm the choice",
	}, got)
}

// TestTheFirstUnreadableFieldIsReported pins the field reader's promise:
// with several bad fields, the problem names the first one read, in the
// order each format's fields are read, and nothing after it.
func TestTheFirstUnreadableFieldIsReported(t *testing.T) {
	cases := map[string]string{
		`{"type": "APIEvent", "id": "x1", "name": 5, "properties": {"wf_name": "w", "expose": "yes", "trigger_option": "put"}}`:                               `APIEvent x1: expose: unexpected value "yes" (want true, false or {"type": "Empty"})`,
		`{"type": "APIEvent", "id": "x1", "name": 5, "properties": {"wf_name": "w", "parameters": 7}}`:                                                        "APIEvent x1: name: unexpected value 5 (want text)",
		`{"type": "APIEvent", "id": "x1", "properties": {"wf_name": "", "expose": "yes"}}`:                                                                    "APIEvent x1: has no wf_name (the endpoint name), so it cannot be imported",
		`{"get": [], "post": [{"endpoint": "e", "auth_unecessary": 1, "method": "put", "parameters": 2}]}`:                                                    `post[0] e: auth_unecessary: unexpected value 1 (want true, false or "admin_only")`,
		`{"get": [], "post": [{"endpoint": "e", "parameters": [{"key": "", "value": 3}, 4]}]}`:                                                                "post[0] e: parameter 1: has no key",
		`{"flowgate_export": 1, "workflows": [{"name": "a", "public": "yes", "auth": 1, "method": 2, "description": 3}]}`:                                     `workflows[0] a: auth: unexpected value 1 (want "none", "user" or "admin")`,
		`{"flowgate_export": 1, "workflows": [{"name": "a", "public": true, "auth": "none", "method": "POST", "description": 3, "parameters": [{"in": 1}]}]}`: "workflows[0] a: description: unexpected value 3 (want text)",
	}
	for doc, want := range cases {
		items, problems := Parse("f.json", []byte(doc))
		assert.Empty(t, items, doc)
		require.Len(t, problems, 1, doc)
		assert.Equal(t, "f.json: "+want, problems[0].String(), doc)
	}
}
