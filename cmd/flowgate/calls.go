package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"flowgate/store"
)

func newCallsCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "calls [--workflow W] [--token ID] [--json]",
		Short: "Show the call log: which token called which workflow, and what it got",
		Args:  noArgs,
		RunE:  runCalls,
	}
	cmd.Flags().String("workflow", "", "only calls to this workflow (ignoring case)")
	cmd.Flags().String("token", "", "only calls made with this token id")
	cmd.Flags().Int("limit", 100, "show at most this many calls, newest first (0: all)")
	cmd.Flags().Bool("json", false, "print a JSON array")
	return cmd
}

// callJSON is one call in `calls --json`; its keys are a contract.
type callJSON struct {
	Time       time.Time `json:"time"`
	Workflow   string    `json:"workflow"`
	TokenID    string    `json:"token_id"`
	Status     int       `json:"status"`
	Code       string    `json:"code"`
	RemoteAddr string    `json:"remote_addr"`
}

func runCalls(cmd *cobra.Command, _ []string) error {
	var f store.CallFilter
	f.Workflow, _ = cmd.Flags().GetString("workflow")
	f.TokenID, _ = cmd.Flags().GetString("token")
	f.Limit, _ = cmd.Flags().GetInt("limit")
	if f.Limit < 0 {
		return fail(2, "--limit: %d is negative: use 0 for all calls", f.Limit)
	}
	if looksLikeSecret(f.TokenID) {
		return fail(2, "--token takes a token id (tok_...), not the secret: see `flowgate token list`")
	}
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	calls, err := s.ListCalls(cmd.Context(), f)
	if err != nil {
		return dbError(err)
	}
	out := cmd.OutOrStdout()
	if jsonFlag(cmd) {
		list := make([]callJSON, 0, len(calls))
		for _, c := range calls {
			list = append(list, callJSON{c.At, c.Workflow, c.TokenID, c.Status, c.Code, c.RemoteAddr})
		}
		return writeJSON(out, list)
	}
	if len(calls) == 0 {
		fmt.Fprintln(out, "No calls logged (yet): `flowgate serve` logs every call it decides.")
		return nil
	}
	tw := newTable(out)
	fmt.Fprintln(tw, "TIME\tWORKFLOW\tTOKEN\tSTATUS\tCODE\tREMOTE")
	for _, c := range calls {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", c.At.UTC().Format(listTime), orDash(c.Workflow), orDash(c.TokenID),
			c.Status, orDash(c.Code), c.RemoteAddr)
	}
	return tw.Flush()
}
