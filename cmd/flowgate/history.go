package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"flowgate/store"
)

func newHistoryCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "history [NAME | --token ID | --link ID | --prefix PREFIX]",
		Short: "Show who changed what, newest first: one workflow, token, link or prefix, or everything (deleted ones included)",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 {
				return fail(2, "expected at most one workflow name (usage: %s)", cmd.UseLine())
			}
			return nil
		},
		RunE: runHistory,
	}
	cmd.Flags().Bool("json", false, "print a JSON array")
	addSubjectFlags(cmd)
	return cmd
}

// changeJSON is one change trail entry in `history --json`. by is who made
// the change as they named themselves (--by, $FLOWGATE_USER, else the OS
// user); os_user is the operating-system account, which --by cannot change.
// subject_kind and subject_id name what changed (workflow by numeric id,
// token tok_…, link lnk_…, files-prefix by itself, waiver RULE/KIND/REF);
// workflow is the workflow's name at the time, empty for other subjects.
// generation is the database generation the change produced (0 before
// generations were recorded).
type changeJSON struct {
	Time        time.Time `json:"time"`
	SubjectKind string    `json:"subject_kind"`
	SubjectID   string    `json:"subject_id"`
	Workflow    string    `json:"workflow"`
	Field       string    `json:"field"`
	Old         string    `json:"old"`
	New         string    `json:"new"`
	Source      string    `json:"source"`
	Detail      string    `json:"detail"`
	By          string    `json:"by"`
	OSUser      string    `json:"os_user"`
	Generation  int64     `json:"generation"`
}

func runHistory(cmd *cobra.Command, args []string) error {
	choice, err := chosenSubject(cmd, args)
	if err != nil {
		return err
	}
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	var changes []store.Change
	switch {
	case len(args) == 1:
		if changes, err = s.History(cmd.Context(), args[0]); err == nil && len(changes) == 0 {
			return fail(2, "no workflow named %q has any history (see `flowgate list`)", args[0])
		}
	case choice.kind != "":
		if changes, err = subjectHistory(cmd.Context(), s, choice); err == nil && len(changes) == 0 {
			return fail(2, "no %s %q has any history (see `%s`)", choice.noun, choice.id, choice.see)
		}
	default:
		changes, err = s.HistoryOf(cmd.Context(), "", "")
	}
	if err != nil {
		return dbError(err)
	}
	out := cmd.OutOrStdout()
	if jsonFlag(cmd) {
		list := make([]changeJSON, 0, len(changes))
		for _, c := range changes {
			list = append(list, changeJSON{c.At, string(c.SubjectKind), c.SubjectID, c.Workflow, c.Field, c.Old, c.New,
				string(c.Source), c.Detail, c.Actor, c.OSUser, c.Generation})
		}
		return writeJSON(out, list)
	}
	if len(changes) == 0 {
		fmt.Fprintln(out, "No changes recorded yet.")
		return nil
	}
	// One workflow's history keeps its WORKFLOW column; every other
	// listing may mix subjects, so it names each row's.
	subjectHeader, subjectOf := "SUBJECT", subjectColumn
	if len(args) == 1 {
		subjectHeader, subjectOf = "WORKFLOW", func(c store.Change) string { return c.Workflow }
	}
	tw := newTable(out)
	fmt.Fprintf(tw, "TIME\t%s\tFIELD\tCHANGE\tSOURCE\tBY\n", subjectHeader)
	for _, c := range changes {
		source := string(c.Source)
		if c.Detail != "" {
			source += " (" + c.Detail + ")"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s → %s\t%s\t%s\n", c.At.Format("2006-01-02 15:04:05Z"), printable(subjectOf(c)),
			printable(c.Field), printable(orDash(c.Old)), printable(orDash(c.New)), printable(source),
			printable(changedBy(c.Actor, c.OSUser)))
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
