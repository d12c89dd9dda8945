package main

import (
	"bufio"
	"strings"

	"github.com/spf13/cobra"

	"flowgate/checker"
)

func newCheckCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check NAME [--token T] [--method M]",
		Short: "Show what a call with a real token would get",
		Long: "Decide a call to the workflow exactly as `flowgate serve` would, with a real token\n" +
			"(checksum, lookup, expiry, revocation). Prints `allow 200` (exit 0) or\n" +
			"`deny STATUS CODE: MESSAGE` (exit 1), like `decide`. --token - reads the token from stdin,\n" +
			"which keeps it out of the shell history and the process list.",
		Args: exactlyOneName,
		RunE: runCheck,
	}
	cmd.Flags().String("token", "", "the token to check (default: none; - reads it from stdin)")
	cmd.Flags().String("method", "", "request method (default: the workflow's own)")
	return cmd
}

func runCheck(cmd *cobra.Command, args []string) error {
	method, err := methodFlag(cmd)
	if err != nil {
		return err
	}
	token, _ := cmd.Flags().GetString("token")
	if token == "-" {
		line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
		if err != nil && line == "" {
			return fail(2, "--token -: no token on stdin")
		}
		token = strings.TrimSpace(line)
	}
	s, w, err := openWorkflow(cmd, args[0])
	if err != nil {
		return err
	}
	defer s.Close()
	c := checker.New(checker.Options{})
	if err := c.Load(cmd.Context(), s); err != nil {
		return dbError(err)
	}
	req := checker.Request{Method: methodOrDefault(method, w), Path: "/api/1.1/wf/" + w.Name}
	if cmd.Flags().Changed("token") {
		// The same header parsing as a live call, so an empty or spaced
		// token is malformed here exactly as it would be there.
		req.Authorization = []string{"Bearer " + token}
	}
	res := c.Check(&req)
	return printDecision(cmd, res.Decision)
}
