package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

func newReviewCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Count workflows by exposure and list risky settings (a CI gate with --fail-on)",
		Long: "Count workflows by exposure and list the findings of the review rules, most severe first.\n" +
			"A finding that is right as it is (a signup flow's open) can be waived: it is then listed\n" +
			"as waived and --fail-on no longer counts it.\n\n" + rulesHelp(),
		Args: noArgs,
		RunE: runReview,
	}
	cmd.Flags().Bool("json", false, "print JSON")
	cmd.Flags().String("fail-on", "", "exit 1 when an open (not waived) finding at or above this severity exists: high, medium, low or info")
	cmd.Flags().Bool("waived", false, "list the waivers instead, expired ones included")
	cmd.AddCommand(newReviewWaiveCmd(), newReviewUnwaiveCmd(), newConfirmMigratedCmd())
	return cmd
}

// rulesHelp documents every review rule: its id, severity and subject.
func rulesHelp() string {
	var b strings.Builder
	b.WriteString("Rules (the key rule in --json; RULE in `review waive`):\n")
	tw := newTable(&b)
	for _, r := range model.Rules {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", r.Rule, r.Severity, r.Subject, r.Summary)
	}
	tw.Flush()
	return b.String()
}

// reviewJSON is the `review --json` document; its keys are a contract.
// findings are the open findings, the ones --fail-on counts; waived are
// those a waiver accepts.
type reviewJSON struct {
	Counts   map[model.Exposure]int `json:"counts"`
	Findings []findingJSON          `json:"findings"`
	Waived   []waivedJSON           `json:"waived"`
}

// findingJSON is one finding: its rule, and about a workflow (key workflow)
// or a token (key token, the token's id), never both keys.
type findingJSON struct {
	Rule     model.Rule `json:"rule"`
	Workflow string     `json:"workflow,omitempty"`
	Token    string     `json:"token,omitempty"`
	Severity string     `json:"severity"`
	Message  string     `json:"message"`
	Suggest  model.Auth `json:"suggest,omitempty"` // the Authentication the fix sets, if the rule names one
}

func findingToJSON(f model.Finding) findingJSON {
	return findingJSON{f.Rule, f.Workflow, f.Token, f.Severity.String(), f.Message, f.Suggest}
}

// waivedJSON is a waived finding with the waiver that accepts it.
type waivedJSON struct {
	findingJSON
	Waiver waiverJSON `json:"waiver"`
}

// reviewData is what a review is made of, read in one go.
type reviewData struct {
	workflows []model.Workflow
	findings  []model.Finding // every finding, waived or not, sorted
	waivers   []model.Waiver
}

// openReview opens the existing database and reviews it; the caller
// closes the store.
func openReview(cmd *cobra.Command) (*store.Store, reviewData, error) {
	s, err := openExistingStore(cmd)
	if err != nil {
		return nil, reviewData{}, err
	}
	data, err := loadReview(cmd, s)
	if err != nil {
		s.Close()
		return nil, reviewData{}, err
	}
	return s, data, nil
}

// loadReview reads the workflows, tokens and waivers and reviews them.
func loadReview(cmd *cobra.Command, s *store.Store) (reviewData, error) {
	ctx := cmd.Context()
	ws, err := s.ListWorkflows(ctx)
	if err != nil {
		return reviewData{}, dbError(err)
	}
	toks, err := s.ListTokens(ctx)
	if err != nil {
		return reviewData{}, dbError(err)
	}
	waivers, err := s.ListWaivers(ctx)
	if err != nil {
		return reviewData{}, dbError(err)
	}
	names := make([]string, len(ws))
	for i, w := range ws {
		names[i] = w.Name
	}
	findings := append(model.Review(ws), model.ReviewTokens(tokenGrants(toks), names, time.Now())...)
	traffic, err := trafficFindings(ctx, s, ws)
	if err != nil {
		return reviewData{}, err
	}
	findings = append(findings, traffic...)
	model.SortFindings(findings)
	return reviewData{workflows: ws, findings: findings, waivers: waivers}, nil
}

func runReview(cmd *cobra.Command, _ []string) error {
	var gate model.Severity
	failOn, _ := cmd.Flags().GetString("fail-on")
	if failOn != "" {
		var err error
		if gate, err = model.ParseSeverity(failOn); err != nil {
			return fail(2, "--fail-on: %v", err)
		}
	}
	listWaivers, _ := cmd.Flags().GetBool("waived")
	if listWaivers && failOn != "" {
		return fail(2, "--waived lists the waivers: run --fail-on without it")
	}
	s, data, err := openReview(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	now := time.Now()
	if listWaivers {
		return printWaivers(cmd, data, now)
	}
	open, waived := model.ApplyWaivers(data.findings, data.waivers, now)
	if err := printReview(cmd, data.workflows, open, waived); err != nil {
		return err
	}
	if failOn == "" {
		return nil
	}
	failing := 0
	for _, f := range open {
		if f.Severity >= gate {
			failing++
		}
	}
	if failing > 0 {
		return fail(1, "review gate failed: %d finding(s) at or above %s", failing, gate)
	}
	return nil
}

// printReview prints the counts, the open findings and the waived ones.
// Migrated-auth findings, one per imported workflow, are one line of text;
// JSON lists each.
func printReview(cmd *cobra.Command, ws []model.Workflow, open []model.Finding, waived []model.WaivedFinding) error {
	out := cmd.OutOrStdout()
	counts := model.CountExposures(ws)
	if jsonFlag(cmd) {
		doc := reviewJSON{Counts: counts, Findings: make([]findingJSON, 0, len(open)), Waived: make([]waivedJSON, 0, len(waived))}
		for _, f := range open {
			doc.Findings = append(doc.Findings, findingToJSON(f))
		}
		for _, w := range waived {
			doc.Waived = append(doc.Waived, waivedJSON{findingToJSON(w.Finding), waiverToJSON(w.Waiver, "applies")})
		}
		return writeJSON(out, doc)
	}
	fmt.Fprintln(out, model.CountsLine(len(ws), counts))
	if len(open) == 0 {
		fmt.Fprintln(out, "No findings.")
	}
	tw := newTable(out)
	for _, f := range open {
		if f.Rule != model.RuleMigratedAuth {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", strings.ToUpper(f.Severity.String()), f.Subject(), f.Rule, f.Message)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if migrated := model.MigratedWorkflows(open); len(migrated) > 0 {
		fmt.Fprintln(out, migratedLine(migrated))
	}
	return printWaived(out, waived)
}

// migratedLine is the one line that stands for every migrated-auth finding.
func migratedLine(names []string) string {
	if len(names) == 1 {
		return fmt.Sprintf("1 workflow (%s) keeps the auth the old checkbox gave it: confirm with `flowgate review confirm-migrated %s`", names[0], names[0])
	}
	return fmt.Sprintf("%d workflows keep the auth the old checkbox gave them: confirm with `flowgate review confirm-migrated --all`", len(names))
}

// printWaived lists the waived findings under the open ones.
func printWaived(out io.Writer, waived []model.WaivedFinding) error {
	if len(waived) == 0 {
		return nil
	}
	fmt.Fprintf(out, "Waived (%d, not counted by --fail-on; see `flowgate review --waived`):\n", len(waived))
	tw := newTable(out)
	for _, w := range waived {
		fmt.Fprintf(tw, "WAIVED\t%s\t%s\t%s\t%q by %s, %s\n", strings.ToUpper(w.Severity.String()), w.Subject(), w.Rule,
			w.Waiver.Reason, changedBy(w.Waiver.By, w.Waiver.OSUser), expiresText(w.Waiver.ExpiresAt))
	}
	return tw.Flush()
}
