package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func newHistoryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "history [NAME]",
		Short: "Show the change trail, newest first",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return fail(2, "expected at most one workflow name (usage: %s)", cmd.UseLine())
			}
			return nil
		},
		RunE: runHistory,
	}
	cmd.Flags().Bool("json", false, "print a JSON array")
	return cmd
}

// changeJSON is one change trail entry in `history --json`.
type changeJSON struct {
	Time     time.Time `json:"time"`
	Workflow string    `json:"workflow"`
	Field    string    `json:"field"`
	Old      string    `json:"old"`
	New      string    `json:"new"`
	Source   string    `json:"source"`
	Detail   string    `json:"detail"`
}

func runHistory(cmd *cobra.Command, args []string) error {
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	name := ""
	if len(args) == 1 {
		name = args[0]
	}
	changes, err := s.History(cmd.Context(), name)
	if err != nil {
		return dbError(err)
	}
	if name != "" && len(changes) == 0 {
		return fail(2, "no workflow named %q has any history (see `flowgate list`)", name)
	}
	out := cmd.OutOrStdout()
	if jsonFlag(cmd) {
		list := make([]changeJSON, 0, len(changes))
		for _, c := range changes {
			list = append(list, changeJSON{c.At, c.Workflow, c.Field, c.Old, c.New, string(c.Source), c.Detail})
		}
		return writeJSON(out, list)
	}
	if len(changes) == 0 {
		fmt.Fprintln(out, "No changes recorded yet.")
		return nil
	}
	tw := newTable(out)
	fmt.Fprintln(tw, "TIME\tWORKFLOW\tFIELD\tCHANGE\tSOURCE")
	for _, c := range changes {
		source := string(c.Source)
		if c.Detail != "" {
			source += " (" + c.Detail + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s → %s\t%s\n", c.At.Format("2006-01-02 15:04:05Z"), c.Workflow, c.Field, orDash(c.Old), orDash(c.New), source)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
