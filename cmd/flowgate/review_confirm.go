package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

func newConfirmMigratedCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "confirm-migrated [NAME...|--all]",
		Short: "Confirm the Authentication an import derived from the old checkbox (clears migrated-auth)",
		Long: "An import sets each workflow's Authentication from the old checkbox and marks it migrated\n" +
			"until someone confirms it. This confirms the named workflows, or every migrated one with\n" +
			"--all, in one transaction (all or nothing), recorded in the change trail. Their settings\n" +
			"stay as they are; to change one, use `flowgate set` (which confirms it too).",
		Example: "  flowgate review confirm-migrated send-invoice list-invoices\n" +
			"  flowgate review confirm-migrated --all",
		RunE: runConfirmMigrated,
	}
	cmd.Flags().Bool("all", false, "confirm every workflow whose auth is still migrated")
	return cmd
}

func runConfirmMigrated(cmd *cobra.Command, args []string) error {
	all, _ := cmd.Flags().GetBool("all")
	switch {
	case all && len(args) > 0:
		return fail(2, "give workflow names or --all, not both (usage: %s)", cmd.UseLine())
	case !all && len(args) == 0:
		return fail(2, "name the workflows to confirm, or --all (usage: %s)", cmd.UseLine())
	}
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	var confirmed []string
	err = s.InTx(cmd.Context(), store.SourceCLI, func(tx *store.Tx) error {
		targets, err := migratedTargets(cmd, tx, args, all)
		if err != nil {
			return err
		}
		for _, w := range targets {
			w.AuthMigrated = false
			if _, err := tx.UpdateWorkflow(cmd.Context(), w); err != nil {
				return err
			}
			confirmed = append(confirmed, w.Name)
		}
		return nil
	})
	var exit *exitError
	if errors.As(err, &exit) {
		return err
	}
	if err != nil {
		return dbError(err)
	}
	out := cmd.OutOrStdout()
	switch {
	case len(confirmed) == 0:
		fmt.Fprintln(out, "No workflow has a migrated auth to confirm.")
	case len(confirmed) <= 5:
		fmt.Fprintf(out, "Confirmed the Authentication of %s.\n", strings.Join(confirmed, ", "))
	default:
		fmt.Fprintf(out, "Confirmed the Authentication of %d workflows.\n", len(confirmed))
	}
	return nil
}

// migratedTargets are the workflows to confirm, read inside the
// transaction: every migrated one for --all, else the named ones, each of
// which must exist and still be migrated (a name given twice counts once).
func migratedTargets(cmd *cobra.Command, tx *store.Tx, names []string, all bool) ([]model.Workflow, error) {
	ws, err := tx.ListWorkflows(cmd.Context())
	if err != nil {
		return nil, err
	}
	var out []model.Workflow
	if all {
		for _, w := range ws {
			if w.AuthMigrated {
				out = append(out, w)
			}
		}
		return out, nil
	}
	seen := map[int64]bool{}
	for _, name := range names {
		w, ok := findWorkflow(ws, name)
		switch {
		case !ok:
			return nil, fail(2, "no workflow named %q (see `flowgate list`); nothing was confirmed", name)
		case !w.AuthMigrated:
			return nil, fail(2, "workflow %s has no migrated auth to confirm; nothing was confirmed", w.Name)
		case !seen[w.ID]:
			seen[w.ID] = true
			out = append(out, w)
		}
	}
	return out, nil
}

// findWorkflow finds a workflow by name, ignoring case as names are unique
// that way.
func findWorkflow(ws []model.Workflow, name string) (model.Workflow, bool) {
	for _, w := range ws {
		if strings.EqualFold(w.Name, name) {
			return w, true
		}
	}
	return model.Workflow{}, false
}
