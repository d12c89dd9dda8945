package importer

import (
	"sort"

	"flowgate/model"
)

// PlanAction says what an import would do to one workflow.
type PlanAction int

// What an import does to each workflow it read.
const (
	// PlanNew: no workflow has this name yet; it will be created.
	PlanNew PlanAction = iota
	// PlanChanged: a workflow with this name exists and differs.
	PlanChanged
	// PlanUnchanged: a workflow with this name exists with the same
	// settings; importing writes nothing for it.
	PlanUnchanged
)

// PlanEntry is the import of one workflow.
type PlanEntry struct {
	Item   Item
	Action PlanAction
	// Existing is the stored workflow with this name, nil for PlanNew.
	Existing *model.Workflow
	// Result is what would be written: Item.Workflow for a new one; for an
	// existing one, its identity (ID, Version) with the imported settings.
	Result  model.Workflow
	Changes []model.FieldChange
}

// Plan is what an import would do, ordered by workflow name.
type Plan struct {
	Entries []PlanEntry
}

// Count returns how many entries have action a.
func (p Plan) Count(a PlanAction) int {
	n := 0
	for _, e := range p.Entries {
		if e.Action == a {
			n++
		}
	}
	return n
}

// NewPlan compares the imported items (names already unique) with the
// stored workflows. Two rules keep an import from losing anything a person
// set: fields an input format does not carry (a meta entry has no privacy
// setting or description) keep their stored values, and the migrated mark
// of a workflow whose Auth is not changing stays as it is, so confirming a
// migrated workflow and importing the same file again does not re-flag it.
func NewPlan(items []Item, existing []model.Workflow) Plan {
	byKey := make(map[string]*model.Workflow, len(existing))
	for i := range existing {
		byKey[model.NameKey(existing[i].Name)] = &existing[i]
	}
	plan := Plan{Entries: make([]PlanEntry, 0, len(items))}
	for _, it := range items {
		e := PlanEntry{Item: it, Result: it.Workflow}
		ex := byKey[model.NameKey(it.Workflow.Name)]
		if ex == nil {
			e.Action = PlanNew
			plan.Entries = append(plan.Entries, e)
			continue
		}
		e.Existing = ex
		e.Result = merge(*ex, it)
		e.Changes = model.DiffSettings(*ex, e.Result)
		e.Action = PlanChanged
		if len(e.Changes) == 0 {
			e.Action = PlanUnchanged
		}
		plan.Entries = append(plan.Entries, e)
	}
	sort.SliceStable(plan.Entries, func(i, j int) bool {
		return model.NameKey(plan.Entries[i].Item.Workflow.Name) < model.NameKey(plan.Entries[j].Item.Workflow.Name)
	})
	return plan
}

// merge puts the imported settings on the stored workflow's identity.
func merge(ex model.Workflow, it Item) model.Workflow {
	in := it.Workflow
	out := ex
	out.Name, out.Public, out.Auth, out.Method = in.Name, in.Public, in.Auth, in.Method
	out.Parameters = in.Parameters
	if it.Format != FormatMeta {
		out.IgnorePrivacyRules, out.Description = in.IgnorePrivacyRules, in.Description
	}
	if in.Auth != ex.Auth {
		out.AuthMigrated = in.AuthMigrated
	}
	return out
}
