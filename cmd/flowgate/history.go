package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

func newHistoryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "history [NAME]",
		Short: "Show who changed what, newest first: one workflow, or all of them (deleted ones included)",
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

// changeJSON is one change trail entry in `history --json`. by is who made
// the change as they named themselves (--by, $FLOWGATE_USER, else the OS
// user); os_user is the operating-system account, which --by cannot change.
type changeJSON struct {
	Time     time.Time `json:"time"`
	Workflow string    `json:"workflow"`
	Field    string    `json:"field"`
	Old      string    `json:"old"`
	New      string    `json:"new"`
	Source   string    `json:"source"`
	Detail   string    `json:"detail"`
	By       string    `json:"by"`
	OSUser   string    `json:"os_user"`
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
			list = append(list, changeJSON{c.At, c.Workflow, c.Field, c.Old, c.New, string(c.Source), c.Detail, c.Actor, c.OSUser})
		}
		return writeJSON(out, list)
	}
	tw := newTable(out)
	fmt.Fprintln(tw, "TIME\tWORKFLOW\tFIELD\tCHANGE\tSOURCE\tBY")
	for _, c := range changes {
		source := string(c.Source)
		if c.Detail != "" {
			source += " (" + c.Detail + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s → %s\t%s\t%s\n", c.At.Format("2006-01-02 15:04:05Z"), c.Workflow, c.Field,
			orDash(c.Old), orDash(c.New), source, changedBy(c.Actor, c.OSUser))
	}
	return tw.Flush()
}

// changedBy is who made a change for the text listing: the name given,
// and the operating-system user in brackets when it differs ("alice (os:
// ci)"), since the name is only what the caller said.
func changedBy(by, osUser string) string {
	if osUser == "" || osUser == by {
		return orDash(by)
	}
	return orDash(by) + " (os: " + osUser + ")"
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
