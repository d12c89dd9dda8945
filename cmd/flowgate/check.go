package main

import (
	"bufio"
	"errors"
	"net/url"
	"strings"

	"github.com/spf13/cobra"

	"flowgate/checker"
	"flowgate/model"
	"flowgate/store"
)

func newCheckCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "check (NAME | PATH) [--token T | --link L] [--method M]",
		Short: "Show what a call with a real token or share link would get",
		Long: "Decide a call exactly as `flowgate serve` would, with a real token or share link\n" +
			"(checksum, lookup, expiry, revocation, scope). The argument is a workflow name, or, when\n" +
			"it starts with /, a path as sent: a file under a protected prefix (default method GET)\n" +
			"or a workflow path /api/1.1/wf/NAME. Prints `allow 200` (exit 0) or\n" +
			"`deny STATUS CODE: MESSAGE` (exit 1), like `decide`. --token - and --link - read the\n" +
			"secret from stdin, which keeps it out of the shell history and the process list.",
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return fail(2, "expected one workflow name or path, got %d arguments (usage: %s)", len(args), cmd.UseLine())
			}
			return nil
		},
		RunE: runCheck,
	}
	cmd.Flags().String("token", "", "the token to check (default: none; - reads it from stdin)")
	cmd.Flags().String("link", "", "the share link secret (fgl_...) to check (- reads it from stdin)")
	cmd.Flags().String("method", "", "request method (default: the workflow's own; GET for a file)")
	return cmd
}

func runCheck(cmd *cobra.Command, args []string) error {
	method, err := methodFlag(cmd)
	if err != nil {
		return err
	}
	if cmd.Flags().Changed("token") && cmd.Flags().Changed("link") {
		return fail(2, "--token and --link exclude each other: a call presents one credential")
	}
	req := checker.Request{Method: method}
	if cmd.Flags().Changed("token") {
		token, err := secretFlag(cmd, "token")
		if err != nil {
			return err
		}
		// The same header parsing as a live call, so an empty or spaced
		// token is malformed here exactly as it would be there.
		req.Authorization = []string{"Bearer " + token}
	}
	if cmd.Flags().Changed("link") {
		link, err := secretFlag(cmd, "link")
		if err != nil {
			return err
		}
		// Escaped, so that the secret is one fg_link value whatever it
		// holds, as a client building the URL would send it.
		req.RawQuery = "fg_link=" + url.QueryEscape(link)
	}
	s, err := openExistingStore(cmd)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := setCheckTarget(cmd, s, args[0], &req); err != nil {
		return err
	}
	c := checker.New(checker.Options{})
	if err := c.Load(cmd.Context(), s); err != nil {
		return dbError(err)
	}
	res := c.Check(&req)
	return printDecision(cmd, res.Decision, res.Workflow)
}

// setCheckTarget sets the request's path from a workflow name or a path
// (an argument starting with '/', taken as sent), and its method when
// --method did not: the workflow's own, POST for a workflow path naming no
// workflow, GET for any other path. An unknown name is exit 2, like
// decide's; an unknown path is decided, since a live call could send it.
func setCheckTarget(cmd *cobra.Command, s *store.Store, arg string, req *checker.Request) error {
	if !strings.HasPrefix(arg, "/") {
		w, err := getWorkflow(cmd, s, arg)
		if err != nil {
			return err
		}
		req.Path, req.Method = "/api/1.1/wf/"+w.Name, methodOrDefault(req.Method, w)
		return nil
	}
	if strings.ContainsAny(arg, "?#") {
		return fail(2, "invalid path %q: give the path without a query or fragment (a share link goes in --link)", arg)
	}
	req.Path = arg
	if req.Method != "" {
		return nil
	}
	name, ok := checker.ParseWorkflowPath(arg)
	if !ok {
		req.Method = "GET"
		return nil
	}
	w, err := s.GetWorkflow(cmd.Context(), name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		req.Method = string(model.MethodPOST)
	case err != nil:
		return dbError(err)
	default:
		req.Method = string(w.Method)
	}
	return nil
}

// secretFlag reads --token or --link: "-" reads one line from stdin.
func secretFlag(cmd *cobra.Command, flag string) (string, error) {
	v, _ := cmd.Flags().GetString(flag)
	if v != "-" {
		return v, nil
	}
	line, err := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
	if err != nil && line == "" {
		return "", fail(2, "--%s -: nothing on stdin", flag)
	}
	secret := strings.TrimSpace(line)
	if secret == "" {
		// An empty line is a mistake (an unset variable piped in), not
		// a credential to decide on.
		return "", fail(2, "--%s -: the secret on stdin is empty", flag)
	}
	return secret, nil
}
