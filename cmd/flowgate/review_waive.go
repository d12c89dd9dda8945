package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

func newReviewWaiveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "waive RULE SUBJECT --reason TEXT [--expires DURATION]",
		Short: "Accept a finding: list it as waived and stop counting it in --fail-on",
		Long: "Accept one finding of `flowgate review`: RULE is its rule id, SUBJECT the workflow's name\n" +
			"(or the token's id, for a token rule). Only a finding that exists now can be waived, and a\n" +
			"waiver accepts that rule alone: another finding on the same workflow still counts.\n" +
			"Waiving again replaces the reason and expiry. The waiver is recorded in the change trail.",
		Example: "  flowgate review waive open signup --reason \"signup flow: anyone may sign up\"\n" +
			"  flowgate review waive admin-token-unscoped tok_3kq9 --reason \"deploy token\" --expires 90d",
		Args: exactArgs(2),
		RunE: runReviewWaive,
	}
	cmd.Flags().String("reason", "", "why the finding is acceptable (required)")
	cmd.Flags().String("expires", "", "stop applying after this long, such as 90d or 12h (default: never)")
	return cmd
}

func newReviewUnwaiveCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "unwaive RULE SUBJECT",
		Short:   "Take back a waiver: the finding counts again",
		Example: "  flowgate review unwaive open signup",
		Args:    exactArgs(2),
		RunE:    runReviewUnwaive,
	}
}

// exactArgs refuses any other number of arguments with the usage.
func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return fail(2, "expected %d arguments, got %d (usage: %s)", n, len(args), cmd.UseLine())
		}
		return nil
	}
}

// waiverArgs reads RULE SUBJECT: a known rule, and the subject as the
// rule's kind of subject (a workflow name or a token id).
func waiverArgs(args []string) (rule model.RuleInfo, workflow, token string, err error) {
	rule, ok := model.LookupRule(args[0])
	if !ok {
		return rule, "", "", fail(2, "unknown rule %q: use one of %s (see `flowgate review --help`)", args[0], model.RuleIDs())
	}
	if rule.Subject == model.RuleAboutToken {
		return rule, "", args[1], nil
	}
	return rule, args[1], "", nil
}

func runReviewWaive(cmd *cobra.Command, args []string) error {
	rule, workflow, token, err := waiverArgs(args)
	if err != nil {
		return err
	}
	w := model.Waiver{Rule: rule.Rule, Workflow: workflow, Token: token}
	w.Reason, _ = cmd.Flags().GetString("reason")
	if w.Reason == "" {
		return fail(2, "--reason is required: say why the finding is acceptable")
	}
	if w.ExpiresAt, err = expiresFlag(cmd); err != nil {
		return err
	}
	s, data, err := openReview(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := checkFindingExists(cmd, s, w, data.findings); err != nil {
		return err
	}
	saved, err := s.Waive(cmd.Context(), w)
	if err != nil {
		return fail(2, "%v", err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "Waived %s for %s (%s): review lists it as waived and --fail-on no longer counts it.\n",
		saved.Rule, saved.Subject(), expiresText(saved.ExpiresAt))
	return nil
}

// checkFindingExists refuses to waive a finding that is not there: a
// waiver given in advance would silence a risk nobody has looked at. An
// unknown workflow or token is named as such.
func checkFindingExists(cmd *cobra.Command, s *store.Store, w model.Waiver, findings []model.Finding) error {
	for _, f := range findings {
		if w.Covers(f) {
			return nil
		}
	}
	if w.Workflow != "" {
		if _, err := getWorkflow(cmd, s, w.Workflow); err != nil {
			return err
		}
	} else {
		toks, err := s.ListTokens(cmd.Context())
		if err != nil {
			return dbError(err)
		}
		if !hasToken(toks, w.Token) {
			return fail(2, "no token with id %q (see `flowgate token list`)", w.Token)
		}
	}
	var has []string
	for _, f := range findings {
		if (model.Waiver{Rule: f.Rule, Workflow: w.Workflow, Token: w.Token}).Covers(f) {
			has = append(has, string(f.Rule))
		}
	}
	if len(has) == 0 {
		has = []string{"none"}
	}
	return fail(2, "%s has no %s finding to waive (its findings: %s)", w.Subject(), w.Rule, strings.Join(has, ", "))
}

// hasToken reports whether a token with id exists, revoked or not.
func hasToken(toks []store.Token, id string) bool {
	for _, t := range toks {
		if t.ID == id {
			return true
		}
	}
	return false
}

func runReviewUnwaive(cmd *cobra.Command, args []string) error {
	rule, workflow, token, err := waiverArgs(args)
	if err != nil {
		return err
	}
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.Unwaive(cmd.Context(), rule.Rule, workflow, token); err != nil {
		return fail(2, "%v", err)
	}
	fmt.Fprintf(cmd.OutOrStdout(), "Took back the waiver of %s for %s: the finding counts again.\n",
		rule.Rule, model.Waiver{Workflow: workflow, Token: token}.Subject())
	return nil
}

// waiverJSON is a waiver in `review --json` (under a waived finding) and
// `review --waived --json`. state is applies, expired, or no-finding (it
// is still active but its finding was fixed).
type waiverJSON struct {
	Rule      model.Rule `json:"rule"`
	Workflow  string     `json:"workflow,omitempty"`
	Token     string     `json:"token,omitempty"`
	Reason    string     `json:"reason"`
	By        string     `json:"by"`
	OSUser    string     `json:"os_user"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at"`
	State     string     `json:"state"`
}

func waiverToJSON(w model.Waiver, state string) waiverJSON {
	return waiverJSON{w.Rule, w.Workflow, w.Token, w.Reason, w.By, w.OSUser, w.CreatedAt.UTC(), utcOrNil(w.ExpiresAt), state}
}

// waiverState says whether w applies at now.
func waiverState(w model.Waiver, findings []model.Finding, now time.Time) string {
	switch {
	case !w.ActiveAt(now):
		return "expired"
	case model.WaiverApplies(w, findings, now):
		return "applies"
	}
	return "no-finding"
}

// printWaivers is `review --waived`: every waiver and whether it applies.
func printWaivers(cmd *cobra.Command, data reviewData, now time.Time) error {
	out := cmd.OutOrStdout()
	if jsonFlag(cmd) {
		list := make([]waiverJSON, 0, len(data.waivers))
		for _, w := range data.waivers {
			list = append(list, waiverToJSON(w, waiverState(w, data.findings, now)))
		}
		return writeJSON(out, struct {
			Waivers []waiverJSON `json:"waivers"`
		}{list})
	}
	if len(data.waivers) == 0 {
		fmt.Fprintln(out, "No waivers.")
		return nil
	}
	tw := newTable(out)
	fmt.Fprintln(tw, "RULE\tSUBJECT\tREASON\tBY\tGIVEN\tEXPIRES\tSTATE")
	for _, w := range data.waivers {
		fmt.Fprintf(tw, "%s\t%s\t%q\t%s\t%s\t%s\t%s\n", w.Rule, w.Subject(), w.Reason, changedBy(w.By, w.OSUser),
			w.CreatedAt.UTC().Format(listTime), timeOrDash(w.ExpiresAt, "never"), waiverState(w, data.findings, now))
	}
	return tw.Flush()
}

// expiresText is a waiver's expiry in a sentence.
func expiresText(at *time.Time) string {
	if at == nil {
		return "never expires"
	}
	return "until " + at.UTC().Format(listTime)
}
