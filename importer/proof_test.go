package importer

import (
	"testing"

	"flowgate/model"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allFixtureItems is every workflow in the fixtures that parse cleanly.
func allFixtureItems(t *testing.T) []Item {
	var items []Item
	for _, f := range []string{"app-export.json", "meta.json", "elements/send-reminder.json",
		"elements/cancel-order.js", "elements/billing/refund-status.json"} {
		items = append(items, parseFixture(t, f)...)
	}
	return items
}

func TestProofHoldsForEveryFixture(t *testing.T) {
	items := allFixtureItems(t)
	p := Prove(items)
	assert.Empty(t, p.Mismatches)
	assert.True(t, p.Preserved())
	assert.Equal(t, 15, p.Workflows)
	assert.Equal(t, 30, p.Cases)
	assert.Equal(t, []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"}, ProofMethods)
}

// TestSourceOutcomeIsTheOldMeaning pins the proof's witness to the issue's
// words, without going through Decide: if the witness were wrong, the proof
// would be worthless.
func TestSourceOutcomeIsTheOldMeaning(t *testing.T) {
	type fields = SourceFields
	empty := map[string]any{"type": "Empty"}
	cases := []struct {
		name   string
		format Format
		f      fields
		cred   model.CredentialKind
		method string
		want   string
	}{
		{"checked: anyone", FormatBubble, fields{Expose: true, Auth: true}, model.CredentialNone, "POST", "allow 200"},
		{"checked: tokens welcome", FormatBubble, fields{Expose: true, Auth: true}, model.CredentialUser, "POST", "allow 200"},
		{"unchecked: needs a token", FormatBubble, fields{Expose: true, Auth: false}, model.CredentialNone, "POST", "deny 401 missing_token"},
		{"unchecked: user token", FormatBubble, fields{Expose: true, Auth: false}, model.CredentialUser, "POST", "allow 200"},
		{"absent is unchecked", FormatBubble, fields{Expose: true}, model.CredentialNone, "POST", "deny 401 missing_token"},
		{"admin_only: user", FormatBubble, fields{Expose: true, Auth: "admin_only"}, model.CredentialUser, "POST", "deny 403 insufficient_scope"},
		{"admin_only: admin", FormatBubble, fields{Expose: true, Auth: "admin_only"}, model.CredentialAdmin, "POST", "allow 200"},
		{"admin_only: nothing", FormatBubble, fields{Expose: true, Auth: "admin_only"}, model.CredentialNone, "POST", "deny 401 missing_token"},
		{"not exposed", FormatBubble, fields{Auth: true}, model.CredentialAdmin, "POST", "deny 404 not_found"},
		{"Empty expose", FormatBubble, fields{Expose: empty, Auth: true}, model.CredentialNone, "POST", "deny 404 not_found"},
		{"GET workflow called with POST", FormatBubble, fields{Expose: true, Auth: true, Method: "get"}, model.CredentialNone, "POST", "deny 405 method_not_allowed"},
		{"GET workflow called with GET", FormatBubble, fields{Expose: true, Auth: true, Method: "get"}, model.CredentialNone, "GET", "allow 200"},
		{"PUT is never a workflow's", FormatBubble, fields{Expose: true, Auth: true}, model.CredentialAdmin, "PUT", "deny 405 method_not_allowed"},
		{"malformed first", FormatBubble, fields{Auth: true}, model.CredentialMalformed, "PUT", "deny 400 invalid_request"},
		{"invalid token before 404", FormatBubble, fields{}, model.CredentialInvalid, "POST", "deny 401 invalid_token"},
		{"meta listing exposes", FormatMeta, fields{Auth: true}, model.CredentialNone, "POST", "allow 200"},
		{"meta GET", FormatMeta, fields{Auth: false, Method: "GET"}, model.CredentialUser, "GET", "allow 200"},
		{"flowgate admin", FormatFlowgate, fields{Expose: true, Auth: "admin", Method: "POST"}, model.CredentialUser, "POST", "deny 403 insufficient_scope"},
		{"flowgate not public", FormatFlowgate, fields{Expose: false, Auth: "none", Method: "POST"}, model.CredentialNone, "POST", "deny 404 not_found"},
		{"unreadable auth", FormatBubble, fields{Expose: true, Auth: "yes"}, model.CredentialUser, "POST", "no outcome (unreadable auth)"},
		{"unreadable method", FormatBubble, fields{Expose: true, Auth: true, Method: "put"}, model.CredentialUser, "PUT", "no outcome (unreadable method)"},
	}
	for _, c := range cases {
		it := Item{Format: c.format, Source: c.f}
		assert.Equal(t, c.want, SourceOutcome(it, c.cred, c.method).String(), c.name)
	}
}

// breakMapping imports with a deliberately wrong checkbox mapping — checked
// read as "User and admin", unchecked as "None required" — the mistake the
// proof exists to catch.
func breakMapping(items []Item) []Item {
	out := append([]Item(nil), items...)
	for i, it := range out {
		if checked, isBool := it.Source.Auth.(bool); isBool {
			out[i].Workflow.Auth = model.LegacyAuth(!checked)
		}
	}
	return out
}

func TestProofFailsWhenTheCheckboxMappingIsBroken(t *testing.T) {
	items := parseFixture(t, "app-export.json")
	p := Prove(breakMapping(items))
	require.False(t, p.Preserved())
	var signup []string
	for _, m := range p.Mismatches {
		if m.Workflow == "signup" {
			signup = append(signup, m.String())
		}
	}
	assert.Equal(t, []string{
		"signup (app-export.json): credential none, POST: before allow 200, after import deny 401 missing_token",
	}, signup, "a user or admin token passes either way; only the anonymous caller tells them apart")
	var workflows []string
	for _, m := range p.Mismatches {
		workflows = append(workflows, m.Workflow)
	}
	assert.Equal(t, []string{"send-invoice", "signup", "stripe-webhook", "nightly-cleanup"}, workflows,
		"nightly-cleanup is scheduled-only and still caught, through the if-exposed pass")
	assert.True(t, p.Mismatches[3].IfExposed)
}

func TestProofCatchesEveryKindOfWrongSetting(t *testing.T) {
	breaks := map[string]func(w *model.Workflow){
		"admin_only read as user": func(w *model.Workflow) {
			if w.Auth == model.AuthAdmin {
				w.Auth = model.AuthUser
			}
		},
		"GET ignored":        func(w *model.Workflow) { w.Method = model.MethodPOST },
		"expose ignored":     func(w *model.Workflow) { w.Public = false },
		"everything exposed": func(w *model.Workflow) { w.Public = true },
		"invalid auth":       func(w *model.Workflow) { w.Auth = "" },
	}
	for name, breakIt := range breaks {
		items := allFixtureItems(t)
		for i := range items {
			breakIt(&items[i].Workflow)
		}
		assert.False(t, Prove(items).Preserved(), name)
	}
}
