package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"flowgate/store"
)

func newRmCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rm NAME",
		Short: "Delete a workflow (its history is kept)",
		Args:  exactlyOneName,
		RunE:  runRm,
	}
}

func runRm(cmd *cobra.Command, args []string) error {
	s, w, err := openWorkflow(cmd, args[0])
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.DeleteWorkflow(cmd.Context(), w, store.SourceCLI); err != nil {
		return dbError(err)
	}
	fmt.Fprintln(cmd.OutOrStdout(), "deleted "+w.Name)
	return nil
}
