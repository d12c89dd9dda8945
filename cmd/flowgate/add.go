package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

func newAddCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Create a workflow (default: not public, auth user, POST)",
		Args:  exactlyOneName,
		RunE:  runAdd,
	}
	addSettingFlags(cmd)
	showNewWorkflowDefaults(cmd)
	return cmd
}

func runAdd(cmd *cobra.Command, args []string) error {
	w := model.NewWorkflow(args[0])
	if err := model.ValidateName(w.Name); err != nil {
		return fail(2, "%v", err)
	}
	if _, err := applySettingFlags(cmd, &w); err != nil {
		return err
	}
	s, err := createStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	created, err := s.CreateWorkflow(cmd.Context(), w, store.SourceCLI)
	if errors.Is(err, store.ErrNameTaken) {
		return fail(2, "a workflow named %q already exists (names are unique ignoring case)", w.Name)
	}
	if err != nil {
		return dbError(err)
	}
	fmt.Fprintln(cmd.OutOrStdout(), "created "+describe(created))
	return nil
}
