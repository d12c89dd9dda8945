package main

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

// subjectFlags are the flags of `history` that pick one subject other than
// a workflow: the change trail covers tokens, links and protected prefixes
// too, since they decide requests as much as a workflow's settings do.
var subjectFlags = []struct {
	flag, usage string
	kind        store.SubjectKind
	noun, see   string
}{
	{"token", "show the trail of one token (its id, tok_…)", store.SubjectToken, "token", "flowgate token list"},
	{"link", "show the trail of one share link (its id, lnk_…)", store.SubjectLink, "share link", "flowgate link list"},
	{"prefix", "show the trail of one protected prefix (such as /fileupload/)", store.SubjectPrefix, "protected prefix", "flowgate files list"},
}

func addSubjectFlags(cmd *cobra.Command) {
	for _, f := range subjectFlags {
		cmd.Flags().String(f.flag, "", f.usage)
	}
}

// subjectChoice is the one subject `history` was asked about; kind ""
// means none was named (every subject, or one workflow by name).
type subjectChoice struct {
	kind      store.SubjectKind
	id        string
	noun, see string
}

// chosenSubject reads the subject flags. At most one subject may be named,
// counting a workflow NAME argument, and an id must not be empty: asking
// about two things at once, or about nothing, is bad input.
func chosenSubject(cmd *cobra.Command, args []string) (subjectChoice, error) {
	var choice subjectChoice
	named := len(args)
	for _, f := range subjectFlags {
		if !cmd.Flags().Changed(f.flag) {
			continue
		}
		id, _ := cmd.Flags().GetString(f.flag)
		if id == "" {
			return subjectChoice{}, fail(2, "--%s needs a value (see `%s`)", f.flag, f.see)
		}
		named++
		choice = subjectChoice{kind: f.kind, id: id, noun: f.noun, see: f.see}
	}
	if named > 1 {
		return subjectChoice{}, fail(2, "name one subject: a workflow NAME, --token, --link or --prefix, not several")
	}
	return choice, nil
}

// subjectHistory is the trail of the chosen subject, newest first. A
// token's includes the waivers of its review findings, as a workflow's
// history includes the waivers of its own.
func subjectHistory(ctx context.Context, s *store.Store, c subjectChoice) ([]store.Change, error) {
	changes, err := s.HistoryOf(ctx, c.kind, c.id)
	if err != nil || c.kind != store.SubjectToken {
		return changes, err
	}
	waivers, err := s.HistoryOf(ctx, store.SubjectWaiver, "")
	if err != nil {
		return nil, err
	}
	for _, w := range waivers {
		if kind, ref := waiverTarget(w.SubjectID); kind == model.RuleAboutToken && ref == c.id {
			changes = append(changes, w)
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].ID > changes[j].ID })
	return changes, nil
}

// waiverTarget splits a waiver's trail id, "RULE/KIND/REF", into what the
// waived finding is about.
func waiverTarget(id string) (model.RuleSubject, string) {
	parts := strings.SplitN(id, "/", 3)
	if len(parts) != 3 {
		return "", ""
	}
	return model.RuleSubject(parts[1]), parts[2]
}

// subjectColumn names what a change was made to, for the SUBJECT column:
// a workflow by its name at the time, anything else by its kind and id. A
// waiver is shown as the workflow or token whose finding it waives (the
// FIELD column says "waiver RULE").
func subjectColumn(c store.Change) string {
	switch c.SubjectKind {
	case store.SubjectWorkflow:
		return "workflow " + c.Workflow
	case store.SubjectWaiver:
		kind, ref := waiverTarget(c.SubjectID)
		if kind == model.RuleAboutWorkflow {
			return "workflow " + c.Workflow
		}
		return string(kind) + " " + ref
	}
	return string(c.SubjectKind) + " " + c.SubjectID
}

// printable shows a table cell as it is, or with its control characters
// and invalid bytes escaped, so a stored value can never drive the
// terminal (move the cursor, clear the screen) or break the columns.
func printable(s string) string {
	if utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
