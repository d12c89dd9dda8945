package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"flowgate/model"
	"flowgate/store"
)

func newWhoCanCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "who-can NAME [--json]",
		Short: "Show who can call a workflow right now: anyone, or which tokens",
		Long: "Answer, for one workflow, who can call it right now: \"anyone\" when it needs no token,\n" +
			"and every usable token whose kind and scope the checker would allow, with counts.\n" +
			"It asks the same decision the checker makes, token by token.",
		Args: exactlyOneName,
		RunE: runWhoCan,
	}
	cmd.Flags().Bool("json", false, "print JSON")
	return cmd
}

// whoCanJSON is the `who-can --json` document; its keys are a contract.
type whoCanJSON struct {
	Workflow string         `json:"workflow"`
	Anyone   bool           `json:"anyone"`
	Tokens   []callerJSON   `json:"tokens"`
	Counts   map[string]int `json:"counts"`
}

type callerJSON struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Kind      string     `json:"kind"`
	User      string     `json:"user"`
	ExpiresAt *time.Time `json:"expires_at"`
}

func runWhoCan(cmd *cobra.Command, args []string) error {
	s, w, err := openWorkflow(cmd, args[0])
	if err != nil {
		return err
	}
	defer s.Close()
	toks, err := s.ListTokens(cmd.Context())
	if err != nil {
		return dbError(err)
	}
	callers := model.WhoCan(&w, tokenGrants(toks), time.Now())
	out := cmd.OutOrStdout()
	if jsonFlag(cmd) {
		doc := whoCanJSON{Workflow: w.Name, Anyone: callers.Anyone, Tokens: make([]callerJSON, 0, len(callers.Tokens)),
			Counts: map[string]int{"admin": callers.Admin, "user": callers.User}}
		for _, t := range callers.Tokens {
			doc.Tokens = append(doc.Tokens, callerJSON{t.ID, t.Name, string(t.Kind), t.UserID, utcOrNil(t.ExpiresAt)})
		}
		return writeJSON(out, doc)
	}
	switch {
	case callers.Anyone:
		fmt.Fprintf(out, "%s: callable by anyone (no token needed)\n", w.Name)
		if len(callers.Tokens) > 0 {
			// A presented token is still judged: only these are not refused.
			fmt.Fprintf(out, "tokens it admits: %s\n", countsText(callers))
		}
	case len(callers.Tokens) == 0:
		fmt.Fprintf(out, "%s: callable by nobody: %s\n", w.Name, nobodyReason(w))
	default:
		fmt.Fprintf(out, "%s: callable by %s\n", w.Name, countsText(callers))
	}
	if len(callers.Tokens) == 0 {
		return nil
	}
	tw := newTable(out)
	fmt.Fprintln(tw, "ID\tNAME\tKIND\tUSER\tEXPIRES")
	for _, t := range callers.Tokens {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Kind, orDash(t.UserID), timeOrDash(t.ExpiresAt, "never"))
	}
	return tw.Flush()
}

// countsText is "2 admin tokens · 14 user tokens", as the editor shows it.
func countsText(c model.Callers) string {
	return plural(c.Admin, "admin token") + " · " + plural(c.User, "user token")
}

// nobodyReason says why no caller can reach a workflow.
func nobodyReason(w model.Workflow) string {
	if !w.Public {
		return "it is not public (scheduled only)"
	}
	return "no usable token has the kind and scope it needs"
}

// tokenGrants converts listed tokens into what model.WhoCan and
// model.ReviewTokens read.
func tokenGrants(toks []store.Token) []model.TokenGrant {
	out := make([]model.TokenGrant, len(toks))
	for i, t := range toks {
		out[i] = model.TokenGrant{ID: t.ID, Name: t.Name, UserID: t.UserID, Kind: t.Kind,
			ExpiresAt: t.ExpiresAt, RevokedAt: t.RevokedAt, Scope: t.Scope}
	}
	return out
}

// utcOrNil is an optional time in UTC, for JSON.
func utcOrNil(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
