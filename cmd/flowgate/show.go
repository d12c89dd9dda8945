package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

func newShowCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show NAME",
		Short: "Show one workflow's settings",
		Args:  exactlyOneName,
		RunE:  runShow,
	}
	cmd.Flags().Bool("json", false, "print one JSON object")
	return cmd
}

func runShow(cmd *cobra.Command, args []string) error {
	s, w, err := openWorkflow(cmd, args[0])
	if err != nil {
		return err
	}
	defer s.Close()
	out := cmd.OutOrStdout()
	if jsonFlag(cmd) {
		return writeJSON(out, toJSON(w))
	}
	tw := newTable(out)
	fmt.Fprintf(tw, "Name:\t%s\n", w.Name)
	fmt.Fprintf(tw, "Exposure:\t%s\n", model.ExposureOf(w))
	fmt.Fprintf(tw, "Public:\t%t\n", w.Public)
	if w.Public {
		fmt.Fprintf(tw, "Authentication:\t%s (%s)\n", w.Auth.Label(), w.Auth)
	} else {
		fmt.Fprintf(tw, "Authentication:\t— scheduled-only; kept as %s for when it is made public\n", w.Auth)
	}
	fmt.Fprintf(tw, "Privacy rules:\t%s\n", privacyColumn(w))
	fmt.Fprintf(tw, "Method:\t%s\n", w.Method)
	fmt.Fprintf(tw, "Description:\t%s\n", orDash(w.Description))
	if len(w.Parameters) == 0 {
		fmt.Fprintln(tw, "Parameters:\tnone")
	}
	for i, p := range w.Parameters {
		label := ""
		if i == 0 {
			label = "Parameters:"
		}
		fmt.Fprintf(tw, "%s\t%s (%s, in %s%s%s)\n", label, p.Key, p.Type, p.In, flag(p.IsList, ", list"), flag(p.Optional, ", optional"))
	}
	fmt.Fprintf(tw, "Version:\t%d (updated %s)\n", w.Version, w.UpdatedAt.Format("2006-01-02 15:04:05Z"))
	return tw.Flush()
}

func flag(on bool, text string) string {
	if on {
		return text
	}
	return ""
}

// getWorkflow loads a workflow by name and turns "not found" into a one-line
// exit-2 error naming it.
func getWorkflow(cmd *cobra.Command, s *store.Store, name string) (model.Workflow, error) {
	w, err := s.GetWorkflow(cmd.Context(), name)
	if errors.Is(err, store.ErrNotFound) {
		return w, fail(2, "no workflow named %q (see `flowgate list`)", name)
	}
	if err != nil {
		return w, dbError(err)
	}
	return w, nil
}
