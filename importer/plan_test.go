package importer

import (
	"testing"

	"flowgate/model"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stored turns imported items into workflows as a store would return them.
func stored(items []Item) []model.Workflow {
	ws := workflowsOf(items)
	for i := range ws {
		ws[i].ID, ws[i].Version = int64(i+1), 3
	}
	return ws
}

func planLines(p Plan) []string {
	var out []string
	for _, e := range p.Entries {
		line := [...]string{"+ ", "~ ", "= "}[e.Action] + e.Item.Workflow.Name
		for _, c := range e.Changes {
			line += " | " + c.Field + ": " + c.Old + " → " + c.New
		}
		out = append(out, line)
	}
	return out
}

func TestPlanImportNewChangedUnchanged(t *testing.T) {
	items := parseFixture(t, "app-export.json")
	existing := stored(items[:4])       // send-invoice, signup, stripe-webhook, nightly-cleanup
	existing[0].Auth = model.AuthAdmin  // someone made it Admin only since
	existing[0].AuthMigrated = false    // and confirmed it
	existing[1].Description = "Signup"  // a hand edit
	existing[2].Name = "Stripe-Webhook" // same workflow, other spelling
	existing[3].AuthMigrated = false    // confirmed, same auth as the import

	plan := NewPlan(items, existing)
	assert.Equal(t, []string{
		"+ archive-customer",
		"+ export-ledger",
		"+ list-invoices",
		"= nightly-cleanup",
		"+ refund-payment",
		"~ send-invoice | auth: admin → user | auth_migrated: false → true",
		`~ signup | description: Signup → Sign a new user up`,
		"~ stripe-webhook | name: Stripe-Webhook → stripe-webhook",
	}, planLines(plan))
	assert.Equal(t, 4, plan.Count(PlanNew))
	assert.Equal(t, 3, plan.Count(PlanChanged))
	assert.Equal(t, 1, plan.Count(PlanUnchanged))

	send := plan.Entries[5]
	require.NotNil(t, send.Existing)
	assert.Equal(t, int64(1), send.Result.ID, "a change keeps the stored identity")
	assert.Equal(t, int64(3), send.Result.Version, "and the version it was read at")
	assert.False(t, plan.Entries[3].Result.AuthMigrated, "a confirmed auth is not re-flagged when it is not changing")
}

func TestPlanImportOfTheSameInputAgainChangesNothing(t *testing.T) {
	items := parseFixture(t, "app-export.json")
	plan := NewPlan(items, stored(items))
	assert.Equal(t, len(items), plan.Count(PlanUnchanged))
}

func TestPlanImportFromMetaKeepsWhatMetaDoesNotCarry(t *testing.T) {
	items := parseFixture(t, "meta.json")
	existing := stored(items)
	existing[0].IgnorePrivacyRules = true // signup, from an earlier app import
	existing[0].Description = "Sign a new user up"
	plan := NewPlan(items, existing)
	assert.Equal(t, 4, plan.Count(PlanUnchanged), "%v", planLines(plan))
	assert.Equal(t, "signup", plan.Entries[3].Result.Name)
	assert.True(t, plan.Entries[3].Result.IgnorePrivacyRules)
}
