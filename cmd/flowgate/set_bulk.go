package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

// setRequest is what `set` was asked to do, checked before the database is
// opened: which workflows (names, or selectors) and whether to write.
type setRequest struct {
	names    []string
	match    string         // "" when not given
	exposure model.Exposure // "" when not given
	rename   string         // "" when not given
	dryRun   bool
}

// selects reports whether the request chooses workflows by selectors.
func (r setRequest) selects() bool { return r.match != "" || r.exposure != "" }

// readSetRequest reads and checks the arguments and flags of `set`: names
// or selectors (not both, not neither), --rename only with one name, valid
// setting values, and something to change.
func readSetRequest(cmd *cobra.Command, args []string) (setRequest, error) {
	f := cmd.Flags()
	r := setRequest{names: args}
	r.dryRun, _ = f.GetBool("dry-run")
	if f.Changed("match") {
		r.match, _ = f.GetString("match")
		if err := model.ValidateWorkflowPattern(r.match); err != nil {
			return r, fail(2, "--match: %v", err)
		}
	}
	if f.Changed("select-exposure") {
		v, _ := f.GetString("select-exposure")
		if r.exposure = parseExposure(v); r.exposure == "" {
			return r, fail(2, "--select-exposure: invalid exposure %q: use open, users, admins or scheduled", v)
		}
	}
	switch {
	case len(args) > 0 && r.selects():
		return r, fail(2, "give workflow names or selectors (--match, --select-exposure), not both")
	case len(args) == 0 && !r.selects():
		return r, fail(2, "expected workflow names or a selector (--match GLOB, --select-exposure EXPOSURE) (usage: %s)", cmd.UseLine())
	}
	given, err := applySettingFlags(cmd, new(model.Workflow))
	if err != nil {
		return r, err
	}
	if f.Changed("rename") {
		if len(args) != 1 {
			return r, fail(2, "--rename takes exactly one workflow name, not %s", selectionText(r))
		}
		r.rename, _ = f.GetString("rename")
		if err := model.ValidateName(r.rename); err != nil {
			return r, fail(2, "--rename: %v", err)
		}
		given = true
	}
	if !given {
		return r, fail(2, "nothing to change: give at least one of --public, --private, --auth, --method, --ignore-privacy-rules, --description, --rename")
	}
	return r, nil
}

// parseExposure reads an exposure name; "" when it is none.
func parseExposure(s string) model.Exposure {
	for _, e := range model.Exposures {
		if string(e) == s {
			return e
		}
	}
	return ""
}

// selectionText describes what the request selects, for messages.
func selectionText(r setRequest) string {
	var parts []string
	if len(r.names) > 0 {
		parts = append(parts, fmt.Sprintf("%d names", len(r.names)))
	}
	if r.match != "" {
		parts = append(parts, fmt.Sprintf("--match %q", r.match))
	}
	if r.exposure != "" {
		parts = append(parts, "--select-exposure "+string(r.exposure))
	}
	return strings.Join(parts, " and ")
}

// setStep is one workflow of a plan: as read, and as it would be saved.
type setStep struct {
	before, after model.Workflow
}

// plan reads the workflows the request names or selects and applies the
// setting flags to each. Every name must exist (all missing ones are
// named); a workflow named twice is planned once; selectors that match
// nothing are an answer, not an error of input: exit 1.
func (r setRequest) plan(cmd *cobra.Command, s *store.Store) ([]setStep, error) {
	targets, err := r.targets(cmd, s)
	if err != nil {
		return nil, err
	}
	plan := make([]setStep, 0, len(targets))
	for _, w := range targets {
		after := w
		if _, err := applySettingFlags(cmd, &after); err != nil {
			return nil, err
		}
		if r.rename != "" {
			after.Name = r.rename
		}
		plan = append(plan, setStep{before: w, after: after})
	}
	return plan, nil
}

// targets reads the workflows to change: those named, in the order given,
// or those the selectors match, by name.
func (r setRequest) targets(cmd *cobra.Command, s *store.Store) ([]model.Workflow, error) {
	ctx := cmd.Context()
	if !r.selects() {
		var out []model.Workflow
		var missing []string
		seen := map[int64]bool{}
		for _, name := range r.names {
			w, err := s.GetWorkflow(ctx, name)
			switch {
			case errors.Is(err, store.ErrNotFound):
				missing = append(missing, fmt.Sprintf("%q", name))
				continue
			case err != nil:
				return nil, dbError(err)
			}
			if !seen[w.ID] {
				seen[w.ID] = true
				out = append(out, w)
			}
		}
		if len(missing) > 0 {
			return nil, fail(2, "no workflow named %s (see `flowgate list`); nothing was written", strings.Join(missing, ", "))
		}
		return out, nil
	}
	all, err := s.ListWorkflows(ctx)
	if err != nil {
		return nil, dbError(err)
	}
	var out []model.Workflow
	for _, w := range all {
		if r.matches(w) {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return nil, fail(1, "no workflow matches %s: nothing to change", selectionText(r))
	}
	return out, nil
}

// matches reports whether w satisfies every selector given. --match is a
// one-pattern scope, so it matches names exactly as token scopes do.
func (r setRequest) matches(w model.Workflow) bool {
	if r.match != "" {
		pattern := model.Scope{Workflows: []string{r.match}}
		if !pattern.AllowsWorkflow(w.Name) {
			return false
		}
	}
	return r.exposure == "" || model.ExposureOf(w) == r.exposure
}
