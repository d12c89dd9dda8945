package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"flowgate/importer"
	"flowgate/model"
	"flowgate/store"
)

// importOptions are the import flags that shape the plan and the write.
type importOptions struct {
	onConflict     string
	dryRun         bool
	skippedInvalid int
}

func importWorkflows(cmd *cobra.Command, items []importer.Item, opts importOptions) error {
	if err := fillDemoIfAsked(cmd); err != nil {
		return err
	}
	path, err := checkedDBPath(cmd)
	if err != nil {
		return err
	}
	return importInto(cmd.Context(), path, items, opts, cmd.OutOrStdout())
}

// importInto plans, proves and writes items into the database at path. The
// plan is made inside the write transaction, so nobody can change a
// workflow between the plan being shown and it being carried out; a dry run
// only reads, and does not even create a missing database.
func importInto(ctx context.Context, path string, items []importer.Item, opts importOptions, out io.Writer) error {
	if opts.dryRun {
		existing, err := readExisting(ctx, path)
		if err != nil {
			return err
		}
		_, err = planAndProve(items, existing, opts, out)
		return err
	}
	s, err := store.Open(path)
	if err != nil {
		return fail(2, "%v", err)
	}
	defer s.Close()
	err = s.InTx(ctx, store.SourceImport, func(tx *store.Tx) error {
		existing, err := tx.ListWorkflows(ctx)
		if err != nil {
			return fail(2, "%s: %v", s.Path(), err)
		}
		plan, err := planAndProve(items, existing, opts, out)
		if err != nil {
			return err
		}
		return writePlan(ctx, tx, plan, opts)
	})
	var exit *exitError
	if err != nil && !errors.As(err, &exit) {
		return dbError(err)
	}
	return err
}

// readExisting lists the stored workflows for a dry run; a database that
// does not exist yet is empty, and stays uncreated.
func readExisting(ctx context.Context, path string) ([]model.Workflow, error) {
	s, err := store.OpenExisting(path)
	if errors.Is(err, store.ErrNoDatabase) {
		return nil, nil
	}
	if err != nil {
		return nil, fail(2, "%v", err)
	}
	defer s.Close()
	ws, err := s.ListWorkflows(ctx)
	if err != nil {
		return nil, dbError(err)
	}
	return ws, nil
}

// planAndProve prints the plan and the proof, and returns an error — so
// that nothing is written — when the proof fails or, with --on-conflict
// fail, when an existing workflow differs.
func planAndProve(items []importer.Item, existing []model.Workflow, opts importOptions, out io.Writer) (importer.Plan, error) {
	plan := importer.NewPlan(items, existing)
	printPlan(out, plan, opts)
	proof := importer.Prove(items)
	if !proof.Preserved() {
		fmt.Fprintf(out, "behaviour NOT preserved: %s differ:\n", plural(len(proof.Mismatches), "case"))
		var names []string
		for _, m := range proof.Mismatches {
			fmt.Fprintln(out, "  "+m.String())
			if len(names) == 0 || names[len(names)-1] != m.Workflow {
				names = append(names, m.Workflow)
			}
		}
		return plan, fail(1, "import refused: the imported settings would answer calls to %s differently (%s); nothing written",
			plural(len(names), "workflow"), strings.Join(names, ", "))
	}
	fmt.Fprintf(out, "behaviour preserved: %s × %d cases\n", plural(proof.Workflows, "workflow"), proof.Cases)
	if changed := plan.Count(importer.PlanChanged); changed > 0 && opts.onConflict == conflictFail {
		var names []string
		for _, e := range plan.Entries {
			if e.Action == importer.PlanChanged {
				names = append(names, e.Existing.Name)
			}
		}
		return plan, fail(1, "%s already %s different settings (%s); nothing written: re-run with --on-conflict skip to keep %s or --on-conflict replace to overwrite %s",
			plural(changed, "existing workflow"), pick(changed == 1, "has", "have"), strings.Join(names, ", "),
			pick(changed == 1, "it", "them"), pick(changed == 1, "it", "them"))
	}
	return plan, nil
}

// writePlan creates the new workflows and, with --on-conflict replace,
// overwrites the changed ones; each change row names the file it came from.
func writePlan(ctx context.Context, tx *store.Tx, plan importer.Plan, opts importOptions) error {
	for _, e := range plan.Entries {
		tx.Detail = e.Item.File
		var err error
		switch {
		case e.Action == importer.PlanNew:
			_, err = tx.CreateWorkflow(ctx, e.Result)
		case e.Action == importer.PlanChanged && opts.onConflict == conflictReplace:
			_, err = tx.UpdateWorkflow(ctx, e.Result)
		}
		if err != nil {
			return fail(2, "%s: %v; nothing written", e.Item.File, err)
		}
	}
	return nil
}

// printPlan shows one line per workflow — "+ new", "~ changed" with each
// "field: old → new", "= unchanged" — then the totals.
func printPlan(out io.Writer, plan importer.Plan, opts importOptions) {
	for _, e := range plan.Entries {
		switch e.Action {
		case importer.PlanNew:
			line := "+ new        " + describe(e.Result)
			if e.Result.AuthMigrated {
				line += " (auth from the old checkbox)"
			}
			fmt.Fprintln(out, line)
		case importer.PlanChanged:
			note := map[string]string{conflictFail: " (conflict)", conflictSkip: " (kept as it is: --on-conflict skip)"}[opts.onConflict]
			fmt.Fprintln(out, "~ changed    "+e.Result.Name+note)
			for _, c := range e.Changes {
				fmt.Fprintf(out, "               %s: %s → %s\n", c.Field, planValue(c.Field, c.Old), planValue(c.Field, c.New))
			}
		case importer.PlanUnchanged:
			fmt.Fprintln(out, "= unchanged  "+e.Result.Name)
		}
	}
	totals := fmt.Sprintf("plan: %d new, %d changed, %d unchanged",
		plan.Count(importer.PlanNew), plan.Count(importer.PlanChanged), plan.Count(importer.PlanUnchanged))
	if n := plan.Count(importer.PlanChanged); n > 0 && opts.onConflict == conflictSkip {
		totals += fmt.Sprintf(" (%d changed kept as %s)", n, pick(n == 1, "it is", "they are"))
	}
	if opts.skippedInvalid > 0 {
		totals += fmt.Sprintf(", %d invalid skipped", opts.skippedInvalid)
	}
	if opts.dryRun {
		totals += " — dry run, nothing written"
	}
	fmt.Fprintln(out, totals)
}

// planValue quotes free text in the plan, so an empty or spaced description
// is still visible; the other settings are single words.
func planValue(field, v string) string {
	if field == "description" {
		return strconv.Quote(v)
	}
	return v
}
