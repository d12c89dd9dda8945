package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"flowgate/model"
)

func newDecideCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "decide NAME",
		Short: "Show what a call would get, without a real token",
		Long: "Show what a call to the workflow would get, using the same rule the runtime checker uses.\n" +
			"Prints `allow 200` (exit 0) or `deny STATUS CODE: MESSAGE` (exit 1).",
		Args: exactlyOneName,
		RunE: runDecide,
	}
	cmd.Flags().String("method", "", "request method (default: the workflow's own)")
	cmd.Flags().String("as", "none", "caller's credential: none, user or admin (also malformed, invalid)")
	return cmd
}

func runDecide(cmd *cobra.Command, args []string) error {
	as, _ := cmd.Flags().GetString("as")
	kind, err := model.ParseCredentialKind(as)
	if err != nil {
		return fail(2, "--as: %v", err)
	}
	method, err := methodFlag(cmd)
	if err != nil {
		return err
	}
	s, w, err := openWorkflow(cmd, args[0])
	if err != nil {
		return err
	}
	defer s.Close()
	return printDecision(cmd, model.Decide(&w, model.Credential{Kind: kind}, methodOrDefault(method, w)), w.Name)
}

// methodFlag reads --method: any HTTP method may be asked about (a PUT gets
// 405), so it is only checked to be a plain token and upper-cased.
func methodFlag(cmd *cobra.Command) (string, error) {
	m, _ := cmd.Flags().GetString("method")
	for _, r := range m {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return "", fail(2, "--method: invalid method %q: use an HTTP method such as POST or GET", m)
		}
	}
	return strings.ToUpper(m), nil
}

// FormatDecision is the one-line answer of `decide` and `check` for a call
// to the named workflow ("" when the call names none): the message names
// it when the decision says so, as the checker's answers do.
func FormatDecision(d model.Decision, workflow string) string {
	if d.Allowed {
		return fmt.Sprintf("allow %d", d.Status)
	}
	return fmt.Sprintf("deny %d %s: %s", d.Status, d.Code, d.MessageFor(workflow))
}

// printDecision prints the decision and turns a denial into exit code 1.
func printDecision(cmd *cobra.Command, d model.Decision, workflow string) error {
	fmt.Fprintln(cmd.OutOrStdout(), FormatDecision(d, workflow))
	if !d.Allowed {
		return fail(1, "")
	}
	return nil
}
