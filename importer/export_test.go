package importer

import (
	"strings"
	"testing"

	"flowgate/model"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func workflowsOf(items []Item) []model.Workflow {
	out := make([]model.Workflow, len(items))
	for i, it := range items {
		out[i] = it.Workflow
	}
	return out
}

func TestFlowgateExportRoundTripsEveryField(t *testing.T) {
	ws := workflowsOf(append(parseFixture(t, "app-export.json"), parseFixture(t, "elements/cancel-order.js")...))
	ws[0].Description = `Sends <b>invoices</b> & "receipts"`
	first, err := ExportFlowgate(ws)
	require.NoError(t, err)

	items, problems := Parse("export.json", first)
	require.Empty(t, problems)
	got := workflowsOf(items)
	assert.ElementsMatch(t, settingsOf(ws), settingsOf(got))
	for _, it := range items {
		assert.Equal(t, FormatFlowgate, it.Format)
	}

	second, err := ExportFlowgate(got)
	require.NoError(t, err)
	assert.Equal(t, string(first), string(second))
	assert.Contains(t, string(first), `Sends <b>invoices</b> & \"receipts\"`, "HTML characters are kept readable")
	assert.True(t, strings.HasPrefix(string(first), "{\n  \"flowgate_export\": 1,\n  \"workflows\": [\n    {\n      \"name\": \"archive-customer\",\n"), string(first))
}

func settingsOf(ws []model.Workflow) []string {
	var out []string
	for _, w := range ws {
		out = append(out, settings(w))
	}
	return out
}

func TestFlowgateExportIsReadStrictly(t *testing.T) {
	cases := map[string]string{
		`{"flowgate_export": 2, "workflows": []}`:             "f.json: flowgate export version 2 is not supported (this flowgate reads version 1)",
		`{"flowgate_export": 1, "workflows": [], "extra": 1}`: `f.json: unknown key "extra" in a flowgate export`,
		`{"flowgate_export": 1, "workflows": [{"name": "a", "public": true, "auth": "none", "method": "POST", "colour": "red"}]}`: `f.json: workflows[0]: unknown key "colour"`,
		`{"flowgate_export": 1, "workflows": [{"name": "a", "public": true, "auth": "everyone", "method": "POST"}]}`:              `f.json: workflows[0] a: workflow a: invalid auth "everyone": use none, user or admin`,
		`{"flowgate_export": 1, "workflows": [{"name": "a", "public": "yes", "auth": "none", "method": "POST"}]}`:                 `f.json: workflows[0] a: public: unexpected value "yes" (want true or false)`,
		`{"flowgate_export": 1, "workflows": [{"name": "a b", "public": true, "auth": "none", "method": "POST"}]}`:                `f.json: workflows[0] a b: invalid workflow name "a b": character ' ' at position 2 is not allowed (use letters, digits, - or _)`,
	}
	for doc, want := range cases {
		items, problems := Parse("f.json", []byte(doc))
		assert.Empty(t, items, doc)
		require.Len(t, problems, 1, doc)
		assert.Equal(t, want, problems[0].String(), doc)
	}
}

func TestMetaExportListsPublicWorkflowsAndReadsBack(t *testing.T) {
	ws := workflowsOf(parseFixture(t, "app-export.json"))
	out, err := ExportMeta(ws)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"endpoint": "export-ledger",
      "method": "GET",
      "auth_unecessary": "admin_only",`)
	assert.NotContains(t, string(out), "nightly-cleanup", "scheduled-only workflows are not listed")

	items, problems := Parse("meta-export.json", out)
	require.Empty(t, problems)
	var public []string
	for _, w := range sortedByName(ws) {
		if w.Public {
			public = append(public, w.Name+" "+string(w.Auth)+" "+string(w.Method)+" "+model.ParametersText(w.Parameters))
		}
	}
	var back []string
	for _, it := range items {
		w := it.Workflow
		back = append(back, w.Name+" "+string(w.Auth)+" "+string(w.Method)+" "+model.ParametersText(w.Parameters))
	}
	assert.Equal(t, public, back)
	assert.True(t, Prove(items).Preserved())
}
