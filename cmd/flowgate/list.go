package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

func newListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every workflow with its exposure",
		Args:  noArgs,
		RunE:  runList,
	}
	cmd.Flags().Bool("json", false, "print a JSON array")
	return cmd
}

func runList(cmd *cobra.Command, _ []string) error {
	ws, err := readList(cmd, (*store.Store).ListWorkflows)
	if err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if jsonFlag(cmd) {
		list := make([]workflowJSON, 0, len(ws))
		for _, w := range ws {
			list = append(list, toJSON(w))
		}
		return writeJSON(out, list)
	}
	if len(ws) == 0 {
		fmt.Fprintln(out, "No workflows yet: create one with `flowgate add NAME`, or migrate with `flowgate import PATH`.")
		return nil
	}
	tw := newTable(out)
	fmt.Fprintln(tw, "NAME\tEXPOSURE\tAUTH\tMETHOD\tPRIVACY")
	for _, w := range ws {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", w.Name, model.ExposureOf(w), authColumn(w), w.Method, privacyColumn(w))
	}
	return tw.Flush()
}
