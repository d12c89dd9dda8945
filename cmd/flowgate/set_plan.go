package main

import (
	"context"
	"fmt"
	"io"

	"flowgate/model"
	"flowgate/store"
)

// printSetPlan writes one line per changed field per workflow, `~ name: auth
// user → admin`, and `= name: unchanged` for a workflow the flags leave as
// it is: the same fields, spelled the same way, as the change trail records.
func printSetPlan(out io.Writer, plan []setStep) {
	for _, p := range plan {
		changes := model.DiffSettings(p.before, p.after)
		if len(changes) == 0 {
			fmt.Fprintf(out, "= %s: unchanged\n", p.before.Name)
			continue
		}
		for _, c := range changes {
			fmt.Fprintf(out, "~ %s: %s %s → %s\n", p.before.Name, c.Field, planValue(c.Field, c.Old), planValue(c.Field, c.New))
		}
	}
}

// planCounts says how many workflows a plan changes and leaves alone.
func planCounts(plan []setStep) string {
	changed := 0
	for _, p := range plan {
		if len(model.DiffSettings(p.before, p.after)) > 0 {
			changed++
		}
	}
	return fmt.Sprintf("%d to change, %d unchanged", changed, len(plan)-changed)
}

// planImpacts replays the call record of the last model.TrafficWindow
// through the settings before and after each change that changes anything.
func planImpacts(ctx context.Context, s *store.Store, plan []setStep) ([]model.Impact, error) {
	var changed []setStep
	for _, p := range plan {
		if len(model.DiffSettings(p.before, p.after)) > 0 {
			changed = append(changed, p)
		}
	}
	if len(changed) == 0 {
		return nil, nil
	}
	traffic, err := loadTraffic(ctx, s)
	if err != nil {
		return nil, err
	}
	out := make([]model.Impact, len(changed))
	for i, p := range changed {
		out[i] = model.ImpactOf(p.before, p.after, traffic)
	}
	return out, nil
}

// printImpacts writes the impact of each change that can deny a caller,
// and their total when there are several; changes that deny no one (a
// description, a wider Authentication) share one line.
func printImpacts(out io.Writer, impacts []model.Impact) {
	var denying []model.Impact
	for _, im := range impacts {
		if im.CanDeny {
			denying = append(denying, im)
		}
	}
	if len(impacts) > 0 && len(denying) == 0 {
		fmt.Fprintln(out, "impact: no caller can lose access: the new settings admit every caller the current ones do")
	}
	for _, im := range denying {
		fmt.Fprintf(out, "impact on %s: %s\n", im.Workflow, im)
	}
	if len(denying) > 1 {
		fmt.Fprintln(out, "impact "+model.TotalImpact(denying))
	}
}
