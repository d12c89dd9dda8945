package main

import (
	"fmt"
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
		Args:  noArgs,
		RunE:  runReview,
	}
	cmd.Flags().Bool("json", false, "print JSON")
	cmd.Flags().String("fail-on", "", "exit 1 when a finding at or above this severity exists: high, medium or low")
	return cmd
}

// reviewJSON is the `review --json` document; its keys are a contract.
type reviewJSON struct {
	Counts   map[model.Exposure]int `json:"counts"`
	Findings []findingJSON          `json:"findings"`
}

// findingJSON is one finding: about a workflow (key workflow) or a token
// (key token, the token's id), never both keys.
type findingJSON struct {
	Workflow string `json:"workflow,omitempty"`
	Token    string `json:"token,omitempty"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
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
	ws, err := readList(cmd, (*store.Store).ListWorkflows)
	if err != nil {
		return err
	}
	toks, err := readList(cmd, (*store.Store).ListTokens)
	if err != nil {
		return err
	}
	names := make([]string, len(ws))
	for i, w := range ws {
		names[i] = w.Name
	}
	counts := model.CountExposures(ws)
	findings := append(model.Review(ws), model.ReviewTokens(tokenGrants(toks), names, time.Now())...)
	model.SortFindings(findings)

	out := cmd.OutOrStdout()
	if jsonFlag(cmd) {
		doc := reviewJSON{Counts: counts, Findings: make([]findingJSON, 0, len(findings))}
		for _, f := range findings {
			doc.Findings = append(doc.Findings, findingJSON{f.Workflow, f.Token, f.Severity.String(), f.Message})
		}
		if err := writeJSON(out, doc); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(out, model.CountsLine(len(ws), counts))
		if len(findings) == 0 {
			fmt.Fprintln(out, "No findings.")
		}
		tw := newTable(out)
		for _, f := range findings {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", strings.ToUpper(f.Severity.String()), f.Subject(), f.Message)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if failOn == "" {
		return nil
	}
	failing := 0
	for _, f := range findings {
		if f.Severity >= gate {
			failing++
		}
	}
	if failing > 0 {
		return fail(1, "review gate failed: %d finding(s) at or above %s", failing, gate)
	}
	return nil
}
