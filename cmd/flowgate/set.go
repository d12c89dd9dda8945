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
		Use:   "set NAME",
		Short: "Change a workflow's settings (only the flags given)",
		Args:  exactlyOneName,
		RunE:  runSet,
	}
	addSettingFlags(cmd)
	cmd.Flags().String("rename", "", "new name")
	return cmd
}

func runSet(cmd *cobra.Command, args []string) error {
	s, w, err := openWorkflow(cmd, args[0])
	if err != nil {
		return err
	}
	defer s.Close()
	given, err := applySettingFlags(cmd, &w)
	if err != nil {
		return err
	}
	if cmd.Flags().Changed("rename") {
		given = true
		w.Name, _ = cmd.Flags().GetString("rename")
		if err := model.ValidateName(w.Name); err != nil {
			return fail(2, "--rename: %v", err)
		}
	}
	if !given {
		return fail(2, "nothing to change: give at least one of --public, --auth, --method, --ignore-privacy-rules, --description, --rename")
	}
	before := w.Version
	saved, err := s.UpdateWorkflow(cmd.Context(), w, store.SourceCLI)
	var conflict *store.ConflictError
	switch {
	case errors.As(err, &conflict):
		return fail(2, "%v; run the command again", err)
	case errors.Is(err, store.ErrNameTaken):
		return fail(2, "cannot rename %s: a workflow named %q already exists", args[0], w.Name)
	case err != nil:
		return dbError(err)
	}
	verb := "updated"
	if saved.Version == before {
		verb = "unchanged"
	}
	fmt.Fprintln(cmd.OutOrStdout(), verb+" "+describe(saved))
	return nil
}
