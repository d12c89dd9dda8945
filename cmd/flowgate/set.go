package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

func newSetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "set NAME... | set --match GLOB | --select-exposure EXPOSURE",
		Short: "Change the settings of one or more workflows (only the flags given), in one transaction",
		Long: "Change the settings of the workflows named, or of those the selectors choose: --match GLOB\n" +
			"(a name pattern with *, ignoring case) and --select-exposure (open, users, admins or\n" +
			"scheduled); given both, a workflow must match both. Names and selectors do not mix.\n" +
			"Every workflow is written in one transaction: all of them or none (a workflow changed\n" +
			"elsewhere since it was read fails the whole command, exit 2, naming each). Selectors\n" +
			"that match no workflow change nothing and exit 1.\n\n" +
			"--dry-run prints the plan (`~ name: auth user → admin`, `= name: unchanged`) and the\n" +
			"impact: what the new settings would have done to the calls recorded in the last 30\n" +
			"days, replayed through the same decision the checker makes. Without --dry-run the\n" +
			"impact follows the result, on stderr.",
		Args: cobra.ArbitraryArgs, // checked with the flags by readSetRequest
		RunE: runSet,
	}
	addSettingFlags(cmd)
	f := cmd.Flags()
	f.String("rename", "", "new name (with exactly one NAME)")
	f.String("match", "", "select the workflows whose name matches this glob, such as 'sync-*' (ignoring case)")
	f.String("select-exposure", "", "select the workflows of this exposure: open, users, admins or scheduled")
	f.Bool("dry-run", false, "print the plan and its impact on recorded calls; write nothing")
	return cmd
}

func runSet(cmd *cobra.Command, args []string) error {
	req, err := readSetRequest(cmd, args)
	if err != nil {
		return err
	}
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	plan, err := req.plan(cmd, s)
	if err != nil {
		return err
	}
	impacts, err := planImpacts(cmd.Context(), s, plan)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if req.dryRun {
		printSetPlan(out, plan)
		printImpacts(out, impacts)
		fmt.Fprintf(out, "dry run: nothing was written (%s)\n", planCounts(plan))
		return nil
	}
	afters := make([]model.Workflow, len(plan))
	for i, p := range plan {
		afters[i] = p.after
	}
	saved, err := s.UpdateWorkflows(cmd.Context(), afters, store.SourceCLI)
	switch {
	case errors.As(err, new(*store.ConflictError)):
		return fail(2, "%v; run the command again", err)
	case errors.Is(err, store.ErrNameTaken):
		return fail(2, "cannot rename %s: a workflow named %q already exists; nothing was written", plan[0].before.Name, plan[0].after.Name)
	case err != nil:
		return dbError(err)
	}
	for i, w := range saved {
		verb := "updated"
		if w.Version == plan[i].before.Version {
			verb = "unchanged"
		}
		fmt.Fprintln(out, verb+" "+describe(w))
	}
	printImpacts(cmd.ErrOrStderr(), impacts)
	return nil
}
